"""Reading an uploaded self-assessment workbook into a preview, checking the whole of it first.

Every problem is collected as (sheet, row, column, problem); one problem anywhere rejects the
whole workbook. A row is then one of:

- unchanged: the workbook holds what the server holds, or what the server held at download and
  the person did not touch (someone else's later edit stays);
- a conflict: the person changed it and someone else changed the value or narrative on the server
  since the download; it is listed with the server's value and author, never overwritten;
- a change: written, after the person confirms the preview, through `save_self_assessment` with
  the server's current version (a version bump alone, e.g. a reassignment, is not a conflict).

Conflicts do not block the other changes: the preview says "N change, M unchanged, K conflicts"
and the person confirms or not. Re-uploading a workbook that was applied finds every row
unchanged and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from cityeval.accounts.access import AnyUser
from cityeval.evaluations.access import entry_lock_reason, item_lock_reason
from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.evaluations.values import check_value
from cityeval.frameworks.models import NodeKind
from cityeval.masterplans.importing import RowError
from cityeval.masterplans.sheetformat import parse_decimal, text_of
from cityeval.workbooks import workbook_format as fmt

DECIMAL_PLACES = 4  # ItemValue.self_value
LARGEST = Decimal(10) ** 10  # max_digits 14 with 4 decimal places


class WorkbookRejected(Exception):
    """Nothing was written; `errors` says what to fix."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__(
            ngettext(
                "%(n)s masalah ditemukan di buku kerja; tidak ada yang disimpan.",
                "%(n)s masalah ditemukan di buku kerja; tidak ada yang disimpan.",
                len(self.errors),
            )
            % {"n": len(self.errors)}
        )


@dataclass(frozen=True)
class Change:
    row: int
    item: ItemValue
    value: Decimal | None
    narrative: str

    @property
    def narrative_changed(self) -> bool:
        return fmt.comparable_text(self.narrative) != fmt.comparable_text(self.item.narrative)


@dataclass(frozen=True)
class Conflict:
    row: int
    item: ItemValue  # as the server holds it now, with `updated_by`
    value: Decimal | None  # what the workbook asks for
    narrative: str


@dataclass(frozen=True)
class Preview:
    meta: fmt.Meta
    changes: list[Change]
    conflicts: list[Conflict]
    unchanged: int


def read_workbook(*, workbook: Workbook, evaluation: Evaluation, user: AnyUser) -> Preview:
    """The preview of what the workbook changes, or WorkbookRejected listing every problem."""
    missing = [s for s in (fmt.ITEMS_SHEET, fmt.META_SHEET) if s not in workbook.sheetnames]
    if missing:
        raise WorkbookRejected(
            [
                _file_error(
                    sheet,
                    _(
                        "Lembar '%(sheet)s' tidak ditemukan. Unggah buku kerja yang diunduh dari "
                        "halaman ini, tanpa mengganti nama atau menghapus lembarnya."
                    )
                    % {"sheet": sheet},
                )
                for sheet in missing
            ]
        )
    meta = _read_meta(workbook[fmt.META_SHEET])
    _check_identity(meta, evaluation)
    lock = entry_lock_reason(evaluation)
    if lock:
        raise WorkbookRejected([_file_error(fmt.ITEMS_SHEET, lock)])
    sheet = workbook[fmt.ITEMS_SHEET]
    if hasattr(sheet, "reset_dimensions"):
        # Some spreadsheet programs write a wrong size into the file; read what is there.
        sheet.reset_dimensions()
    rows = sheet.iter_rows()
    _check_header(next(rows, ()))
    reader = _RowReader(evaluation=evaluation, user=user, meta=meta)
    # Counted here: the empty cells of a read-only sheet do not know their row.
    for number, cells in enumerate(rows, start=2):
        if not reader.read(number, cells):
            break
    if reader.errors:
        raise WorkbookRejected(reader.errors)
    return Preview(
        meta=meta, changes=reader.changes, conflicts=reader.conflicts, unchanged=reader.unchanged
    )


def _file_error(sheet: str, problem: str) -> RowError:
    return RowError(sheet, None, "—", problem)


def _read_meta(sheet: Any) -> fmt.Meta:
    broken = WorkbookRejected(
        [
            _file_error(
                fmt.META_SHEET,
                _(
                    "Lembar identitas '%(sheet)s' rusak atau diubah, sehingga buku kerja ini tidak "
                    "dapat dikenali. Unduh buku kerja baru."
                )
                % {"sheet": fmt.META_SHEET},
            )
        ]
    )
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    lines = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    table = next(
        (i for i, line in enumerate(lines) if line and line[0] == fmt.META_ROWS_HEADER[0]), None
    )
    if table is None:
        raise broken
    found = {text_of(line[0]) if line else "": line[1] if len(line) > 1 else None for line in lines}
    if any(key not in found for key in fmt.META_KEYS) or found["format"] != fmt.FORMAT:
        raise broken
    try:
        meta = fmt.Meta(
            evaluation_id=_whole(found["evaluation_id"]),
            region_code=text_of(found["region_code"]),
            region_name=text_of(found["region_name"]),
            cycle_id=_whole(found["cycle_id"]),
            cycle_label=text_of(found["cycle"]),
            framework_ref=text_of(found["framework"]),
            downloaded_by_id=_whole(found["downloaded_by_id"]),
            downloaded_by=text_of(found["downloaded_by"]),
            downloaded_at=text_of(found["downloaded_at"]),
            rows=tuple(
                fmt.MetaRow(_whole(line[0]), text_of(line[1]), _whole(line[2]), text_of(line[3]))
                for line in lines[table + 1 :]
                if line and line[0] is not None
            ),
        )
    except (TypeError, ValueError, IndexError):
        raise broken from None
    if not meta.is_signed_by(text_of(found["signature"])):
        raise WorkbookRejected(
            [
                _file_error(
                    fmt.META_SHEET,
                    _(
                        "Identitas buku kerja ini tidak sah: lembar '%(sheet)s' telah diubah, atau "
                        "buku kerja ini tidak diunduh dari aplikasi ini. Unduh buku kerja baru."
                    )
                    % {"sheet": fmt.META_SHEET},
                )
            ]
        )
    return meta


def _whole(value: object) -> int:
    """A whole number from a metadata cell; ValueError for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(value)
    return int(value)


def _check_identity(meta: fmt.Meta, evaluation: Evaluation) -> None:
    problem = ""
    if meta.region_code != evaluation.region.code:
        problem = _(
            "Buku kerja ini milik %(region)s (%(cycle)s), bukan %(this)s. Unduh buku kerja dari "
            "halaman evaluasi daerah Anda."
        ) % {
            "region": meta.region_name,
            "cycle": meta.cycle_label,
            "this": evaluation.region.full_name,
        }
    elif meta.evaluation_id != evaluation.pk:
        problem = _(
            "Buku kerja ini untuk evaluasi lain daerah ini (%(cycle)s), bukan %(this)s."
        ) % {"cycle": meta.cycle_label, "this": evaluation.cycle}
    elif meta.framework_ref != evaluation.cycle.framework_version.ref:
        problem = _(
            "Buku kerja ini memakai instrumen %(old)s, sedangkan evaluasi ini memakai %(new)s. "
            "Unduh buku kerja baru."
        ) % {"old": meta.framework_ref, "new": evaluation.cycle.framework_version.ref}
    if problem:
        raise WorkbookRejected([_file_error(fmt.META_SHEET, problem)])


def _column_name(index: int) -> str:
    return f"{get_column_letter(index + 1)} ({fmt.COLUMNS[index].header})"


def _check_header(header: Sequence[Any]) -> None:
    raw = [text_of(getattr(cell, "value", None)) for cell in header]
    raw += [""] * (len(fmt.COLUMNS) - len(raw))
    written = [fmt.plain_header(text) for text in raw]
    where = {h: i for i, column in enumerate(fmt.COLUMNS) for h in fmt.accepted_headers(column)}
    errors = []
    for index, column in enumerate(fmt.COLUMNS):
        text = written[index]
        if text in fmt.accepted_headers(column):
            continue
        if text in where:
            problem = _(
                "Kolom ini berisi '%(found)s', yang seharusnya di kolom %(letter)s. Jangan "
                "memindahkan, menyisipkan atau menghapus kolom."
            ) % {"found": raw[index], "letter": get_column_letter(where[text] + 1)}
        elif text:
            problem = _("Judul kolom seharusnya '%(expected)s', tertulis '%(found)s'.") % {
                "expected": column.header,
                "found": raw[index],
            }
        else:
            problem = _("Judul kolom '%(expected)s' tidak ada.") % {"expected": column.header}
        errors.append(RowError(fmt.ITEMS_SHEET, 1, f"{get_column_letter(index + 1)}", problem))
    if errors:
        raise WorkbookRejected(errors)


class _RowReader:
    def __init__(self, *, evaluation: Evaluation, user: AnyUser, meta: fmt.Meta) -> None:
        self.evaluation = evaluation
        self.user = user
        self.items = {
            item.indicator.code: item
            for item in ItemValue.objects.filter(evaluation=evaluation).select_related(
                "indicator", "updated_by"
            )
        }
        self.downloaded = {row.code: row for row in meta.rows}
        self.framework = meta.framework_ref
        self.seen: dict[str, int] = {}
        self.count = 0
        self.errors: list[RowError] = []
        self.changes: list[Change] = []
        self.conflicts: list[Conflict] = []
        self.unchanged = 0

    def read(self, number: int, cells: Sequence[Any]) -> bool:
        """Check one row; False when reading should stop."""
        values = [getattr(cell, "value", None) for cell in cells]
        values += [None] * (len(fmt.COLUMNS) - len(values))
        if not any(text_of(value) for value in values):
            return True
        self.count += 1
        if self.count > fmt.MAX_ROWS:
            self._error(number, "code", _("Terlalu banyak baris; buku kerja ini bukan unduhan."))
            return False
        item, original = self._identify(number, text_of(values[fmt.INDEX["code"]]))
        if item is None or original is None:
            return True
        version_text = text_of(values[fmt.INDEX["version"]])
        if parse_decimal(values[fmt.INDEX["version"]]) != original.version:
            self._error(
                number,
                "version",
                _("Kolom versi tidak boleh diubah (tertulis %(found)s, seharusnya %(version)s).")
                % {"found": version_text or "—", "version": original.version},
            )
        value_cell = cells[fmt.INDEX["value"]] if len(cells) > fmt.INDEX["value"] else None
        value, value_ok = self._value(number, item, value_cell)
        narrative = self._narrative(number, values[fmt.INDEX["narrative"]])
        if value_ok and narrative is not None:
            self._classify(number, item, original, value, narrative)
        return True

    def _identify(self, number: int, code: str) -> tuple[ItemValue | None, fmt.MetaRow | None]:
        if not code:
            self._error(
                number, "code", _("Kode butir kosong; jangan menambah atau mengosongkan baris.")
            )
            return None, None
        item = self.items.get(code)
        if item is None:
            self._error(
                number,
                "code",
                _("Kode butir %(code)s tidak dikenal dalam instrumen %(framework)s.")
                % {"code": code, "framework": self.framework},
            )
            return None, None
        if code in self.seen:
            self._error(
                number,
                "code",
                _("Butir %(code)s sudah ada di baris %(row)s; setiap butir hanya satu baris.")
                % {"code": code, "row": self.seen[code]},
            )
            return None, None
        self.seen[code] = number
        original = self.downloaded.get(code)
        if original is None or original.item_id != item.pk:
            self._error(
                number,
                "code",
                _(
                    "Butir %(code)s tidak termasuk buku kerja yang Anda unduh. Unduh buku kerja "
                    "baru untuk mengisinya."
                )
                % {"code": code},
            )
            return None, None
        return item, original

    def _value(self, number: int, item: ItemValue, cell: Any) -> tuple[Decimal | None, bool]:
        raw = getattr(cell, "value", None)
        if text_of(raw) == "":
            return None, True
        indicator = item.indicator
        value = parse_decimal(raw)
        if value is None:
            problem = (
                _("Tingkat harus berupa angka, misalnya 3.")
                if indicator.kind == NodeKind.MATURITY
                else _("Nilai harus berupa angka, misalnya 72,5.")
            )
            self._error(number, "value", problem)
            return None, False
        if indicator.kind == NodeKind.PERCENTAGE and "%" in str(getattr(cell, "number_format", "")):
            value *= 100  # a cell formatted as a percentage holds 0.75 for 75%
        problem = check_value(indicator, value)
        if not problem and abs(value) >= LARGEST:
            problem = _("Angka terlalu besar.")
        if not problem and -value.normalize().as_tuple().exponent > DECIMAL_PLACES:  # type: ignore[operator]
            problem = _("Paling banyak %(n)s angka di belakang koma.") % {"n": DECIMAL_PLACES}
        if problem:
            self._error(number, "value", problem)
            return None, False
        if indicator.kind == NodeKind.MATURITY:
            value = Decimal(int(value))  # 3.0 from a numeric cell is level 3
        return value, True

    def _narrative(self, number: int, raw: object) -> str | None:
        text = text_of(raw)
        # A cell holds at most NARRATIVE_MAX characters and openpyxl cuts a longer text to that
        # length, so a text that fills the cell may have lost its end: refused, not saved cut.
        if len(text) >= fmt.NARRATIVE_MAX:
            self._error(
                number,
                "narrative",
                _(
                    "Narasi terlalu panjang: mencapai batas satu sel Excel (%(limit)s karakter) "
                    "dan mungkin terpotong. Persingkat narasinya."
                )
                % {"limit": fmt.NARRATIVE_MAX},
            )
            return None
        return text

    def _classify(
        self,
        number: int,
        item: ItemValue,
        original: fmt.MetaRow,
        value: Decimal | None,
        narrative: str,
    ) -> None:
        mine = fmt.fingerprint(value, narrative)
        server = fmt.fingerprint(item.self_value, item.narrative)
        if mine == server or mine == original.fingerprint:
            # The server holds it already, or the person left the row as downloaded.
            self.unchanged += 1
            return
        lock = item_lock_reason(self.user, item, self.evaluation)
        if lock:
            self._error(number, "value", lock)
        elif item.version != original.version and server != original.fingerprint:
            self.conflicts.append(Conflict(number, item, value, narrative))
        else:
            self.changes.append(Change(number, item, value, narrative))

    def _error(self, row: int, key: str, problem: str) -> None:
        self.errors.append(RowError(fmt.ITEMS_SHEET, row, _column_name(fmt.INDEX[key]), problem))
