"""The scorecard PDF: its content in both languages, its charts, who may download it, and that
rendering fetches nothing from outside our own static files."""

from __future__ import annotations

import io
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest
import vl_convert
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from cityeval.scorecards.pdf import (
    chart_svg,
    page_number_content,
    pdf_filename,
    render_scorecard_pdf,
)
from cityeval.scorecards.printing import BASE_URL, FetchRefused, StaticFilesOnly
from tests.world import Finalised, publish
from tests.world import TeamWorld as World

HEADINGS_ID = [
    "Indeks final",
    "Peringkat",
    "Dimensi evaluasi",
    "Dimensi smart city",
    "Tren indeks",
    "Penilaian mandiri dan hasil verifikasi",
    "Temuan dan rekomendasi asesor",
    "Cara meningkatkan indeks",
]


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def url(world: World, lang: str | None = None) -> str:
    base = reverse("scorecards:pdf", args=[world.evaluation.pk])
    return f"{base}?lang={lang}" if lang else base


def test_the_published_pdf_carries_the_region_the_index_the_sections_and_the_charts(
    finalised: Finalised,
) -> None:
    publish(finalised)
    world = finalised.world

    response = world.client("anonymous").get(url(world))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="rapor-6402-kutai-kartanegara-2024-tahap-1.pdf"'
    )
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2
    assert reader.metadata is not None
    assert "Kutai Kartanegara" in (reader.metadata.title or "")
    text = pdf_text(response.content)
    assert "Kabupaten Kutai Kartanegara" in text
    index = f"{finalised.index:.2f}".replace(".", ",")  # Indonesian decimals, as on the page
    assert index in text
    for heading in HEADINGS_ID:
        assert heading in text, heading
    # Text that only the charts draw: the trend's axis title, the claims legend, and the
    # dimensions axis ticks in Indonesian number format.
    assert "Siklus" in text
    assert "Terverifikasi" in text
    assert "4,5" in text
    assert "Halaman 1 dari" in text
    assert "DRAF" not in text
    assert "CC BY 4.0" in text


def test_it_speaks_english_on_request(finalised: Finalised) -> None:
    publish(finalised)
    world = finalised.world

    response = world.client("anonymous").get(url(world, "en"))

    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    text = pdf_text(response.content)
    for heading in ["Final index", "Smart city dimensions", "Index trend", "Rank"]:
        assert heading in text, heading
    assert "Dimensi smart city" not in text
    assert "Verified" in text  # the claims chart's legend
    assert "4.5" in text
    assert "4,5" not in text
    assert f"{finalised.index:.2f}" in text


def test_it_follows_the_readers_chosen_language_without_a_parameter(
    finalised: Finalised,
) -> None:
    publish(finalised)
    world = finalised.world
    client = world.client("lead")
    client.cookies["django_language"] = "en"

    response = client.get(url(world))

    assert response["Content-Language"] == "en"
    assert "Smart city dimensions" in pdf_text(response.content)


def test_it_refuses_an_unknown_language_with_a_clear_message(finalised: Finalised) -> None:
    publish(finalised)

    response = finalised.world.client("anonymous").get(url(finalised.world, "fr"))

    assert response.status_code == 400
    assert "fr" in response.content.decode()
    assert "id, en" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("other_coordinator", 404), ("other_contributor", 404)],
)
def test_an_unpublished_pdf_answers_like_the_page_to_those_who_may_not_read_it(
    finalised: Finalised, persona: str, expected: int
) -> None:
    world = finalised.world
    client = world.client(persona)
    page = reverse("scorecards:scorecard", args=[world.evaluation.pk])

    response = client.get(url(world))

    assert response.status_code == expected
    assert client.get(page).status_code == expected
    if expected == 302:
        assert "/accounts/login/" in response["Location"]


def test_the_team_reads_an_unpublished_pdf_marked_as_a_draft(finalised: Finalised) -> None:
    world = finalised.world

    response = world.client("lead").get(url(world))

    assert response.status_code == 200
    assert "-draf.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert "DRAF" in pdf_text(response.content)


def test_another_tenants_pdf_is_not_found(finalised: Finalised) -> None:
    world = finalised.world
    other = reverse("scorecards:pdf", args=[world.other.pk])

    assert world.client("coordinator").get(other).status_code == 404


def test_there_is_no_pdf_before_finalisation(world: World) -> None:
    response = world.client("lead").get(url(world))

    assert response.status_code == 404


def test_the_page_links_to_the_pdf(finalised: Finalised) -> None:
    publish(finalised)
    world = finalised.world

    html = world.client("anonymous").get(
        reverse("scorecards:scorecard", args=[world.evaluation.pk])
    )

    assert f'href="{url(world)}"' in html.content.decode()


def test_page_one_renders_to_a_picture_that_is_not_blank(
    finalised: Finalised, tmp_path: Path
) -> None:
    publish(finalised)
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(render_scorecard_pdf(finalised.world.evaluation, "id"))

    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )

    picture = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    dark = sum(picture.histogram()[:200])  # pixels clearly darker than the white paper
    assert picture.width < picture.height  # A4 portrait
    assert dark > picture.width * picture.height * 0.02


def test_rendering_opens_no_network_connection(
    finalised: Finalised, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(finalised)
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)

    content = render_scorecard_pdf(finalised.world.evaluation, "id")

    assert content.startswith(b"%PDF")
    assert attempts == []


@pytest.mark.parametrize(
    "address",
    [
        "http://example.com/style.css",
        "https://cdn.example.com/vega.js",
        "ftp://example.com/x",
        "data:text/css,body{}",
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
        "file://example.com/static/scorecards/scorecard-print.css",
    ],
)
def test_the_fetcher_refuses_everything_but_our_static_files(address: str) -> None:
    with pytest.raises((FetchRefused, ValueError)):
        StaticFilesOnly().fetch(address)


def test_the_fetcher_serves_our_own_stylesheet() -> None:
    response = StaticFilesOnly().fetch("file:///static/scorecards/scorecard-print.css")

    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_a_remote_resource_in_the_document_stops_the_rendering() -> None:
    html = '<p>x</p><img src="https://example.com/logo.png">'

    with pytest.raises(FatalURLFetchingError):
        HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()


def test_charts_may_load_no_data_from_a_url() -> None:
    spec = {
        "data": {"url": "https://example.com/data.csv"},
        "mark": "bar",
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
    }

    with pytest.raises(ValueError, match="not allowed"):
        chart_svg(spec, 200, "id")


def test_a_chart_is_drawn_as_svg_with_the_languages_numbers() -> None:
    spec = {
        "data": {"values": [{"a": 0.5, "b": "x"}]},
        "mark": "bar",
        "encoding": {
            "x": {"field": "a", "type": "quantitative", "scale": {"domain": [0, 1]}},
            "y": {"field": "b", "type": "nominal"},
        },
    }

    indonesian, english = chart_svg(spec, 200, "id"), chart_svg(spec, 200, "en")

    assert indonesian.startswith("<svg")
    assert 'width="' in indonesian
    assert ">0,2<" in indonesian
    assert ">0.2<" in english


def test_page_numbers_keep_the_translators_word_order() -> None:
    assert page_number_content("Halaman %(page)s dari %(pages)s") == (
        '"Halaman " counter(page) " dari " counter(pages)'
    )
    assert page_number_content('%(page)s/%(pages)s "x"') == (
        'counter(page) "/" counter(pages) " \\"x\\""'
    )


def test_the_file_name_names_code_region_year_and_round(finalised: Finalised) -> None:
    evaluation = finalised.world.evaluation

    assert pdf_filename(evaluation) == "rapor-6402-kutai-kartanegara-2024-tahap-1-draf.pdf"
    publish(finalised)
    assert pdf_filename(evaluation) == "rapor-6402-kutai-kartanegara-2024-tahap-1.pdf"


def test_charts_lose_only_what_paper_does_not_use() -> None:
    spec = {
        "data": {"values": [{"a": 0.5, "b": "Smart Living"}]},
        "mark": "bar",
        "encoding": {
            "x": {"field": "a", "type": "quantitative"},
            "y": {"field": "b", "type": "nominal"},
        },
    }

    svg = chart_svg(spec, 200, "en")

    assert "aria-" not in svg
    assert 'class="' not in svg
    assert 'display="none"' not in svg
    assert ">Smart Living<" in svg  # labels stay
    assert 'fill="#4c78a8"' in svg  # and the bar
    assert svg.count("<text") == vl_convert.vegalite_to_svg({**spec, "width": 200}).count("<text")
