"""`cityeval framework validate|import|import-shipped` from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from cityeval.frameworks.models import FrameworkVersion

BAD = Path(__file__).resolve().parent / "bad"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("framework", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_validate_prints_ok_for_a_valid_file(minimal_path: Path) -> None:
    out, err = run("validate", str(minimal_path))
    assert out.strip() == f"OK {minimal_path}: MINI@1, 3 indikator"
    assert err == ""


def test_validate_prints_every_error_and_fails_with_exit_code_one(minimal_path: Path) -> None:
    out, err = StringIO(), StringIO()
    bad = BAD / "many_problems.yaml"
    with pytest.raises(CommandError) as caught:
        call_command("framework", "validate", str(minimal_path), str(bad), stdout=out, stderr=err)
    assert caught.value.returncode == 1
    assert "1 berkas gagal" in str(caught.value)
    assert out.getvalue().startswith(f"OK {minimal_path}")
    errors = err.getvalue().splitlines()
    assert len(errors) == 5
    assert all(line.startswith(f"{bad}: ") for line in errors)


def test_the_cityeval_command_exits_with_one_on_an_invalid_file(tmp_path: Path) -> None:
    bad = BAD / "weights_do_not_sum.yaml"
    env = {**os.environ, "CITYEVAL_DATA_DIR": str(tmp_path)}
    manage = Path(settings.BASE_DIR) / "manage.py"
    completed = subprocess.run(
        [sys.executable, str(manage), "framework", "validate", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert completed.returncode == 1
    assert f"{bad}: tree.children (baris 38): bobot anak-anak MINI berjumlah 0.9" in (
        completed.stderr
    )


@pytest.mark.django_db
def test_import_reports_a_new_version_then_a_no_op(minimal_path: Path) -> None:
    out, _ = run("import", str(minimal_path))
    assert out.strip() == f"Diimpor {minimal_path}: MINI@1, 3 indikator"
    out, _ = run("import", str(minimal_path))
    assert out.strip().startswith("Sudah ada dengan isi yang sama, tidak diubah")
    assert FrameworkVersion.objects.count() == 1


@pytest.mark.django_db
def test_import_continues_past_a_bad_file_and_fails_at_the_end(minimal_path: Path) -> None:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "framework", "import", str(BAD / "unknown_tag.yaml"), str(minimal_path),
            stdout=StringIO(), stderr=err,
        )  # fmt: skip
    assert "tag XYZ tidak ada" in err.getvalue()
    assert FrameworkVersion.objects.get().ref == "MINI@1"


@pytest.mark.django_db
def test_import_shipped_imports_the_frameworks_folder() -> None:
    out, _ = run("import-shipped")
    assert [line.split(": ")[1] for line in out.splitlines()] == [
        "G100SC@2018, 84 indikator",
        "G100SC@2022, 84 indikator",
        "SPBE@2020, 47 indikator",
    ]
