"""The self-assessment workbook a coordinator or contributor downloads to fill offline.

It holds exactly the items the person may change now (a contributor: their OPD's items; in
clarification: the reopened ones), with the rubric beside the cells to fill. Protection of the
other columns is a hint for the clerk, not security: the reader checks everything again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cityeval.accounts.access import AnyUser
from cityeval.core.tabular import append_row, new_workbook, workbook_bytes
from cityeval.evaluations.access import item_lock_reason, items_for
from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.evidence.models import Evidence, EvidenceKind
from cityeval.frameworks.axes import comparison_axis, item_members, scale_labels
from cityeval.frameworks.models import FrameworkNode, NodeKind
from cityeval.workbooks import workbook_format as fmt

HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")
FILL_FILL = PatternFill("solid", fgColor="FFF8DC")  # the cells to fill, in a light yellow
TOP_WRAPPED = Alignment(wrap_text=True, vertical="top")


def workbook_items(user: AnyUser, evaluation: Evaluation) -> list[ItemValue]:
    """The items this person may fill now; computed items (from the masterplan) are not filled."""
    return [
        item
        for item in items_for(user, evaluation)
        if item.indicator.data_source != "programs" and not item_lock_reason(user, item, evaluation)
    ]


def filename_for(evaluation: Evaluation) -> str:
    cycle = evaluation.cycle
    region = evaluation.region.code
    return f"penilaian-mandiri-{region}-{cycle.program}-{cycle.year}-{cycle.round}.xlsx"


def build_workbook(*, user: AnyUser, evaluation: Evaluation, items: list[ItemValue]) -> bytes:
    now = timezone.now()
    meta = fmt.Meta(
        evaluation_id=evaluation.pk,
        region_code=evaluation.region.code,
        region_name=evaluation.region.full_name,
        cycle_id=evaluation.cycle_id,
        cycle_label=str(evaluation.cycle),
        framework_ref=evaluation.cycle.framework_version.ref,
        downloaded_by_id=int(user.pk or 0),
        downloaded_by=str(user),
        downloaded_at=now.isoformat(timespec="seconds"),
        rows=tuple(
            fmt.MetaRow(
                item.pk,
                item.indicator.code,
                item.version,
                fmt.fingerprint(item.self_value, item.narrative),
            )
            for item in items
        ),
    )
    book = new_workbook()
    guide = book.active
    assert guide is not None  # a new workbook always has one sheet
    guide.title = fmt.GUIDE_SHEET
    _write_guide(guide, evaluation, meta, now)
    sheet = book.create_sheet(fmt.ITEMS_SHEET)
    _write_items(sheet, evaluation, items)
    _write_meta(book, meta)
    book.active = book.index(sheet)
    return workbook_bytes(book)


def _write_items(sheet: Worksheet, evaluation: Evaluation, items: list[ItemValue]) -> None:
    version = evaluation.cycle.framework_version
    # The item's group on the framework's comparison axis: G100SC its smart dimension, SPBE its
    # domain (frameworks.axes).
    axis = comparison_axis(version)
    member_of = item_members(version, axis)
    level_names = scale_labels(version)
    evidence = _evidence_names(items)
    append_row(sheet, [str(column.header) for column in fmt.COLUMNS])
    for item in items:
        indicator = item.indicator
        append_row(
            sheet,
            [
                indicator.code,
                axis.names.get(member_of.get(indicator.code, ""), ""),
                _item_text(indicator),
                capfirst(str(NodeKind(indicator.kind).label)),
                _rubric(indicator, level_names),
                str(item.opd) if item.opd else "",
                "\n".join(evidence.get(item.pk, [])),
                item.version,
                _cell_value(indicator, item),
                _cell_value(indicator, item),
                _clean(item.narrative),
            ],
        )
    _style(sheet, len(items))
    _validate(sheet, items)


def _item_text(indicator: FrameworkNode) -> str:
    parts = [indicator.name, indicator.question, indicator.guidance]
    return _clean("\n\n".join(part for part in parts if part))


def _named(name: str | None) -> str:
    return f"{name}: " if name else ""


def _rubric(indicator: FrameworkNode, names: dict[int, str]) -> str:
    if indicator.kind == NodeKind.MATURITY:
        levels = sorted(int(level) for level in indicator.levels)
        return _clean(
            "\n".join(
                f"{level} — {_named(names.get(level))}{indicator.rubric(level)}" for level in levels
            )
        )
    if indicator.kind == NodeKind.PERCENTAGE:
        return _("Persentase, 0 sampai 100.")
    lines = [_("Angka.")]
    if indicator.unit:
        lines.append(_("Satuan: %(unit)s") % {"unit": indicator.unit})
    if indicator.direction:
        lines.append(
            _("Makin tinggi makin baik.")
            if indicator.direction == "higher"
            else _("Makin rendah makin baik.")
        )
    if indicator.lower is not None and indicator.upper is not None:
        lines.append(
            _("Patokan penilaian: %(lower)s sampai %(upper)s")
            % {"lower": indicator.lower.normalize(), "upper": indicator.upper.normalize()}
        )
    return "\n".join(lines)


def _cell_value(indicator: FrameworkNode, item: ItemValue) -> object:
    if item.self_value is None:
        return None
    if indicator.kind == NodeKind.MATURITY:
        return int(item.self_value)
    return item.self_value.normalize()


def _clean(text: str) -> str:
    # openpyxl refuses control characters; a narrative pasted from a PDF may carry some.
    return fmt.comparable_text(text)


def _evidence_names(items: Iterable[ItemValue]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    rows = Evidence.objects.current().filter(item__in=list(items)).order_by("uploaded_at", "pk")
    for evidence in rows:
        if evidence.kind == EvidenceKind.LINK:
            names[evidence.item_id].append(evidence.description or evidence.url)
        else:
            names[evidence.item_id].append(evidence.original_name)
    return names


def _style(sheet: Worksheet, count: int) -> None:
    for index, column in enumerate(fmt.COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        header.fill = FILL_FILL if column.editable else HEADER_FILL
        header.alignment = TOP_WRAPPED
        for row in range(2, count + 2):
            cell = sheet.cell(row=row, column=index)
            cell.alignment = TOP_WRAPPED
            if column.editable:
                cell.fill = FILL_FILL
                cell.protection = Protection(locked=False)
    for row in range(2, count + 2):
        sheet.row_dimensions[row].height = _height(sheet, row)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(fmt.COLUMNS))}{count + 1}"
    # A hint against editing the reference columns; anyone can lift it, the reader re-checks.
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.autoFilter = False
    protection.sort = False


def _height(sheet: Worksheet, row: int) -> float:
    """A row tall enough for its longest wrapped cell (Excel does not fit rows on opening)."""
    lines = 1
    for index, column in enumerate(fmt.COLUMNS, start=1):
        text = str(sheet.cell(row=row, column=index).value or "")
        # About 1.1 characters per unit of column width in Calibri 11.
        per_line = max(int(column.width * 1.1), 1)
        wrapped = sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))
        lines = max(lines, wrapped)
    return float(min(15 * lines + 3, 409))  # 409 points is Excel's tallest row


def _validate(sheet: Worksheet, items: list[ItemValue]) -> None:
    value_letter = get_column_letter(fmt.INDEX["value"] + 1)
    by_levels: dict[str, list[int]] = defaultdict(list)
    percentages: list[int] = []
    numbers: list[int] = []
    for row, item in enumerate(items, start=2):
        indicator = item.indicator
        if indicator.kind == NodeKind.MATURITY:
            levels = ",".join(str(level) for level in sorted(int(k) for k in indicator.levels))
            by_levels[levels].append(row)
        elif indicator.kind == NodeKind.PERCENTAGE:
            percentages.append(row)
        else:
            numbers.append(row)

    def add(check: DataValidation, rows: list[int], letter: str = value_letter) -> None:
        if not rows:
            return
        check.allow_blank = True
        check.showErrorMessage = True
        check.errorTitle = _("Nilai tidak sah")
        sheet.add_data_validation(check)
        for row in rows:
            check.add(f"{letter}{row}")

    for levels, rows in by_levels.items():
        check = DataValidation(type="list", formula1=f'"{levels}"')
        check.error = _("Pilih salah satu tingkat: %(levels)s.") % {"levels": levels}
        add(check, rows)
    check = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
    check.error = _("Isi persentase antara 0 dan 100.")
    add(check, percentages)
    check = DataValidation(
        type="decimal", operator="between", formula1="-9999999999", formula2="9999999999"
    )
    check.error = _("Isi sebuah angka.")
    add(check, numbers)
    check = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="32767")
    check.error = _("Narasi terlalu panjang.")
    add(check, list(range(2, len(items) + 2)), get_column_letter(fmt.INDEX["narrative"] + 1))


def _write_guide(sheet: Worksheet, evaluation: Evaluation, meta: fmt.Meta, now: object) -> None:
    sheet.column_dimensions["A"].width = 110
    when = date_format(timezone.localtime(now), "DATETIME_FORMAT")  # type: ignore[arg-type]
    value_header = str(fmt.COLUMNS[fmt.INDEX["value"]].header)
    narrative_header = str(fmt.COLUMNS[fmt.INDEX["narrative"]].header)
    lines = [
        _("Penilaian mandiri: %(region)s") % {"region": evaluation.region.full_name},
        _("Siklus %(cycle)s · instrumen %(framework)s")
        % {"cycle": evaluation.cycle, "framework": meta.framework_ref},
        ngettext(
            "Diunduh oleh %(who)s pada %(when)s; berisi %(count)d butir yang dapat Anda isi.",
            "Diunduh oleh %(who)s pada %(when)s; berisi %(count)d butir yang dapat Anda isi.",
            len(meta.rows),
        )
        % {"who": meta.downloaded_by, "when": when, "count": len(meta.rows)},
        "",
        _("Cara mengisi"),
        _(
            "1. Buka lembar '%(sheet)s'. Satu baris adalah satu butir; rubrik setiap tingkat ada "
            "di kolom '%(rubric)s'."
        )
        % {"sheet": fmt.ITEMS_SHEET, "rubric": fmt.COLUMNS[fmt.INDEX["rubric"]].header},
        _(
            "2. Isi hanya kolom berwarna kuning: '%(value)s' (tingkat dipilih dari daftar, atau "
            "angka) dan '%(narrative)s'. Kolom lain terkunci dan tidak ikut diimpor."
        )
        % {"value": value_header, "narrative": narrative_header},
        _("3. Mengosongkan nilai berarti menghapus nilai yang tersimpan."),
        _(
            "4. Jangan mengubah nama lembar, urutan atau judul kolom, atau menambah baris butir. "
            "Lembar tersembunyi '%(meta)s' mengenali evaluasi ini; jangan diubah."
        )
        % {"meta": fmt.META_SHEET},
        _(
            "5. Bukti dukung tetap diunggah di aplikasi; kolom bukti dukung hanya menampilkan "
            "yang sudah terlampir."
        ),
        _(
            "6. Unggah kembali buku kerja ini di halaman 'Isi offline (Excel)' evaluasi. Seluruh "
            "isi diperiksa lebih dahulu: jika ada satu baris salah, tidak ada yang disimpan, dan "
            "daftar masalah menunjukkan lembar, baris dan kolomnya."
        ),
        _(
            "7. Butir yang diubah orang lain di aplikasi sejak buku kerja ini diunduh dilaporkan "
            "sebagai konflik dan tidak ditimpa. Butir lain disimpan setelah Anda mengonfirmasi "
            "pratinjau."
        ),
        _("8. Mengunggah buku kerja yang sama dua kali tidak mengubah apa pun."),
    ]
    for line in lines:
        append_row(sheet, [line])
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A5"].font = Font(bold=True)


def _write_meta(book: Workbook, meta: fmt.Meta) -> None:
    sheet = book.create_sheet(fmt.META_SHEET)
    sheet.sheet_state = "hidden"
    values = [
        fmt.FORMAT,
        meta.evaluation_id,
        meta.region_code,
        meta.region_name,
        meta.cycle_id,
        meta.cycle_label,
        meta.framework_ref,
        meta.downloaded_by_id,
        meta.downloaded_by,
        meta.downloaded_at,
        meta.signature(),
    ]
    for key, value in zip(fmt.META_KEYS, values, strict=True):
        append_row(sheet, [key, value])
    append_row(sheet, [])
    append_row(sheet, list(fmt.META_ROWS_HEADER))
    for row in meta.rows:
        append_row(sheet, [row.item_id, row.code, row.version, row.fingerprint])
    sheet.protection.sheet = True
