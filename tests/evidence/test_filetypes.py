"""Uploads are recognised by content; the name's extension must agree with it."""

from __future__ import annotations

import io
from typing import Any

import pytest

from cityeval.evidence.filetypes import (
    EVIDENCE_TYPES,
    IMAGE_TYPES,
    FileTypeError,
    check_file,
)
from tests.core.officefile_samples import external_relationship, rezip
from tests.evidence.conftest import (
    DOCX_BYTES,
    EXE_BYTES,
    JPEG_BYTES,
    ODT_BYTES,
    PDF_BYTES,
    PLAIN_ZIP_BYTES,
    PNG_BYTES,
    PPTX_BYTES,
    WEBP_BYTES,
    XLSX_BYTES,
    zip_bytes,
)


@pytest.mark.parametrize(
    ("name", "content", "key"),
    [
        ("perbup.pdf", PDF_BYTES, "pdf"),
        ("foto.PNG", PNG_BYTES, "png"),
        ("foto.jpg", JPEG_BYTES, "jpeg"),
        ("foto.jpeg", JPEG_BYTES, "jpeg"),
        ("foto.webp", WEBP_BYTES, "webp"),
        ("laporan.docx", DOCX_BYTES, "docx"),
        ("anggaran.xlsx", XLSX_BYTES, "xlsx"),
        ("paparan.pptx", PPTX_BYTES, "pptx"),
        ("notulen.odt", ODT_BYTES, "odt"),
    ],
)
def test_it_accepts_the_listed_types_by_content(name: str, content: bytes, key: str) -> None:
    assert check_file(name, io.BytesIO(content), EVIDENCE_TYPES).key == key


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("gambar.pdf", PNG_BYTES, "bukan PDF (isinya terbaca sebagai PNG)"),
        ("setup.pdf", EXE_BYTES, "bukan PDF (isinya terbaca sebagai program"),
        ("arsip.docx", PLAIN_ZIP_BYTES, "bukan DOCX (isinya terbaca sebagai arsip ZIP)"),
        ("laporan.xlsx", DOCX_BYTES, "bukan XLSX (isinya terbaca sebagai DOCX)"),
        ("rusak.docx", b"PK\x03\x04 not really a zip", "bukan DOCX"),
        ("catatan.pdf", b"hanya teks biasa", "bukan PDF"),
        ("kosong.pdf", b"", "berkas kosong"),
        ("setup.exe", EXE_BYTES, "jenis berkas .exe tidak diterima"),
        ("tanpa-ekstensi", PDF_BYTES, "tidak diterima"),
    ],
)
def test_it_refuses_content_that_is_not_what_the_name_says(
    name: str, content: bytes, message: str
) -> None:
    with pytest.raises(FileTypeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_file(name, io.BytesIO(content), EVIDENCE_TYPES)


def test_it_refuses_an_office_file_with_macros() -> None:
    types = (
        '<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>'
        "</Types>"
    )
    content = zip_bytes({"[Content_Types].xml": types})
    with pytest.raises(FileTypeError, match="bukan DOCX"):
        check_file("makro.docx", io.BytesIO(content), EVIDENCE_TYPES)


def test_it_accepts_only_images_as_visit_photos() -> None:
    with pytest.raises(FileTypeError, match="tidak diterima"):
        check_file("laporan.pdf", io.BytesIO(PDF_BYTES), IMAGE_TYPES)
    assert check_file("foto.png", io.BytesIO(PNG_BYTES), IMAGE_TYPES).key == "png"


def test_it_leaves_the_stream_at_the_start_for_the_writer() -> None:
    stream = io.BytesIO(DOCX_BYTES)
    check_file("laporan.docx", stream, EVIDENCE_TYPES)
    assert stream.tell() == 0


def test_an_uploaded_name_loses_folders_and_control_characters() -> None:
    from cityeval.evidence.uploads import display_name

    assert display_name("C:\\Users\\budi\\laporan.pdf") == "laporan.pdf"
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("lap\r\noran.pdf") == "laporan.pdf"
    assert display_name("") == "berkas"
    long = display_name("a" * 400 + ".docx")
    assert len(long) == 255
    assert long.endswith(".docx")


@pytest.mark.parametrize(
    ("name", "content", "parts", "words"),
    [
        ("laporan.docx", DOCX_BYTES, {"word/vbaProject.bin": b"\0macro"}, "berisi makro"),
        ("anggaran.xlsx", XLSX_BYTES, {"xl/vbaProject.bin": b"\0macro"}, "berisi makro"),
        ("paparan.pptx", PPTX_BYTES, {"ppt/vbaProject.bin": b"\0macro"}, "berisi makro"),
        (
            "anggaran.xlsx",
            XLSX_BYTES,
            {"xl/externalLinks/externalLink1.xml": "<externalLink/>"},
            "dari luar berkas",
        ),
        (
            "laporan.docx",
            DOCX_BYTES,
            {"word/_rels/settings.xml.rels": external_relationship("attachedTemplate")},
            "dari luar berkas",
        ),
        (
            "paparan.pptx",
            PPTX_BYTES,
            {"ppt/slides/_rels/slide1.xml.rels": external_relationship("image")},
            "dari luar berkas",
        ),
        ("laporan.docx", DOCX_BYTES, {"word/embeddings/oleObject1.bin": b"\xd0\xcf"}, "OLE"),
        ("paparan.pptx", PPTX_BYTES, {"ppt/embeddings/oleObject2.bin": b"\xd0\xcf"}, "OLE"),
        ("notulen.odt", ODT_BYTES, {"Basic/Standard/Module1.xml": "<m/>"}, "berisi makro"),
        ("notulen.odt", ODT_BYTES, {"Scripts/python/run.py": "import os"}, "berisi makro"),
        (
            "notulen.odt",
            ODT_BYTES,
            {
                "META-INF/manifest.xml": '<manifest:file-entry manifest:full-path="Object 1" '
                'manifest:media-type="application/vnd.sun.star.oleobject"/>'
            },
            "OLE",
        ),
    ],
    ids=[
        "docx macros",
        "xlsx macros",
        "pptx macros",
        "xlsx links",
        "remote template",
        "image",
        "docx OLE object",
        "pptx OLE object",
        "odt Basic macros",
        "odt scripts",
        "odt OLE object",
    ],
)
def test_it_refuses_office_files_with_macros_or_external_content(
    name: str, content: bytes, parts: dict[str, Any], words: str
) -> None:
    with pytest.raises(FileTypeError, match=words) as caught:
        check_file(name, io.BytesIO(rezip(content, parts)), EVIDENCE_TYPES)
    assert str(caught.value).startswith(f"“{name}”: ")


def test_it_accepts_an_embedded_office_document_and_a_plain_opendocument() -> None:
    # An embedded workbook is itself OOXML (checked when opened), not an OLE compound file.
    parts = {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": XLSX_BYTES}
    content = rezip(DOCX_BYTES, parts)
    assert check_file("laporan.docx", io.BytesIO(content), EVIDENCE_TYPES).key == "docx"
    manifest = {"META-INF/manifest.xml": '<manifest:file-entry manifest:full-path="/"/>'}
    content = rezip(ODT_BYTES, manifest)
    assert check_file("notulen.odt", io.BytesIO(content), EVIDENCE_TYPES).key == "odt"


def test_it_accepts_a_document_with_plain_hyperlinks() -> None:
    parts = {"word/_rels/document.xml.rels": external_relationship("hyperlink")}
    content = rezip(DOCX_BYTES, parts)
    assert check_file("laporan.docx", io.BytesIO(content), EVIDENCE_TYPES).key == "docx"
