"""The program sheet's format, shared by the template writer and the importer.

Column headers and cell words (status, ya/tidak) are fixed Indonesian text, not translated:
the sheet is a data exchange format, and a file written by someone using the English UI must
import for someone using the Indonesian one. The importer also accepts English headers and words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from cityeval.masterplans.dimensions import SmartAxis
from cityeval.masterplans.models import ProgramStatus
from cityeval.regions.models import OPD

PROGRAM_SHEET = "Program"
LISTS_SHEET = "Daftar"
GUIDE_SHEET = "Petunjuk"
LABEL_SEPARATOR = " — "


@dataclass(frozen=True)
class Column:
    key: str  # the Program field it fills
    header: str
    aliases: tuple[str, ...]


BASE_COLUMNS: tuple[Column, ...] = (
    Column("code", "Kode", ("kode", "code", "kode program")),
    Column("name", "Nama program", ("nama program", "nama", "name", "program name", "program")),
    Column("description", "Deskripsi", ("deskripsi", "description")),
    Column("dimension", "Dimensi", ("dimensi", "dimension", "dimensi smart city")),
    Column("element", "Elemen", ("elemen", "element")),
    Column("owner", "OPD pengampu", ("opd pengampu", "opd", "owner opd", "owner")),
    Column("quick_win", "Quick win", ("quick win", "quickwin")),
    Column("budget", "Anggaran (Rp)", ("anggaran", "budget", "anggaran rp")),
    Column("start_year", "Tahun mulai", ("tahun mulai", "start year")),
    Column("end_year", "Tahun selesai", ("tahun selesai", "end year")),
)
COLUMN_BY_ALIAS = {alias: column for column in BASE_COLUMNS for alias in column.aliases}
STATUS_HEADER = "Status {year}"
PROGRESS_HEADER = "Progres {year} (%)"
_YEAR_HEADER = re.compile(r"^(status|progres|progress) (\d{4})$")

STATUS_WORDS = {
    ProgramStatus.PLANNED: "direncanakan",
    ProgramStatus.RUNNING: "berjalan",
    ProgramStatus.COMPLETED: "selesai",
    ProgramStatus.STALLED: "terhenti",
    ProgramStatus.CANCELLED: "dibatalkan",
}
_STATUS_BY_WORD = {word: status for status, word in STATUS_WORDS.items()} | {
    status.value: status for status in ProgramStatus
}
YES, NO = "ya", "tidak"
_YES = {"ya", "y", "yes", "true", "1", "benar"}
_NO = {"tidak", "t", "no", "n", "false", "0", "salah", ""}


def normalise_header(text: object) -> str:
    """'Anggaran (Rp)' → 'anggaran', '  Status   2020 ' → 'status 2020'."""
    plain = re.sub(r"\(.*?\)", " ", str(text or "")).lower()
    return " ".join(plain.replace("_", " ").split())


def year_header(text: str) -> tuple[str, int] | None:
    """('status' | 'progress', year) for a year column header, else None."""
    match = _YEAR_HEADER.match(text)
    if not match:
        return None
    kind = "status" if match.group(1) == "status" else "progress"
    return kind, int(match.group(2))


def text_of(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a code typed as a number, e.g. 12 read back as 12.0
    return str(value).strip()


def label(code: str, name: str) -> str:
    return f"{code}{LABEL_SEPARATOR}{name}" if name else code


def _code_part(text: str) -> str:
    return text.split(LABEL_SEPARATOR.strip(), 1)[0].strip() if text else ""


def dimension_labels(axis: SmartAxis) -> list[str]:
    return [label(d.code, d.name_id) for d in axis.dimensions]


def element_labels(axis: SmartAxis) -> list[str]:
    return [label(e.code, e.name_id) for d in axis.dimensions for e in d.elements]


def opd_label(opd: OPD) -> str:
    return label(opd.code, opd.short_name or opd.name)


def find_dimension(axis: SmartAxis, text: str) -> str | None:
    """A dimension code from its code, its name, or 'CODE — name' (any case)."""
    wanted = text.casefold()
    for dimension in axis.dimensions:
        names = {dimension.code, dimension.name_id, dimension.name_en}
        if wanted in {n.casefold() for n in names if n} or (
            _code_part(text).casefold() == dimension.code.casefold()
        ):
            return dimension.code
    return None


def find_element(axis: SmartAxis, text: str) -> str | None:
    wanted = text.casefold()
    for dimension in axis.dimensions:
        for element in dimension.elements:
            names = {element.code, element.name_id, element.name_en}
            if wanted in {n.casefold() for n in names if n} or (
                _code_part(text).casefold() == element.code.casefold()
            ):
                return element.code
    return None


def find_opd(opds: list[OPD], text: str) -> OPD | None:
    """An OPD of the region from its code, short name, name, or 'CODE — short name'.

    A short name shared by two OPDs matches neither: the code then has to be used.
    """
    wanted = text.casefold()
    by_code = {opd.code.casefold(): opd for opd in opds}
    if wanted in by_code:
        return by_code[wanted]
    if _code_part(text).casefold() in by_code:
        return by_code[_code_part(text).casefold()]
    named = [o for o in opds if wanted in {o.short_name.casefold(), o.name.casefold()} - {""}]
    return named[0] if len(named) == 1 else None


def parse_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    word = text_of(value).casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


def parse_year(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = text_of(value)
    return int(text) if re.fullmatch(r"\d{4}", text) else None


_GROUPED_DOTS = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.250.000.000,50 (Indonesian)
_GROUPED_COMMAS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,250,000,000.50 (English)


def parse_decimal(value: object) -> Decimal | None:
    """A number from a numeric cell or a text such as 'Rp 1.250.000.000' or '72,5'."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        # Through str: Decimal(0.1) would carry the binary float's error into the database.
        return Decimal(str(value))
    text = text_of(value).casefold().removeprefix("rp").replace(" ", "").replace("%", "")
    if _GROUPED_DOTS.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif _GROUPED_COMMAS.match(text):
        text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_status(value: object) -> ProgramStatus | None:
    return _STATUS_BY_WORD.get(text_of(value).casefold())
