"""Checking an uploaded workbook by its content before anything reads its cells.

The extension says nothing: a renamed .xls, a .xlsm with macros or a zip bomb all arrive as
"program.xlsx". The file is read in memory and never stored, so it needs no storage name.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from cityeval.core.numbers import figure
from cityeval.core.officefiles import PackageRefused, check_workbook, unreadable_workbook

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ZIP_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx protected by a password


class UploadRefused(Exception):
    """The file is not one we read; the message says why, for the person who sent it."""


def size_problem(size: int) -> str | None:
    if size > MAX_UPLOAD_BYTES:
        return _("Berkas terlalu besar (%(size)s MB); batasnya %(limit)s MB.") % {
            "size": figure(size / 1024 / 1024, 1),
            "limit": MAX_UPLOAD_BYTES // 1024 // 1024,
        }
    return None


def open_workbook(*, content: bytes) -> Workbook:
    """The workbook in `content`, or UploadRefused with a message that names the problem."""
    problem = size_problem(len(content))
    if problem:
        raise UploadRefused(problem)
    if content.startswith(OLE2_SIGNATURE):
        raise UploadRefused(
            _(
                "Berkas ini berformat Excel lama (.xls) atau dilindungi kata sandi. Simpan "
                "sebagai Buku Kerja Excel (.xlsx) tanpa kata sandi, lalu unggah lagi."
            )
        )
    not_xlsx = _("Berkas ini bukan buku kerja Excel (.xlsx). Gunakan templat dari halaman ini.")
    if not content.startswith(ZIP_SIGNATURE):
        raise UploadRefused(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        raise UploadRefused(not_xlsx) from None
    if "xl/workbook.xml" not in names:
        raise UploadRefused(not_xlsx)
    try:
        # Sizes, macros, external links, well-formed XML and sheet dimensions, before parsing.
        check_workbook(content)
    except PackageRefused as refused:
        raise UploadRefused(str(refused)) from None
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        # openpyxl raises many kinds of errors on damaged files; for the person they all mean
        # the same thing, and the cause is in the file, not in the server.
        raise UploadRefused(unreadable_workbook()) from None


# What openpyxl raises while it reads a damaged sheet. Read-only mode parses sheets lazily, as
# the importer walks the rows, so these surface in the importer's loop, not in load_workbook.
UNREADABLE = (
    ParseError,
    zipfile.BadZipFile,
    OSError,
    EOFError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
)


@contextmanager
def opened_workbook(*, content: bytes) -> Iterator[Workbook]:
    """The checked workbook, for reading inside the `with`; whatever the reading meets in a
    damaged file becomes UploadRefused ("cannot read this workbook"), never a server error."""
    workbook = open_workbook(content=content)
    try:
        yield workbook
    except UNREADABLE:
        logger.warning("workbook could not be read", exc_info=True)
        raise UploadRefused(unreadable_workbook()) from None
    finally:
        workbook.close()
