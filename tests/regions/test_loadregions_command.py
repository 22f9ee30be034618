from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pytest_django import Settings

from cityeval.regions.models import Region
from cityeval.regions.sourcefiles import REGIONS_FILE

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("loadregions", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_loads_the_npm_package_by_default_and_prints_a_summary() -> None:
    output = run()

    assert "Provinces: 38 created, 0 updated, 0 unchanged." in output
    assert "Regencies/cities: 514 created, 0 updated, 0 unchanged." in output
    assert "idn-area-data 4.0.1" in output
    assert "ODbL" in output


def test_it_reports_nothing_created_on_a_second_run() -> None:
    run()

    assert "514 unchanged" in run()


def test_it_reads_another_folder_given_with_source(copied_source: Path) -> None:
    run("--source", str(copied_source))

    assert Region.objects.count() == 514


def test_it_tells_to_run_npm_ci_when_the_package_is_missing(
    settings: Settings, tmp_path: Path
) -> None:
    settings.NODE_MODULES = tmp_path / "node_modules"

    with pytest.raises(CommandError, match="run `npm ci`"):
        run()


def test_it_names_file_and_line_of_a_damaged_source(copied_source: Path) -> None:
    regions_file = copied_source / REGIONS_FILE
    regions_file.write_text("code,province_code,name\r\n11.01,11,Aceh Selatan\r\n")

    with pytest.raises(CommandError, match=r"nothing was loaded: .*regencies.csv, line 2"):
        run("--source", str(copied_source))
    assert Region.objects.count() == 0
