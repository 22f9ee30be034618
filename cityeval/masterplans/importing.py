"""Reading a program sheet into a plan of changes, validating every row before anything is written.

A row whose code already exists in the masterplan updates that program; a new code creates one.
Programs missing from the sheet are left alone (the sheet is not a full replacement). Empty status
cells leave that year as it is. `services.import_programs` writes the plan in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from cityeval.audit.log import snapshot
from cityeval.masterplans import sheetformat as fmt
from cityeval.masterplans.dimensions import smart_axis
from cityeval.masterplans.models import Masterplan, Program, ProgramStatus, ProgramYear
from cityeval.regions.models import OPD

MAX_ROWS = 2000
PROGRAM_FIELDS = [column.key for column in fmt.BASE_COLUMNS]
YEAR_FIELDS = ["status", "progress"]


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None  # None: the problem is the file or the sheet, not one row
    column: str
    problem: str


class ImportRejected(Exception):
    """Nothing was written; `errors` says what to fix, row by row."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__(
            _("%(n)s masalah ditemukan; tidak ada yang disimpan.") % {"n": len(errors)}
        )


@dataclass
class PlannedProgram:
    row: int
    program: Program
    is_new: bool
    before: dict[str, Any]
    years: list[ProgramYear] = field(default_factory=list)
    years_before: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.is_new or self.before != snapshot(self.program, list(self.before))


@dataclass
class Plan:
    programs: list[PlannedProgram]


@dataclass
class _Columns:
    base: dict[str, int]  # field key → 0-based column index
    years: dict[int, dict[str, int]]  # year → {"status": index, "progress": index}
    headers: dict[int, str]  # column index → header text as written

    def name(self, index: int) -> str:
        return f"{get_column_letter(index + 1)} ({self.headers[index]})"


def read_plan(*, workbook: Workbook, masterplan: Masterplan) -> Plan:
    """The changes the sheet asks for, or ImportRejected listing every problem found."""
    sheet_name = fmt.PROGRAM_SHEET
    if sheet_name not in workbook.sheetnames:
        raise ImportRejected(
            [
                RowError(
                    sheet_name,
                    None,
                    "—",
                    _(
                        "Lembar '%(sheet)s' tidak ditemukan. Gunakan templat impor program dari "
                        "halaman masterplan."
                    )
                    % {"sheet": sheet_name},
                )
            ]
        )
    rows = workbook[sheet_name].iter_rows()
    header = next(rows, ())
    columns, errors = _read_header(sheet_name, header, masterplan)
    if errors:
        raise ImportRejected(errors)
    reader = _RowReader(sheet_name, masterplan, columns)
    # Counted here: the empty cells of a read-only sheet do not know their row.
    for number, cells in enumerate(rows, start=2):
        reader.read(number, cells)
    if not reader.count and not reader.errors:
        reader.errors.append(RowError(sheet_name, None, "—", _("Lembar ini tidak berisi program.")))
    if reader.errors:
        raise ImportRejected(reader.errors)
    return Plan(programs=reader.planned)


def _read_header(
    sheet: str, header: Sequence[Any], masterplan: Masterplan
) -> tuple[_Columns, list[RowError]]:
    columns = _Columns(base={}, years={}, headers={})
    errors: list[RowError] = []
    for index, cell in enumerate(header):
        written = fmt.text_of(cell.value)
        if not written:
            continue
        columns.headers[index] = written
        key = fmt.normalise_header(written)
        column = fmt.COLUMN_BY_ALIAS.get(key)
        by_year = fmt.year_header(key)
        problem = None
        if column is not None:
            if column.key in columns.base:
                problem = _("Kolom ini muncul dua kali.")
            columns.base[column.key] = index
        elif by_year is not None:
            kind, year = by_year
            if year not in masterplan.years:
                problem = _("Tahun %(year)s di luar periode masterplan %(start)s–%(end)s.") % {
                    "year": year,
                    "start": masterplan.start_year,
                    "end": masterplan.end_year,
                }
            else:
                if kind in columns.years.setdefault(year, {}):
                    problem = _("Kolom ini muncul dua kali.")
                columns.years[year][kind] = index
        else:
            problem = _("Kolom tidak dikenal. Gunakan templat impor program.")
        if problem:
            errors.append(RowError(sheet, 1, columns.name(index), problem))
    for column in fmt.BASE_COLUMNS:
        if column.key not in columns.base:
            errors.append(
                RowError(
                    sheet,
                    1,
                    column.header,
                    _("Kolom wajib tidak ada. Apakah ini templat impor program yang benar?"),
                )
            )
    return columns, errors


class _RowReader:
    def __init__(self, sheet: str, masterplan: Masterplan, columns: _Columns) -> None:
        self.sheet, self.masterplan, self.columns = sheet, masterplan, columns
        self.axis = smart_axis()
        # Inactive OPDs too: a program may keep an owner that has since merged away.
        self.opds = list(OPD.objects.of_region(masterplan.region))
        self.existing = {p.code: p for p in Program.objects.of_masterplan(masterplan)}
        self.existing_years: dict[tuple[int, int], ProgramYear] = {
            (y.program_id, y.year): y
            for y in ProgramYear.objects.filter(program__masterplan=masterplan)
        }
        self.seen: dict[str, int] = {}
        self.planned: list[PlannedProgram] = []
        self.errors: list[RowError] = []
        self.count = 0

    def read(self, row: int, cells: Sequence[Any]) -> None:
        if all(fmt.text_of(cell.value) == "" for cell in cells):
            return  # blank rows between blocks of programs are harmless
        self.count += 1
        if self.count > MAX_ROWS:
            if self.count == MAX_ROWS + 1:
                self._error(row, "—", _("Paling banyak %(n)s program per impor.") % {"n": MAX_ROWS})
            return
        bad: dict[str, str] = {}
        data = self._parse_program(cells, bad)
        plan = self._plan_program(row, data, bad)
        for year, indexes in sorted(self.columns.years.items()):
            self._plan_year(row, plan, year, indexes, cells)
        if plan is not None and (plan.changed or plan.years):
            self.planned.append(plan)

    def _cell(self, cells: Sequence[Any], index: int | None) -> Any:
        if index is None or index >= len(cells):
            return None
        return cells[index]

    def _value(self, cells: Sequence[Any], key: str) -> Any:
        cell = self._cell(cells, self.columns.base.get(key))
        return None if cell is None else cell.value

    def _parse_program(self, cells: Sequence[Any], bad: dict[str, str]) -> dict[str, Any]:
        text = {key: fmt.text_of(self._value(cells, key)) for key in PROGRAM_FIELDS}
        for key in ("code", "name", "element", "owner", "budget", "start_year", "end_year"):
            if not text[key]:
                bad[key] = _("Wajib diisi.")
        data: dict[str, Any] = {
            "code": text["code"],
            "name": text["name"],
            "description": text["description"],
        }
        element = fmt.find_element(self.axis, text["element"]) if text["element"] else None
        if text["element"] and element is None:
            bad["element"] = _("Elemen tidak dikenal; pilih dari daftar di templat.")
        dimension = fmt.find_dimension(self.axis, text["dimension"]) if text["dimension"] else None
        if text["dimension"] and dimension is None:
            bad["dimension"] = _("Dimensi tidak dikenal; pilih dari daftar di templat.")
        owner_dimension = self.axis.dimension_of(element) if element else None
        if dimension and owner_dimension and owner_dimension.code != dimension:
            bad["element"] = _("Elemen %(element)s bukan bagian dari dimensi %(dimension)s.") % {
                "element": element,
                "dimension": dimension,
            }
        # The element determines the dimension, so an empty dimension cell is filled from it.
        data["element"] = element or ""
        data["dimension"] = dimension or (owner_dimension.code if owner_dimension else "")
        owner = fmt.find_opd(self.opds, text["owner"]) if text["owner"] else None
        if text["owner"] and owner is None:
            bad["owner"] = _(
                "OPD tidak ditemukan di antara perangkat daerah %(region)s (pakai kode OPD)."
            ) % {"region": self.masterplan.region}
        current = self.existing.get(text["code"])
        if (
            owner is not None
            and not owner.active
            and (current is None or current.owner_id != owner.pk)
        ):
            bad["owner"] = _("%(opd)s sudah tidak aktif; pilih OPD penggantinya.") % {"opd": owner}
        data["owner"] = owner
        quick_win = fmt.parse_bool(self._value(cells, "quick_win"))
        if quick_win is None:
            bad["quick_win"] = _("Isi 'ya' atau 'tidak'.")
        data["quick_win"] = bool(quick_win)
        data["budget"] = fmt.parse_decimal(self._value(cells, "budget")) if text["budget"] else None
        if text["budget"] and data["budget"] is None:
            bad["budget"] = _("Anggaran harus berupa angka rupiah, misalnya 1250000000.")
        for key in ("start_year", "end_year"):
            data[key] = fmt.parse_year(self._value(cells, key)) if text[key] else None
            if text[key] and data[key] is None:
                bad[key] = _("Tahun harus berupa empat angka, misalnya 2020.")
        return data

    def _plan_program(
        self, row: int, data: dict[str, Any], bad: dict[str, str]
    ) -> PlannedProgram | None:
        code = data["code"]
        if code and code in self.seen:
            bad.setdefault(
                "code",
                _("Kode %(code)s sudah dipakai di baris %(row)s.")
                % {
                    "code": code,
                    "row": self.seen[code],
                },
            )
        elif code:
            self.seen[code] = row
        existing = self.existing.get(code)
        program = existing if existing is not None else Program(masterplan=self.masterplan)
        plan = PlannedProgram(
            row=row,
            program=program,
            is_new=existing is None,
            before=snapshot(program, PROGRAM_FIELDS) if existing is not None else {},
        )
        for key, value in data.items():
            if key not in bad and value is not None:
                setattr(program, key, value)
        try:
            program.full_clean(
                exclude=["masterplan", "owner", *bad],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            _merge_model_errors(error, bad)
        for key, problem in bad.items():
            self._error(row, self._column_name(self.columns.base.get(key), key), problem)
        return None if bad else plan

    def _plan_year(
        self,
        row: int,
        plan: PlannedProgram | None,
        year: int,
        indexes: dict[str, int],
        cells: Sequence[Any],
    ) -> None:
        status_cell = self._cell(cells, indexes.get("status"))
        progress_cell = self._cell(cells, indexes.get("progress"))
        status_text = fmt.text_of(status_cell.value if status_cell is not None else None)
        progress_value = progress_cell.value if progress_cell is not None else None
        status_column = self._column_name(
            indexes.get("status"), fmt.STATUS_HEADER.format(year=year)
        )
        progress_column = self._column_name(
            indexes.get("progress"), fmt.PROGRESS_HEADER.format(year=year)
        )
        if not status_text:
            if fmt.text_of(progress_value):
                self._error(row, status_column, _("Progres diisi tetapi status kosong."))
            return
        status = fmt.parse_status(status_text)
        if status is None:
            words = ", ".join(fmt.STATUS_WORDS.values())
            self._error(
                row,
                status_column,
                _("Status tidak dikenal; pilih dari %(words)s.") % {"words": words},
            )
            return
        progress = self._progress(progress_cell, status)
        if progress is None:
            self._error(row, progress_column, _("Progres harus berupa angka 0–100."))
            return
        # A row with program errors still gets its year cells checked, against a stand-in.
        program = plan.program if plan is not None else Program(masterplan=self.masterplan)
        existing = (
            None if plan is None or plan.is_new else self.existing_years.get((program.pk, year))
        )
        item = existing or ProgramYear(program=program, year=year)
        before = snapshot(item, YEAR_FIELDS) if existing is not None else None
        item.status, item.progress = status, progress
        try:
            item.full_clean(exclude=["program"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            columns = {"status": status_column, "progress": progress_column}
            for key, messages in error.message_dict.items():
                for message in messages:
                    self._error(row, columns.get(key, status_column), message)
            return
        if plan is None:
            return
        if before is None or before != snapshot(item, YEAR_FIELDS):
            plan.years.append(item)
            if before is not None:
                plan.years_before[year] = before

    def _progress(self, cell: Any, status: ProgramStatus) -> Decimal | None:
        value = cell.value if cell is not None else None
        if fmt.text_of(value) == "":
            # Left empty: a completed program is at 100%, anything else has not shown progress.
            return Decimal(100) if status == ProgramStatus.COMPLETED else Decimal(0)
        number = fmt.parse_decimal(value)
        if number is None:
            return None
        if "%" in str(getattr(cell, "number_format", "") or "") and number <= 1:
            number *= 100  # a cell formatted as a percentage holds 0.75 for 75%
        return number.quantize(Decimal("0.01"))

    def _column_name(self, index: int | None, fallback: str) -> str:
        if index is None:
            header = next((c.header for c in fmt.BASE_COLUMNS if c.key == fallback), fallback)
            return header
        return self.columns.name(index)

    def _error(self, row: int, column: str, problem: str) -> None:
        self.errors.append(RowError(self.sheet, row, column, problem))


def _merge_model_errors(error: ValidationError, bad: dict[str, str]) -> None:
    """Add the model's own rules to the parse problems, one message per column."""
    for key, messages in error.message_dict.items():
        target = "code" if key == NON_FIELD_ERRORS else key
        if target == "element" and "dimension" in bad:
            continue  # the element cannot be judged against a dimension that was not read
        if target not in bad:
            bad[target] = " ".join(messages)
