"""Checking an uploaded workbook by its content before anything reads its cells.

The extension says nothing: a renamed .xls, a .xlsm with macros or a zip bomb all arrive as
"program.xlsx". The file is read in memory and never stored, so it needs no storage name.
"""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# The unpacked XML of a 5 MB workbook stays far below this; a zip bomb does not.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
ZIP_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx protected by a password
MACRO_CONTENT_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled"


class UploadRefused(Exception):
    """The file is not one we read; the message says why, for the person who sent it."""


def size_problem(size: int) -> str | None:
    if size > MAX_UPLOAD_BYTES:
        return _("Berkas terlalu besar (%(size)s MB); batasnya %(limit)s MB.") % {
            "size": f"{size / 1024 / 1024:.1f}",
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
            # Judged from the zip directory, before anything is unpacked.
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise UploadRefused(_("Isi berkas terlalu besar setelah dibuka."))
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, OSError):
        raise UploadRefused(not_xlsx) from None
    if "xl/workbook.xml" not in names:
        raise UploadRefused(not_xlsx)
    if "xl/vbaProject.bin" in names or MACRO_CONTENT_TYPE in types:
        raise UploadRefused(
            _(
                "Berkas ini berisi makro (.xlsm). Demi keamanan, simpan sebagai Buku Kerja Excel "
                "(.xlsx) tanpa makro, lalu unggah lagi."
            )
        )
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        # openpyxl raises many kinds of errors on damaged files; for the person they all mean
        # the same thing, and the cause is in the file, not in the server.
        raise UploadRefused(_("Berkas tidak dapat dibaca sebagai buku kerja Excel.")) from None
