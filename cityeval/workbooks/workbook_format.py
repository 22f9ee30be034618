"""The self-assessment workbook's format, shared by the writer and the reader.

Sheet names and the metadata sheet are fixed (the reader finds them by name); column headers are
written in the person's language and read in either language, so a workbook downloaded in English
uploads for a colleague who uses Indonesian.

The hidden metadata sheet identifies the evaluation and keeps, for every row, the item's version
and a fingerprint of its value and narrative at the time of the download. The reader needs them to
tell "the person changed this row" from "someone changed the server since" (a conflict). All of it
is signed with the server's secret: a workbook of another evaluation, or one whose identifiers were
edited, is recognised instead of trusted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMAT = "cityeval-self-assessment/1"
GUIDE_SHEET = "Petunjuk"
ITEMS_SHEET = "Butir"
META_SHEET = "_meta"
# Excel (and openpyxl) keep at most this many characters in one cell; the reader refuses a
# narrative that fills a whole cell, since it may have been cut.
NARRATIVE_MAX = 32_767
MAX_ROWS = 2000  # far above any framework's item count; stops reading a sheet of junk rows
_SALT = "cityeval.evaluations.workbook"


@dataclass(frozen=True)
class Column:
    key: str
    header: Promise
    width: int
    editable: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("code", _("Kode"), 12),
    Column("dimension", _("Dimensi"), 18),
    Column("item", _("Butir"), 45),
    Column("kind", _("Jenis"), 14),
    Column("rubric", _("Rubrik / ketentuan nilai"), 60),
    Column("opd", _("Perangkat daerah"), 20),
    Column("evidence", _("Bukti dukung terlampir"), 28),
    Column("version", _("Versi"), 8),
    Column("saved", _("Nilai tersimpan"), 11),
    Column("value", _("Nilai (isi)"), 11, editable=True),
    Column("narrative", _("Narasi (isi)"), 60, editable=True),
)
INDEX = {column.key: index for index, column in enumerate(COLUMNS)}


def accepted_headers(column: Column) -> set[str]:
    """The header as written in each language, compared without case and spacing."""
    found = set()
    for language in ("id", "en"):
        with override(language):
            found.add(plain_header(str(column.header)))
    return found


def plain_header(text: object) -> str:
    return " ".join(str(text or "").split()).casefold()


def comparable_text(text: str) -> str:
    """A narrative as the workbook can hold it: no control characters, Unix line ends, trimmed.

    Browsers send CRLF and Excel writes LF; a narrative that differs only in that is the same.
    """
    return ILLEGAL_CHARACTERS_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n").strip()


def fingerprint(value: Decimal | None, narrative: str) -> str:
    """What the row held at download: the value (normalised) and a hash of the narrative."""
    number = "" if value is None else format(value.normalize(), "f")
    digest = hashlib.sha256(comparable_text(narrative).encode()).hexdigest()[:32]
    return f"{number}|{digest}"


@dataclass(frozen=True)
class MetaRow:
    item_id: int
    code: str
    version: int
    fingerprint: str


@dataclass(frozen=True)
class Meta:
    evaluation_id: int
    region_code: str
    region_name: str
    cycle_id: int
    cycle_label: str
    framework_ref: str
    downloaded_by_id: int
    downloaded_by: str
    downloaded_at: str  # ISO 8601
    rows: tuple[MetaRow, ...]

    def payload(self) -> str:
        rows = [[r.item_id, r.code, r.version, r.fingerprint] for r in self.rows]
        identity = [
            FORMAT,
            self.evaluation_id,
            self.region_code,
            self.region_name,
            self.cycle_id,
            self.cycle_label,
            self.framework_ref,
            self.downloaded_by_id,
            self.downloaded_by,
            self.downloaded_at,
        ]
        return json.dumps([identity, rows], separators=(",", ":"))

    def signature(self) -> str:
        return signing.Signer(salt=_SALT).signature(self.payload())

    def is_signed_by(self, signature: str) -> bool:
        return constant_time_compare(self.signature(), signature)


# The metadata sheet: one "key | value" line per identifier, then a table of rows.
META_KEYS = (
    "format",
    "evaluation_id",
    "region_code",
    "region_name",
    "cycle_id",
    "cycle",
    "framework",
    "downloaded_by_id",
    "downloaded_by",
    "downloaded_at",
    "signature",
)
META_ROWS_HEADER = ("item_id", "code", "version", "fingerprint")
