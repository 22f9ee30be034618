"""Which files are accepted as evidence, recognised by their content.

The list is short (PDF, JPEG, PNG, WebP, OOXML and ODF documents), so hand-written signatures
are enough and add no dependency. The name's extension must agree with the content: a renamed
program or archive is refused, and so is an Office file with macros (.docm and friends), whose
[Content_Types].xml names a different main part, or an OOXML or OpenDocument file that carries
macros or an embedded OLE object or pulls content from outside itself
(`core.officefiles.active_content_problem`, the check the workbook imports share).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityeval.core.officefiles import PackageRefused, active_content_problem


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."

PDF = FileType("pdf", "PDF", "application/pdf", (".pdf",))
JPEG = FileType("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("png", "PNG", "image/png", (".png",))
WEBP = FileType("webp", "WebP", "image/webp", (".webp",))
DOCX = FileType("docx", "DOCX", _OOXML + "wordprocessingml.document", (".docx",))
XLSX = FileType("xlsx", "XLSX", _OOXML + "spreadsheetml.sheet", (".xlsx",))
PPTX = FileType("pptx", "PPTX", _OOXML + "presentationml.presentation", (".pptx",))
ODT = FileType("odt", "ODT", _ODF + "text", (".odt",))
ODS = FileType("ods", "ODS", _ODF + "spreadsheet", (".ods",))

EVIDENCE_TYPES = (PDF, JPEG, PNG, WEBP, DOCX, XLSX, PPTX, ODT, ODS)
IMAGE_TYPES = (JPEG, PNG, WEBP)

# The main part each OOXML document declares in [Content_Types].xml.
_OOXML_MAIN_PARTS = {
    DOCX: DOCX.content_type + ".main+xml",
    XLSX: XLSX.content_type + ".main+xml",
    PPTX: PPTX.content_type + ".main+xml",
}
# Reading more than this of [Content_Types].xml or `mimetype` would only help a zip bomb.
_ZIP_PART_LIMIT = 512 * 1024
HEAD_BYTES = 16


class FileTypeError(ValueError):
    """The file is not one we accept; the message names the problem for the person."""


def accept_attribute(types: tuple[FileType, ...]) -> str:
    """The `accept` attribute of a file input: a hint to the browser, never a check."""
    return ",".join(ext for kind in types for ext in kind.extensions)


def labels(types: tuple[FileType, ...]) -> str:
    return ", ".join(kind.label for kind in types)


def check_file(name: str, stream: IO[bytes], allowed: tuple[FileType, ...]) -> FileType:
    """The accepted type of a seekable stream whose name is `name`, or FileTypeError."""
    extension = PurePath(name).suffix.lower()
    declared = next((kind for kind in allowed if extension in kind.extensions), None)
    if declared is None:
        raise FileTypeError(
            _("“%(name)s”: jenis berkas %(ext)s tidak diterima. Yang diterima: %(types)s.")
            % {"name": name, "ext": extension or _("tanpa ekstensi"), "types": labels(allowed)}
        )
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    if not head:
        raise FileTypeError(_("“%(name)s”: berkas kosong.") % {"name": name})
    actual = _detect(head, stream)
    stream.seek(0)
    if actual is not declared:
        found = actual.label if isinstance(actual, FileType) else str(actual)
        raise FileTypeError(
            _("“%(name)s”: berkas ini bukan %(declared)s (isinya terbaca sebagai %(found)s).")
            % {"name": name, "declared": declared.label, "found": found}
        )
    if declared in _OOXML_MAIN_PARTS or declared.content_type.startswith(_ODF):
        problem = _active_content(stream)
        if problem:
            raise FileTypeError(_("“%(name)s”: %(problem)s") % {"name": name, "problem": problem})
    return declared


def _active_content(stream: IO[bytes]) -> str | None:
    """Macros or external content, refused as the workbook imports refuse them."""
    try:
        with zipfile.ZipFile(stream) as archive:
            return active_content_problem(archive)
    except (PackageRefused, zipfile.BadZipFile, OSError, EOFError):
        return str(_UNREADABLE)
    finally:
        stream.seek(0)


# Names of content we recognise only to say clearly what a refused file really is.
_PROGRAM = gettext_lazy("program (EXE/ELF)")
_ARCHIVE = gettext_lazy("arsip ZIP")
_UNKNOWN = gettext_lazy("jenis yang tidak dikenal")
_UNREADABLE = gettext_lazy("berkas ini rusak dan tidak dapat dibaca.")


def _detect(head: bytes, stream: IO[bytes]) -> FileType | str:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _detect_zip(stream)
    if head.startswith((b"MZ", b"\x7fELF", b"#!")):
        return str(_PROGRAM)
    return str(_UNKNOWN)


def _detect_zip(stream: IO[bytes]) -> FileType | str:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                text = _read_part(archive, "[Content_Types].xml")
                for kind, main_part in _OOXML_MAIN_PARTS.items():
                    if f'ContentType="{main_part}"' in text:
                        return kind
            elif "mimetype" in names:
                mimetype = _read_part(archive, "mimetype").strip()
                for kind in (ODT, ODS):
                    if mimetype == kind.content_type:
                        return kind
    except (zipfile.BadZipFile, OSError, EOFError, UnicodeDecodeError):
        return str(_UNKNOWN)
    return str(_ARCHIVE)


def _read_part(archive: zipfile.ZipFile, name: str) -> str:
    info = archive.getinfo(name)
    if info.file_size > _ZIP_PART_LIMIT:
        return ""
    with archive.open(info) as part:
        return part.read(_ZIP_PART_LIMIT).decode("utf-8")


def label_for(content_type: str) -> str:
    """The short name of a stored content type (PDF, DOCX, ...), for lists."""
    return next((kind.label for kind in EVIDENCE_TYPES if kind.content_type == content_type), "")
