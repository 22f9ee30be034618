"""The team world (`tests/world.py`) in self-assessment, and sample files of every kind."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cityeval.evidence.samples import tiny_pdf, tiny_png
from tests.world import TeamWorld


@pytest.fixture
def world(team_world: TeamWorld) -> TeamWorld:
    return team_world


# Sample contents ---------------------------------------------------------------------------

PDF_BYTES = tiny_pdf(["Peraturan Bupati tentang Masterplan Smart City"])
PNG_BYTES = tiny_png(8, 6, (30, 120, 200), stripe=2)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 64 + b"\xff\xd9"
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def zip_bytes(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def ooxml(main: str) -> bytes:
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Override PartName="/word/document.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.{main}.main+xml"/></Types>'
    )
    return zip_bytes({"[Content_Types].xml": types, "word/document.xml": "<w:document/>"})


DOCX_BYTES = ooxml("wordprocessingml.document")
XLSX_BYTES = ooxml("spreadsheetml.sheet")
PPTX_BYTES = ooxml("presentationml.presentation")
ODT_BYTES = zip_bytes(
    {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}
)
PLAIN_ZIP_BYTES = zip_bytes({"notes.txt": "bukan dokumen"})


def upload(
    name: str, content: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
