"""Text responses are gzipped for clients that accept it; compressed or streamed files are not
(core/compression.py)."""

from __future__ import annotations

import gzip

import pytest
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.test import RequestFactory

from cityeval.core.compression import TextGZipMiddleware

BODY = b"<p>Kabupaten Kutai Kartanegara</p>" * 200


def _through(response: HttpResponseBase, accepts: str = "gzip") -> HttpResponseBase:
    request = RequestFactory().get("/", headers={"accept-encoding": accepts})
    return TextGZipMiddleware(lambda _request: response).process_response(request, response)


@pytest.mark.parametrize(
    "content_type", ["text/html; charset=utf-8", "text/csv", "application/json"]
)
def test_a_text_response_is_compressed(content_type: str) -> None:
    response = _through(HttpResponse(BODY, content_type=content_type))
    assert response["Content-Encoding"] == "gzip"
    assert isinstance(response, HttpResponse)
    assert gzip.decompress(response.content) == BODY


@pytest.mark.parametrize(
    "content_type",
    ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/pdf"],
)
def test_a_compressed_file_type_is_left_alone(content_type: str) -> None:
    response = _through(HttpResponse(BODY, content_type=content_type))
    assert not response.has_header("Content-Encoding")


def test_a_streamed_download_and_a_client_without_gzip_are_left_alone() -> None:
    streamed = _through(StreamingHttpResponse(iter([BODY]), content_type="text/plain"))
    assert not streamed.has_header("Content-Encoding")
    plain = _through(HttpResponse(BODY, content_type="text/html"), accepts="identity")
    assert not plain.has_header("Content-Encoding")
