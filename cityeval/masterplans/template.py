"""The program import template: the masterplan's current programs in the columns the import reads.

Filled with the existing programs, so that downloading, editing and uploading it again is a
round trip that changes only what the person changed.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cityeval.core.tabular import append_row, new_workbook, set_cell, workbook_bytes
from cityeval.masterplans import sheetformat as fmt
from cityeval.masterplans.dimensions import smart_axis
from cityeval.masterplans.models import Masterplan, Program, ProgramStatus, ProgramYear
from cityeval.regions.models import OPD

EMPTY_ROWS = 300  # room for new programs, with the lists and checks already in place
HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")


def template_workbook(*, masterplan: Masterplan) -> bytes:
    axis = smart_axis()
    opds = list(OPD.objects.of_region(masterplan.region).active())
    programs = list(Program.objects.of_masterplan(masterplan).for_page())
    years: dict[tuple[int, int], ProgramYear] = {
        (y.program_id, y.year): y for y in ProgramYear.objects.filter(program__in=programs)
    }
    book = new_workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = fmt.PROGRAM_SHEET
    headers = [column.header for column in fmt.BASE_COLUMNS]
    for year in masterplan.years:
        headers += [fmt.STATUS_HEADER.format(year=year), fmt.PROGRESS_HEADER.format(year=year)]
    append_row(sheet, headers)
    owners = {opd.pk: opd for opd in opds}
    for program in programs:
        owner = owners.get(program.owner_id) or program.owner
        row: list[object] = [
            program.code,
            program.name,
            program.description,
            _label_of(axis.dimension(program.dimension), program.dimension),
            _label_of(axis.element(program.element), program.element),
            fmt.opd_label(owner),
            fmt.YES if program.quick_win else fmt.NO,
            program.budget,
            program.start_year,
            program.end_year,
        ]
        for year in masterplan.years:
            item = years.get((program.pk, year))
            row += (
                [fmt.STATUS_WORDS[ProgramStatus(item.status)], item.progress]
                if item
                else [None, None]
            )
        append_row(sheet, row)
    _style(sheet, len(headers))
    last_row = len(programs) + 1 + EMPTY_ROWS
    lists = _write_lists(
        book, fmt.dimension_labels(axis), fmt.element_labels(axis), [fmt.opd_label(o) for o in opds]
    )
    _validate(sheet, masterplan, last_row, lists)
    _write_guide(book, masterplan)
    return workbook_bytes(book)


def _label_of(entry: object, code: str) -> str:
    name = getattr(entry, "name_id", "")
    return fmt.label(code, name) if code else ""


def _style(sheet: Worksheet, width: int) -> None:
    for index in range(1, width + 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        wide = {2: 40, 3: 40, 4: 26, 5: 34, 6: 28}.get(index, 14)
        sheet.column_dimensions[get_column_letter(index)].width = wide
    sheet.freeze_panes = "C2"
    for row in sheet.iter_rows(min_row=2, min_col=8, max_col=8):
        for cell in row:
            cell.number_format = "#,##0"


def _write_lists(
    book: Workbook, dimensions: Sequence[str], elements: Sequence[str], opds: Sequence[str]
) -> dict[str, str]:
    """Lists for the drop-downs on a hidden sheet; returns each list's range formula."""
    sheet = book.create_sheet(fmt.LISTS_SHEET)
    sheet.sheet_state = "hidden"
    ranges = {}
    for col, (key, values) in enumerate(
        (("dimension", dimensions), ("element", elements), ("owner", opds)), start=1
    ):
        letter = get_column_letter(col)
        set_cell(sheet, row=1, column=col, value=key)
        for row, value in enumerate(values, start=2):
            set_cell(sheet, row=row, column=col, value=value)
        end = max(len(values) + 1, 2)
        ranges[key] = f"{quote_sheetname(fmt.LISTS_SHEET)}!${letter}$2:${letter}${end}"
    return ranges


def _validate(
    sheet: Worksheet, masterplan: Masterplan, last_row: int, lists: dict[str, str]
) -> None:
    columns = {column.key: index for index, column in enumerate(fmt.BASE_COLUMNS, start=1)}

    def area(col: int) -> str:
        letter = get_column_letter(col)
        return f"{letter}2:{letter}{last_row}"

    def add(check: DataValidation, col: int) -> None:
        check.error = _("Pilih atau isi nilai yang sah untuk kolom ini.")
        check.showErrorMessage = True
        sheet.add_data_validation(check)
        check.add(area(col))

    for key in ("dimension", "element", "owner"):
        add(DataValidation(type="list", formula1=lists[key], allow_blank=True), columns[key])
    add(
        DataValidation(type="list", formula1=f'"{fmt.YES},{fmt.NO}"', allow_blank=True),
        columns["quick_win"],
    )
    add(
        DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0"),
        columns["budget"],
    )
    start, end = str(masterplan.start_year), str(masterplan.end_year)
    for key in ("start_year", "end_year"):
        add(
            DataValidation(type="whole", operator="between", formula1=start, formula2=end),
            columns[key],
        )
    statuses = ",".join(fmt.STATUS_WORDS.values())
    first_year_col = len(fmt.BASE_COLUMNS) + 1
    for offset in range(len(masterplan.years)):
        add(
            DataValidation(type="list", formula1=f'"{statuses}"', allow_blank=True),
            first_year_col + 2 * offset,
        )
        add(
            DataValidation(type="decimal", operator="between", formula1="0", formula2="100"),
            first_year_col + 2 * offset + 1,
        )


def _write_guide(book: Workbook, masterplan: Masterplan) -> None:
    sheet = book.create_sheet(fmt.GUIDE_SHEET)
    sheet.column_dimensions["A"].width = 110
    lines = [
        _("Templat impor program masterplan: %(title)s (%(start)s–%(end)s)")
        % {"title": masterplan.title, "start": masterplan.start_year, "end": masterplan.end_year},
        "",
        _("Isi lembar 'Program', satu program per baris. Jangan mengubah judul kolom."),
        _("Kode program unik dalam masterplan. Kode yang sudah ada memperbarui program itu."),
        _("Dimensi, elemen dan OPD pengampu dipilih dari daftar; dimensi boleh kosong."),
        _("Quick win: ya atau tidak. Anggaran dalam rupiah, tanpa titik atau koma."),
        _("Tahun mulai dan selesai berada dalam periode masterplan."),
        _("Status per tahun: %(words)s. Progres 0–100; selesai berarti 100.")
        % {"words": ", ".join(fmt.STATUS_WORDS.values())},
        _("Status yang kosong tidak mengubah data tahun itu."),
        _(
            "Impor berlaku semua atau tidak sama sekali: jika ada satu baris salah, tidak ada yang "
            "disimpan, dan daftar masalah menunjukkan lembar, baris dan kolomnya."
        ),
    ]
    for line in lines:
        append_row(sheet, [line])
    sheet["A1"].font = Font(bold=True, size=13)
