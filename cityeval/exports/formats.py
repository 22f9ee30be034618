"""One `CycleExport` written as Excel, CSV or JSON, with the same columns and figures in each.

Decisions (also stated in each file's README):
- Excel: figures are NUMBER cells; published figures carry the number format "0.00" so that a
  spreadsheet shows 3.10, not 3.1, and computes with the exact published value.
- CSV: UTF-8 with a byte-order mark, comma-separated, decimal point. The BOM is what makes
  Excel on Windows (what most regional offices open a CSV with) read the file as UTF-8; Python
  (`encoding="utf-8-sig"`), pandas and R skip it. Published figures keep their two decimals.
- JSON: decimals are STRINGS ("3.10"): a JSON number becomes a binary float in most parsers, and
  a string keeps the published value and its two decimals exactly. Ranks are integers; a value
  that does not exist is null.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.cell import Cell
from openpyxl.styles import Font

from cityeval.core.tabular import append_row, csv_writer, excel_cell, new_workbook, workbook_bytes
from cityeval.evaluations.models import EvaluationStatus, ReviewStatus
from cityeval.exports.builder import (
    REGIONS_LICENCE,
    REGIONS_LICENCE_URL,
    RESULTS_LICENCE,
    RESULTS_LICENCE_URL,
    CycleExport,
    ItemRow,
    RegionRow,
)

JSON_SCHEMA = "cityeval.results/1"
PUBLISHED_FORMAT = "0.00"
REGION_BASE = [
    "region_code",
    "region_name",
    "province_code",
    "province",
    "kind",
    "cohort",
    "status",
    "index",
    "predicate",
    "predicate_label",
    "rank_national",
    "rank_province",
]
ITEM_COLUMNS = [
    "region_code",
    "region_name",
    "indicator_code",
    "indicator_name",
    "smart_dimension",
    "self_value",
    "verified_value",
    "review_status",
]
PUBLISHED_COLUMNS = {"index"}  # plus every dimension column


def region_columns(export: CycleExport) -> list[str]:
    return (
        [column for column in REGION_BASE if column != "cohort" or export.has_cohorts]
        + [f"eval_{code}" for code in export.evaluation_dimensions]
        + [f"smart_{code}" for code in export.smart_dimensions]
    )


def region_values(export: CycleExport, row: RegionRow) -> list[Any]:
    return [
        row.code,
        row.name,
        row.province_code,
        row.province,
        row.kind,
        *([row.cohort] if export.has_cohorts else []),
        row.status,
        row.index,
        row.predicate,
        row.predicate_label,
        row.rank_national,
        row.rank_province,
        *(row.evaluation_dimensions[code] for code in export.evaluation_dimensions),
        *(row.smart_dimensions[code] for code in export.smart_dimensions),
    ]


def item_columns(export: CycleExport) -> list[str]:
    """The item table's columns; a framework without a tag axis has no smart dimension column."""
    return [c for c in ITEM_COLUMNS if c != "smart_dimension" or export.smart_dimensions]


def item_values(export: CycleExport, row: ItemRow) -> list[Any]:
    return [
        row.region_code,
        row.region_name,
        row.indicator_code,
        row.indicator_name,
        *([row.smart_dimension] if export.smart_dimensions else []),
        row.self_value,
        row.verified_value,
        row.review_status,
    ]


def definitions(export: CycleExport) -> list[tuple[str, str]]:
    """Every column of both tables with what it means (the README)."""
    statuses = ", ".join(f"{s.value} = {s.label}" for s in EvaluationStatus)
    reviews = ", ".join(f"{s.value} = {s.label}" for s in ReviewStatus)
    rows = [
        ("region_code", _("Kode Kemendagri kabupaten/kota (NN.NN).")),
        ("region_name", _("Nama resmi kabupaten/kota.")),
        ("province_code", _("Kode Kemendagri provinsi (NN).")),
        ("province", _("Nama provinsi.")),
        ("kind", _("Jenis daerah: kabupaten atau kota.")),
        *(
            [("cohort", _("Tahun angkatan daerah bergabung dalam program."))]
            if export.has_cohorts
            else []
        ),
        ("status", _("Status evaluasi: %(codes)s.") % {"codes": statuses}),
        ("index", _("Indeks akhir, dibulatkan setengah ke atas seperti yang dipublikasikan.")),
        ("predicate", _("Kode predikat indeks.")),
        ("predicate_label", _("Nama predikat indeks.")),
        (
            "rank_national",
            _(
                "Peringkat nasional di antara hasil yang dipublikasikan pada siklus ini "
                "(nilai sama berbagi peringkat: 1, 2, 2, 4); kosong bila belum dipublikasikan."
            ),
        ),
        ("rank_province", _("Peringkat di dalam provinsi, dengan aturan yang sama.")),
    ]
    for code, name in export.evaluation_dimensions.items():
        parent = export.node_parents.get(code)
        meaning = (
            _("Indeks bagian dari %(parent)s: %(name)s.") % {"parent": parent, "name": name}
            if parent
            else _("Indeks dimensi evaluasi: %(name)s.") % {"name": name}
        )
        rows.append((f"eval_{code}", meaning))
    for code, name in export.smart_dimensions.items():
        rows.append((f"smart_{code}", _("Indeks dimensi smart: %(name)s.") % {"name": name}))
    rows += [
        ("indicator_code", _("Kode butir instrumen.")),
        ("indicator_name", _("Nama butir instrumen.")),
        *(
            [("smart_dimension", _("Kode dimensi smart butir ini."))]
            if export.smart_dimensions
            else []
        ),
        ("self_value", _("Nilai penilaian mandiri daerah.")),
        ("verified_value", _("Nilai hasil verifikasi asesor (dasar indeks).")),
        ("review_status", _("Status reviu butir: %(codes)s.") % {"codes": reviews}),
    ]
    return rows


def about(export: CycleExport) -> list[tuple[str, str]]:
    cycle = export.cycle
    return [
        (pgettext("singular", "Siklus"), str(cycle)),
        (_("Program"), cycle.program),
        (_("Tahun"), str(cycle.year)),
        (_("Tahap"), cycle.round),
        (_("Versi instrumen"), export.framework_ref),
        (_("Dibuat pada"), export.generated_at.isoformat(timespec="seconds")),
        (
            _("Lisensi hasil"),
            _("%(licence)s (%(url)s) untuk hasil yang dipublikasikan.")
            % {"licence": RESULTS_LICENCE, "url": RESULTS_LICENCE_URL},
        ),
        (
            _("Lisensi daftar wilayah"),
            _("%(licence)s (%(url)s): kode dan nama wilayah dari idn-area-data.")
            % {"licence": REGIONS_LICENCE, "url": REGIONS_LICENCE_URL},
        ),
        (
            _("Angka"),
            _(
                "Indeks dan indeks dimensi dengan %(places)d desimal seperti yang dipublikasikan; "
                "peringkat hanya untuk hasil yang dipublikasikan."
            )
            % {"places": export.places},
        ),
    ]


def to_xlsx(export: CycleExport) -> bytes:
    # Write-only mode streams rows instead of keeping a cell object per value: a national
    # cycle has tens of thousands of item rows.
    workbook = new_workbook(write_only=True)
    readme_sheet = workbook.create_sheet("README")
    readme_sheet.column_dimensions["A"].width = 24
    readme_sheet.column_dimensions["B"].width = 100
    for label, text in about(export):
        append_row(readme_sheet, [label, text])
    append_row(readme_sheet, [])
    append_row(readme_sheet, [_bold(readme_sheet, _("Kolom")), _bold(readme_sheet, _("Arti"))])
    for column, meaning in definitions(export):
        append_row(readme_sheet, [column, meaning])

    columns = region_columns(export)
    published = {i for i, c in enumerate(columns) if _is_published(c)}
    regions_sheet = workbook.create_sheet("regions")
    _write_table(
        regions_sheet, columns, (region_values(export, r) for r in export.regions), published
    )
    items_sheet = workbook.create_sheet("items")
    _write_table(
        items_sheet, item_columns(export), (item_values(export, r) for r in export.items), set()
    )
    return workbook_bytes(workbook, at=export.generated_at)


def _bold(sheet: Any, value: str) -> Cell:
    cell = excel_cell(sheet, value)
    cell.font = Font(bold=True)
    return cell


def _write_table(
    sheet: Any, columns: list[str], rows: Iterable[list[Any]], fixed: set[int]
) -> None:
    sheet.freeze_panes = "A2"
    append_row(sheet, [_bold(sheet, column) for column in columns])
    for values in rows:
        if fixed:
            values = [_fixed(sheet, v) if i in fixed else v for i, v in enumerate(values)]
        append_row(sheet, values)


def _fixed(sheet: Any, value: Decimal | None) -> Cell | None:
    if value is None:
        return None
    cell = excel_cell(sheet, value)  # openpyxl writes a Decimal as an exact number cell
    cell.number_format = PUBLISHED_FORMAT
    return cell


def _is_published(column: str) -> bool:
    return column in PUBLISHED_COLUMNS or column.startswith(("eval_", "smart_"))


def regions_csv(export: CycleExport) -> str:
    return _csv(region_columns(export), (region_values(export, r) for r in export.regions))


def items_csv(export: CycleExport) -> str:
    return _csv(item_columns(export), (item_values(export, r) for r in export.items))


def _csv(columns: list[str], rows: Iterable[list[Any]]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv_writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def _text(value: object) -> str:
    # format(..., "f") never writes an exponent (Decimal("1E+1") would otherwise print so).
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else _text(value)


def to_json(export: CycleExport) -> dict[str, Any]:
    cycle = export.cycle
    return {
        "schema": JSON_SCHEMA,
        "generated_at": export.generated_at.isoformat(timespec="seconds"),
        "cycle": {
            "id": cycle.pk,
            "program": cycle.program,
            "year": cycle.year,
            "round": cycle.round,
            "framework": export.framework_ref,
        },
        "licence": {
            "results": {"name": RESULTS_LICENCE, "url": RESULTS_LICENCE_URL},
            "regions": {"name": REGIONS_LICENCE, "url": REGIONS_LICENCE_URL},
        },
        "decimals": {"places": export.places, "encoding": "string"},
        "evaluation_dimensions": [
            {
                "code": c,
                "name": n,
                "level": export.node_levels.get(c, 1),
                "parent": export.node_parents.get(c),
            }
            for c, n in export.evaluation_dimensions.items()
        ],
        "smart_dimensions": [{"code": c, "name": n} for c, n in export.smart_dimensions.items()],
        "regions": [_region_json(export, row) for row in export.regions],
    }


def _region_json(export: CycleExport, row: RegionRow) -> dict[str, Any]:
    result = None
    if row.index is not None:
        result = {
            "index": _decimal(row.index),
            "predicate": row.predicate or None,
            "predicate_label": row.predicate_label or None,
            "rank_national": row.rank_national,
            "rank_province": row.rank_province,
            "evaluation_dimensions": {c: _decimal(v) for c, v in row.evaluation_dimensions.items()},
            "smart_dimensions": {c: _decimal(v) for c, v in row.smart_dimensions.items()},
        }
    return {
        "code": row.code,
        "name": row.name,
        "province": {"code": row.province_code, "name": row.province},
        "kind": row.kind,
        **({"cohort": row.cohort} if export.has_cohorts else {}),
        "status": row.status,
        "published": row.published,
        "result": result,
    }
