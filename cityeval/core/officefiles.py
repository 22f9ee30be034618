"""Checks of an uploaded Office Open XML file (.xlsx, .docx, .pptx) made from its zip directory
and a streaming pass over its XML, before any library parses it.

- `active_content_problem`: macros (`vbaProject.bin`, a macro-enabled content type; in an
  OpenDocument file the `Basic/` and `Scripts/` folders), embedded OLE objects (an OOXML
  `embeddings/*.bin` part, an OpenDocument `application/vnd.sun.star.oleobject` entry: a
  "package" object carries any program, run by a double click), or content fetched from outside
  the file (external workbook links, relationships with TargetMode="External" other than plain
  hyperlinks: a remote template, a linked picture or object). Shared by evidence uploads (OOXML
  and OpenDocument) and the workbook imports.
- `check_workbook`: everything a workbook import needs before openpyxl reads it: the zip's
  unpacked size, per-part size, part count and compression ratio, active content, every XML part
  well formed, and each sheet's rows and columns (both the cells really present and the declared
  `<dimension>`, which openpyxl's read-only mode believes and pads every row to) within the
  `WORKBOOK_MAX_*` settings. A 114 KB file that unpacks to 36 MB is refused here in milliseconds.

Messages are for the person who sent the file: they say what is wrong and what to do.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _

from cityeval.core.numbers import figure

MACRO_PART = "vbaproject.bin"
MACRO_CONTENT_TYPE = b"macroEnabled"
EXTERNAL_LINK_FOLDER = "/externallinks/"
HYPERLINK_TYPE = "/hyperlink"
# An embedded OLE object: OOXML keeps its compound file as embeddings/oleObjectN.bin; an embedded
# Office document (embeddings/Microsoft_Excel_Worksheet.xlsx) is itself OOXML and not refused.
OLE_EMBEDDING = re.compile(r"(^|/)embeddings/[^/]*\.bin$")
ODF_SCRIPT_FOLDERS = ("basic/", "scripts/")
ODF_MANIFEST = "META-INF/manifest.xml"
ODF_OLE_TYPE = b"application/vnd.sun.star.oleobject"
# A part over this size whose compression ratio exceeds WORKBOOK_MAX_RATIO is a bomb; small
# parts (styles, a sheet of one repeated value) may compress very well and cost nothing.
RATIO_FLOOR_BYTES = 1024 * 1024
# Relationship parts are short lists; reading more of one would only help a zip bomb.
MAX_RELS_BYTES = 4 * 1024 * 1024
_CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d+)")
_MEGABYTE = 1024 * 1024


class PackageRefused(ValueError):
    """The file is refused; the message names the problem for the person who sent it."""


@dataclass(frozen=True)
class Limits:
    unpacked_bytes: int
    part_bytes: int
    parts: int
    ratio: int
    rows: int
    columns: int
    cells: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            unpacked_bytes=settings.WORKBOOK_MAX_UNPACKED_BYTES,
            part_bytes=settings.WORKBOOK_MAX_PART_BYTES,
            parts=settings.WORKBOOK_MAX_PARTS,
            ratio=settings.WORKBOOK_MAX_RATIO,
            rows=settings.WORKBOOK_MAX_ROWS,
            columns=settings.WORKBOOK_MAX_COLUMNS,
            cells=settings.WORKBOOK_MAX_CELLS,
        )


def unreadable_workbook() -> str:
    return _("Berkas tidak dapat dibaca sebagai buku kerja Excel.")


def macro_message() -> str:
    return _(
        "Berkas ini berisi makro (.xlsm). Demi keamanan, simpan sebagai Buku Kerja Excel "
        "(.xlsx) tanpa makro, lalu unggah lagi."
    )


def macro_document_message() -> str:
    return _(
        "Berkas ini berisi makro (VBA). Demi keamanan, simpan tanpa makro (.docx, .xlsx atau "
        ".pptx biasa), lalu unggah lagi."
    )


def external_message() -> str:
    return _(
        "Berkas ini memuat isi yang diambil dari luar berkas (tautan ke buku kerja lain, templat "
        "atau objek tertaut). Demi keamanan, putuskan tautan itu, simpan, lalu unggah lagi."
    )


def ole_message() -> str:
    return _(
        "Berkas ini memuat objek OLE tersemat, yang dapat membawa program. Demi keamanan, hapus "
        "objek itu (sisipkan isinya sebagai gambar atau lampirkan sebagai PDF), simpan, lalu "
        "unggah lagi."
    )


def active_content_problem(archive: zipfile.ZipFile, *, workbook: bool = False) -> str | None:
    """Why an OOXML or OpenDocument package with macros, embedded OLE objects or external
    content is refused, or None."""
    names = archive.namelist()
    lowered = [name.lower() for name in names]
    types = _read_small(archive, "[Content_Types].xml") or b""
    if (
        any(posixpath.basename(name) == MACRO_PART for name in lowered)
        or MACRO_CONTENT_TYPE in types
        or any(name.startswith(ODF_SCRIPT_FOLDERS) for name in lowered)
    ):
        return macro_message() if workbook else macro_document_message()
    if any(OLE_EMBEDDING.search(name) for name in lowered) or (
        ODF_OLE_TYPE in (_read_small(archive, ODF_MANIFEST) or b"")
    ):
        return ole_message()
    if any(EXTERNAL_LINK_FOLDER in "/" + name for name in lowered):
        return external_message()
    for name in names:
        if name.lower().endswith(".rels") and _has_external_target(archive, name):
            return external_message()
    return None


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_RELS_BYTES:
        raise PackageRefused(unreadable_workbook())
    with archive.open(info) as part:
        return part.read(MAX_RELS_BYTES)


def _has_external_target(archive: zipfile.ZipFile, name: str) -> bool:
    found = False

    def start(tag: str, attrs: dict[str, str]) -> bool:
        nonlocal found
        if tag == "Relationship" and attrs.get("TargetMode", "").lower() == "external":
            found = not attrs.get("Type", "").endswith(HYPERLINK_TYPE)
        return found

    _parse(io.BytesIO(_read_small(archive, name) or b""), start, frozenset({"Relationship"}))
    return found


def _parse(
    stream: IO[bytes],
    start: Callable[[str, dict[str, str]], bool] | None = None,
    tags: frozenset[str] = frozenset(),
) -> None:
    """Stream `stream` through expat, calling `start(local name, attributes)` for each element
    named in `tags` until it returns True. No tree is built, so memory stays flat whatever the
    part's size. A DOCTYPE (never in OOXML; the door to entity expansion) or malformed XML
    refuses the file."""
    parser = expat.ParserCreate(namespace_separator=" ")

    class Stop(Exception):
        pass

    def on_start(name: str, attrs: dict[str, str]) -> None:
        local = name[name.rfind(" ") + 1 :]
        if local not in tags or start is None:
            return
        if start(local, {key[key.rfind(" ") + 1 :]: value for key, value in attrs.items()}):
            raise Stop

    def refuse_doctype(*_args: object) -> None:
        raise PackageRefused(unreadable_workbook())

    if start is not None:
        parser.StartElementHandler = on_start
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    try:
        while chunk := stream.read(256 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except Stop:
        return
    except expat.ExpatError:
        raise PackageRefused(unreadable_workbook()) from None


def check_workbook(content: bytes, limits: Limits | None = None) -> None:
    """Refuse (PackageRefused) a workbook that is damaged, too big unpacked, or active."""
    limits = limits or Limits.from_settings()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            _check_sizes(infos, limits)
            problem = active_content_problem(archive, workbook=True)
            if problem:
                raise PackageRefused(problem)
            sheets = _sheet_names(archive)
            cells = 0
            for info in infos:
                name = info.filename
                sheet = sheets.get(name) or (name if name.startswith("xl/worksheets/") else None)
                if name.endswith((".xml", ".rels", ".vml")):
                    rows, columns = _scan_part(archive, info, sheet, limits)
                    cells += rows * columns
            if cells > limits.cells:
                raise PackageRefused(
                    _(
                        "Buku kerja ini terlalu besar: %(cells)s sel; batasnya %(limit)s. Hapus "
                        "lembar, baris atau kolom di luar tabel, lalu unggah lagi."
                    )
                    % {"cells": cells, "limit": limits.cells}
                )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError):
        # RuntimeError: an encrypted part; OSError/EOFError: a damaged stream.
        raise PackageRefused(unreadable_workbook()) from None


def _check_sizes(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.parts:
        raise PackageRefused(
            _("Berkas ini berisi %(n)s bagian; buku kerja biasa berisi jauh lebih sedikit.")
            % {"n": len(infos)}
        )
    total = sum(info.file_size for info in infos)
    too_big = _(
        "Isi berkas terlalu besar setelah dibuka (%(size)s MB; batasnya %(limit)s MB). "
        "Buku kerja dari templat jauh lebih kecil; periksa apakah ada lembar atau isi tambahan."
    )
    if total > limits.unpacked_bytes:
        raise PackageRefused(
            too_big
            % {
                "size": figure(total / _MEGABYTE, 1),
                "limit": f"{limits.unpacked_bytes / _MEGABYTE:g}",
            }
        )
    for info in infos:
        if info.file_size > limits.part_bytes:
            raise PackageRefused(
                too_big
                % {
                    "size": figure(info.file_size / _MEGABYTE, 1),
                    "limit": f"{limits.part_bytes / _MEGABYTE:g}",
                }
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > limits.ratio:
            raise PackageRefused(
                _(
                    "Isi berkas ini dipadatkan secara tidak wajar (%(ratio)s kali). Simpan ulang "
                    "buku kerja dari Excel, lalu unggah lagi."
                )
                % {"ratio": int(ratio)}
            )


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name → sheet name as shown on its tab, for the messages."""
    workbook = _read_small(archive, "xl/workbook.xml")
    rels = _read_small(archive, "xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        return {}
    targets: dict[str, str] = {}
    names: dict[str, str] = {}

    def relationship(tag: str, attrs: dict[str, str]) -> bool:
        if tag == "Relationship":
            target = attrs.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[attrs.get("Id", "")] = posixpath.normpath(part)
        return False

    def sheet(tag: str, attrs: dict[str, str]) -> bool:
        if tag == "sheet" and attrs.get("id", "") in targets:
            names[targets[attrs["id"]]] = attrs.get("name", "")
        return False

    _parse(io.BytesIO(rels), relationship, frozenset({"Relationship"}))
    _parse(io.BytesIO(workbook), sheet, frozenset({"sheet"}))
    return names


def _scan_part(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str | None, limits: Limits
) -> tuple[int, int]:
    """Parse one XML part as a stream (well-formedness); a sheet's rows and columns."""
    with archive.open(info) as stream:
        if sheet is None:
            _parse(stream)
            return 0, 0
        rows, columns = _sheet_size(stream, limits)
    if rows > limits.rows or columns > limits.columns:
        raise PackageRefused(
            _(
                "Lembar '%(sheet)s' terlalu besar: %(rows)s baris × %(columns)s kolom; batasnya "
                "%(max_rows)s baris dan %(max_columns)s kolom. Hapus baris atau kolom di luar "
                "tabel, lalu unggah lagi."
            )
            % {
                "sheet": sheet,
                "rows": rows,
                "columns": columns,
                "max_rows": limits.rows,
                "max_columns": limits.columns,
            }
        )
    return rows, columns


def _sheet_size(stream: IO[bytes], limits: Limits) -> tuple[int, int]:
    """The last row and column a reader of this sheet walks to: the cells present and the
    declared dimension (openpyxl's read-only mode pads every row to it). Stops as soon as
    either passes its limit."""
    size = {"rows": 0, "columns": 0, "row": 0, "column": 0}

    def start(tag: str, attrs: dict[str, str]) -> bool:
        if tag == "dimension":
            for ref in attrs.get("ref", "").split(":"):
                row, column = _position(ref)
                size["rows"], size["columns"] = max(size["rows"], row), max(size["columns"], column)
        elif tag == "row":
            number = attrs.get("r", "")
            size["row"] = int(number) if number.isdigit() else size["row"] + 1
            size["rows"], size["column"] = max(size["rows"], size["row"]), 0
        elif tag == "c":
            row, column = _position(attrs.get("r", ""))
            size["column"] = column or size["column"] + 1
            size["rows"] = max(size["rows"], row)
            size["columns"] = max(size["columns"], size["column"])
        return size["rows"] > limits.rows or size["columns"] > limits.columns

    _parse(stream, start, frozenset({"dimension", "row", "c"}))
    return size["rows"], size["columns"]


def _position(ref: str) -> tuple[int, int]:
    match = _CELL_REF.fullmatch(ref.replace("$", ""))
    if not match:
        return 0, 0
    letters, digits = match.groups()
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return int(digits), column
