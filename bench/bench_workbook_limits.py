"""Benchmark: what reading the worst workbook the upload limits accept costs, against real ones.

Run with `uv run python bench/bench_workbook_limits.py`. It migrates a throw-away SQLite database
in a temporary folder, then builds with the app's own writers:

- the largest real workbooks: the masterplan program template of 2,000 programs over a 10-year
  plan (every yearly status filled, 400-character descriptions), and the offline
  self-assessment workbook of G100SC 2022 with a 2,000-character narrative on every item;
- the worst files the limits accept (`WORKBOOK_MAX_*` in settings): sheets filling the cell
  limit (`cells`), and one sheet just under the row and column limits whose shared strings fill
  the part limit (`strings`).

For each it prints packed and unpacked size, the cells openpyxl walks, and the time and Python
peak memory (tracemalloc, in a second pass so that it does not slow the timed one) of what an
import does before its own checks: `check_workbook`, then `opened_workbook` and every row of
every sheet. Ratios are against the larger real workbook.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
import tracemalloc
import zipfile
from datetime import timedelta
from decimal import Decimal


def main() -> None:
    folder = tempfile.mkdtemp(prefix="cityeval-bench-workbook-")
    os.environ.setdefault("CITYEVAL_DATA_DIR", folder)
    os.environ.setdefault("CITYEVAL_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityeval.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    real = {"template, 2,000 programs": template(), "offline workbook, G100SC": offline()}
    worst = {"worst accepted: cells": worst_cells(), "worst accepted: strings": worst_strings()}
    baseline = max(real.values(), key=len)
    _check, base_time, base_peak = measure(baseline)
    print(
        f"{'workbook':26} {'packed':>7} {'unpacked':>8} {'cells':>7} {'check s':>7} "
        f"{'read s':>6} {'MB peak':>7} {'ratio':>7}"
    )
    for name, content in {**real, **worst}.items():
        check, seconds, peak = measure(content)
        unpacked, cells, ratio = sizes(content)
        print(
            f"{name:26} {len(content) / 1e6:6.2f}M {unpacked / 1e6:7.2f}M {cells:7} "
            f"{check:7.2f} {seconds:6.2f} {peak / 1e6:7.1f} {ratio:5.0f}:1  "
            f"x{seconds / base_time:.1f} time, "
            f"x{peak / base_peak:.1f} memory"
        )


def read_all(content: bytes) -> int:
    from cityeval.masterplans.upload import opened_workbook

    count = 0
    with opened_workbook(content=content) as workbook:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                count += len(row)
    return count


def measure(content: bytes) -> tuple[float, float, int]:
    """Seconds of the checks alone, seconds of checks + full read, peak bytes of the read."""
    from cityeval.core.officefiles import check_workbook

    started = time.perf_counter()
    check_workbook(content)
    check = time.perf_counter() - started
    started = time.perf_counter()
    read_all(content)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    read_all(content)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return check, seconds, peak


def sizes(content: bytes) -> tuple[int, int, float]:
    """Unpacked bytes, cells read, the highest compression ratio of a part over 64 KB."""
    infos = zipfile.ZipFile(io.BytesIO(content)).infolist()
    unpacked = sum(i.file_size for i in infos)
    big = [i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > 64 * 1024]
    return unpacked, read_all(content), max(big, default=0.0)


def template() -> bytes:
    from cityeval.masterplans.models import Masterplan, Program, ProgramStatus, ProgramYear
    from cityeval.masterplans.template import template_workbook
    from cityeval.regions.models import OPD, Province, Region

    province = Province.objects.create(code="64", name="Kalimantan Timur")
    region = Region.objects.create(
        code="64.02",
        name="Kutai Kartanegara",
        full_name="Kabupaten Kutai Kartanegara",
        kind=Region.Kind.KABUPATEN,
        province=province,
    )
    opds = [
        OPD.objects.create(region=region, code=f"OPD{n}", short_name=f"OPD {n}", name=f"Dinas {n}")
        for n in range(40)
    ]
    plan = Masterplan.objects.create(
        region=region, title="Masterplan 2019–2028", start_year=2019, end_year=2028, regulation="-"
    )
    programs = Program.objects.bulk_create(
        Program(
            masterplan=plan,
            code=f"P-{n:04}",
            name=f"Program kota cerdas nomor {n} untuk pelayanan publik",
            description=("Uraian program yang cukup panjang untuk sebuah masterplan. " * 7)[:400],
            dimension="",
            element="",
            owner=opds[n % len(opds)],
            budget=Decimal(1_250_000_000 + n),
            start_year=2019,
            end_year=2028,
        )
        for n in range(2000)
    )
    ProgramYear.objects.bulk_create(
        ProgramYear(program=p, year=y, status=ProgramStatus.RUNNING, progress=Decimal(50))
        for p in programs
        for y in range(2019, 2029)
    )
    return template_workbook(masterplan=plan)


def offline() -> bytes:
    from django.utils import timezone

    from cityeval.accounts.models import User
    from cityeval.evaluations.models import Evaluation, ItemValue, Round
    from cityeval.evaluations.services import Deadlines, open_cycle
    from cityeval.frameworks.models import FrameworkVersion
    from cityeval.frameworks.services import import_shipped
    from cityeval.regions.models import Region
    from cityeval.workbooks.workbook_export import build_workbook

    import_shipped()
    user = User.objects.create_user("bench")
    cycle = open_cycle(
        year=2024,
        round=Round.TAHAP_1,
        framework_version=FrameworkVersion.objects.get_by_ref("G100SC@2022"),
        regions=[Region.objects.get(code="64.02")],
        deadlines=Deadlines(self_assessment=timezone.localdate() + timedelta(days=30)),
        user=user,
    )
    evaluation = Evaluation.objects.get(cycle=cycle)
    ItemValue.objects.filter(evaluation=evaluation).update(narrative="Narasi capaian. " * 125)
    items = list(
        ItemValue.objects.filter(evaluation=evaluation)
        .exclude(indicator__data_source="programs")
        .select_related("indicator", "opd")
    )
    return build_workbook(user=user, evaluation=evaluation, items=items)


def _workbook(sheets: dict[str, str], shared: str | None = None) -> bytes:
    from tests.core.officefile_samples import plain_workbook, rezip

    base = plain_workbook(1, 1, sheets=len(sheets))
    parts: dict[str, bytes | str] = dict(sheets)
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
        types = zipfile.ZipFile(io.BytesIO(base)).read("[Content_Types].xml").decode()
        parts["[Content_Types].xml"] = types.replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    return rezip(base, parts)


def worst_cells() -> bytes:
    """The cell budget filled: a first sheet at the row and column limits, the rest on a second."""
    from django.conf import settings
    from openpyxl.utils import get_column_letter

    from tests.core.officefile_samples import rows_of, sheet_xml

    rows, columns = settings.WORKBOOK_MAX_ROWS, settings.WORKBOOK_MAX_COLUMNS
    rest = (settings.WORKBOOK_MAX_CELLS - rows * columns) // columns
    last = get_column_letter(columns)
    return _workbook(
        {
            "xl/worksheets/sheet1.xml": sheet_xml(
                rows_of(rows, columns, "12345.678"), f"A1:{last}{rows}"
            ),
            "xl/worksheets/sheet2.xml": sheet_xml(
                rows_of(rest, columns, "12345.678"), f"A1:{last}{rest}"
            ),
        }
    )


def _text(n: int) -> str:
    return f"{n:07}" + "x" * 60


def worst_strings() -> bytes:
    from django.conf import settings

    from tests.core.officefile_samples import MAIN, SHEET, sheet_xml

    rows, columns = settings.WORKBOOK_MAX_ROWS, settings.WORKBOOK_MAX_COLUMNS
    count = min(rows * columns, settings.WORKBOOK_MAX_CELLS)
    per = len(f"<si><t>{_text(0)}</t></si>")
    count = min(count, (settings.WORKBOOK_MAX_PART_BYTES - 1000) // per)
    # The sheet's cells referring to the strings count against the total as well.
    cell = len('<c r="AN3000" t="s"><v>100000</v></c>') + 2
    count = min(count, (settings.WORKBOOK_MAX_UNPACKED_BYTES - 64 * 1024) // (per + cell))
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst {MAIN} count="{count}" '
        f'uniqueCount="{count}">' + "".join(f"<si><t>{_text(n)}</t></si>" for n in range(count))
    ) + "</sst>"
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(c) for c in range(1, columns + 1)]
    cells = []
    for n in range(count):
        row, column = divmod(n, columns)
        if column == 0:
            cells.append(f'{"</row>" if row else ""}<row r="{row + 1}">')
        cells.append(f'<c r="{letters[column]}{row + 1}" t="s"><v>{n}</v></c>')
    cells.append("</row>")
    size = f"A1:{letters[-1]}{-(-count // columns)}"
    return _workbook({SHEET: sheet_xml("".join(cells), size)}, shared)


if __name__ == "__main__":
    main()
