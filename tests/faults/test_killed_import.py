"""A process killed (SIGKILL) in the middle of a masterplan import leaves nothing of it behind.

The import runs in a child process against a database file of its own (the test database is in
memory and invisible to another process). The child pauses inside the import's transaction after
writing the programs and their yearly statuses; the test kills it there, then counts rows from a
fresh process, and finally runs the same import to completion to show the database is usable.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.faults.killable_import import counts, kill_during_import, run_child

ROWS = 200
YEARS = 10  # the template's masterplan runs 2019–2028


@pytest.fixture
def child_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'import.sqlite3'}",
        "CITYEVAL_DATA_DIR": str(tmp_path),
    }


def test_a_killed_import_leaves_no_program_no_status_and_no_audit_entry(
    tmp_path: Path, child_env: dict[str, str]
) -> None:
    workbook = tmp_path / "programs.xlsx"
    run_child("prepare", str(workbook), str(ROWS), env=child_env)

    killed = kill_during_import(workbook, child_env)

    assert killed.returncode == -signal.SIGKILL
    assert killed.rows_written_inside == ROWS * YEARS  # it was really mid-import
    assert counts(child_env) == {"programs": 0, "program_years": 0, "import_audit_entries": 0}

    output = run_child("import", str(workbook), env=child_env)
    assert f"{ROWS} programs created" in output
    assert counts(child_env) == {
        "programs": ROWS,
        "program_years": ROWS * YEARS,
        "import_audit_entries": 1,
    }
