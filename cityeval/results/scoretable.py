"""Scores of a whole table of regions, flattened into rows for printing and export."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from cityeval.core.tabular import append_row, csv_document, new_workbook, save_workbook
from cityeval.results.sheets import ValueTable
from scoring.batch import BatchScore, score_regions
from scoring.model import Framework, Node

KEMENDAGRI_REGION = r"^\d{2}\.\d{2}$"


@dataclass(frozen=True)
class ScoreTable:
    columns: list[str]
    rows: list[dict[str, str]]


def score_table(framework: Framework, table: ValueTable) -> ScoreTable:
    groups = _province_groups(table.regions)
    batch = score_regions(framework, table.regions, groups=groups)
    return flatten(framework, batch, has_provinces=bool(groups))


def _province_groups(regions: Mapping[str, object]) -> dict[str, dict[str, str]]:
    """Province ranks when every region is named by its Kemendagri code (64.02 → province 64)."""
    if regions and all(re.match(KEMENDAGRI_REGION, label) for label in regions):
        return {"province": {label: label[:2] for label in regions}}
    return {}


def flatten(framework: Framework, batch: BatchScore, *, has_provinces: bool) -> ScoreTable:
    top_nodes = [child.code for child in framework.root.children if isinstance(child, Node)]
    tags = [tag.code for tag in framework.tags if tag.parent is None]
    columns = ["region", "index", "predicate", "rank"]
    if has_provinces:
        columns.append("province_rank")
    columns += top_nodes + tags + ["missing"]
    rows = []
    for region, score in batch.regions.items():
        row = {
            "region": region,
            "index": _text(score.index),
            "predicate": score.predicate or "",
            "rank": _text(batch.ranks.get(region)),
            "missing": " ".join(score.missing),
        }
        if has_provinces:
            row["province_rank"] = _text(batch.group_ranks["province"].get(region))
        row.update({code: _text(score.nodes.get(code)) for code in top_nodes})
        row.update({code: _text(score.tags.get(code)) for code in tags})
        rows.append(row)
    rows.sort(key=lambda r: (int(r["rank"]) if r["rank"] else 10**9, r["region"]))
    return ScoreTable(columns=columns, rows=rows)


def _text(value: Decimal | int | None) -> str:
    return "" if value is None else str(value)


def as_text(table: ScoreTable) -> str:
    widths = {c: max(len(c), *(len(r[c]) for r in table.rows)) for c in table.columns}
    lines = ["  ".join(c.ljust(widths[c]) for c in table.columns)]
    lines += ["  ".join(r[c].ljust(widths[c]) for c in table.columns) for r in table.rows]
    return "\n".join(lines)


def write(table: ScoreTable, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = [table.columns, *([row[c] for c in table.columns] for row in table.rows)]
        path.write_text(csv_document(rows, lineterminator="\r\n"), encoding="utf-8")
    elif suffix == ".json":
        path.write_text(json.dumps(table.rows, indent=2, ensure_ascii=False), encoding="utf-8")
    elif suffix == ".xlsx":
        workbook = new_workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = "scores"
        append_row(sheet, table.columns)
        for row in table.rows:
            # Figures stay text so that 3.10 keeps its published two decimals.
            append_row(sheet, [row[c] for c in table.columns])
        save_workbook(workbook, path)
    else:
        raise ValueError(f"cannot write {path.name}: use .csv, .json or .xlsx")
