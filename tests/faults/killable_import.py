"""A child process for the killed-import fault: prepare a database, import, or count rows.

    python tests/faults/killable_import.py prepare WORKBOOK ROWS
    python tests/faults/killable_import.py import WORKBOOK [--pause]
    python tests/faults/killable_import.py count

The database comes from DATABASE_URL / CITYEVAL_DATA_DIR like the application's. `import
--pause` runs the real `import_programs` command, but once the programs are written (inside the
import's transaction, before the yearly statuses and the audit entry) it prints `INSIDE` and
sleeps, so that the parent can kill it with SIGKILL at a known point. Nothing in the application
knows about this pause: it wraps one manager method of this process only.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
REGION_CODE = "64.02"
PAUSE_SECONDS = 120


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityeval.settings")
    import django

    django.setup()


def prepare(workbook: Path, rows: int) -> None:
    from django.core.management import call_command

    from cityeval.frameworks.services import import_shipped
    from cityeval.masterplans.models import Masterplan
    from cityeval.masterplans.template import template_workbook
    from cityeval.regions.models import OPD, Province, Region

    call_command("migrate", verbosity=0)
    import_shipped()
    province, _ = Province.objects.get_or_create(code="64", defaults={"name": "Kalimantan Timur"})
    region, _ = Region.objects.get_or_create(
        code=REGION_CODE,
        defaults={
            "name": "Kutai Kartanegara",
            "full_name": "Kabupaten Kutai Kartanegara",
            "kind": Region.Kind.KABUPATEN,
            "province": province,
        },
    )
    OPD.objects.get_or_create(
        region=region,
        code="KOMINFO",
        defaults={"short_name": "Diskominfo", "name": "Dinas Komunikasi dan Informatika"},
    )
    masterplan, _ = Masterplan.objects.get_or_create(
        region=region,
        defaults={
            "title": "Masterplan Smart City Kutai Kartanegara 2019–2028",
            "start_year": 2019,
            "end_year": 2028,
        },
    )
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(template_workbook(masterplan=masterplan)))
    sheet = book["Program"]
    for n in range(1, rows + 1):
        statuses: list[Any] = []
        for _year in range(2019, 2029):
            statuses += ["berjalan", 40]
        sheet.append(
            [f"GOV-{n:04d}", f"Program layanan digital {n}", "", "GOV — Smart Governance",
             "GOV-PS — Pelayanan publik", "KOMINFO — Diskominfo", "tidak", 1000000 + n,
             2019, 2028, *statuses]
        )  # fmt: skip
    book.save(workbook)


def run_import(workbook: Path, pause: bool) -> None:
    from django.core.management import call_command

    from cityeval.masterplans.models import ProgramYear

    if pause:
        manager = ProgramYear.objects
        original = manager.bulk_create

        def bulk_create_then_pause(*args: Any, **kwargs: Any) -> Any:
            created = original(*args, **kwargs)
            print(f"INSIDE {len(created)}", flush=True)
            time.sleep(PAUSE_SECONDS)
            return created

        manager.bulk_create = bulk_create_then_pause  # type: ignore[method-assign]
    call_command("import_programs", str(workbook), region=REGION_CODE)


def count() -> None:
    from cityeval.audit.models import AuditEntry
    from cityeval.masterplans.models import Program, ProgramYear

    print(
        json.dumps(
            {
                "programs": Program.objects.count(),
                "program_years": ProgramYear.objects.count(),
                "import_audit_entries": AuditEntry.objects.filter(
                    action="masterplan.import_programs"
                ).count(),
            }
        )
    )


# The parent's side, used by tests/faults/test_killed_import.py and bench/faults.py.


@dataclass(frozen=True)
class Killed:
    seconds_until_inside: float  # from start of the child to the pause inside the transaction
    rows_written_inside: int  # yearly-status rows the child had inserted when it was killed
    returncode: int


def child(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), *args]


def run_child(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        child(*args), env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def counts(env: dict[str, str]) -> dict[str, int]:
    result: dict[str, int] = json.loads(run_child("count", env=env).strip().splitlines()[-1])
    return result


def kill_during_import(workbook: Path, env: dict[str, str]) -> Killed:
    """Start a paused import, wait until it is inside its transaction, SIGKILL it."""
    started = time.perf_counter()
    process = subprocess.Popen(
        child("import", str(workbook), "--pause"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until INSIDE, or "" if the child died
        if not line.startswith("INSIDE"):
            stderr = process.stderr.read() if process.stderr else ""
            raise RuntimeError(f"the import never reached its pause: {line!r}\n{stderr}")
        inside = time.perf_counter() - started
        os.kill(process.pid, signal.SIGKILL)
        returncode = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    return Killed(inside, int(line.split()[1]), returncode)


def main(argv: list[str]) -> None:
    setup()
    command = argv[0]
    if command == "prepare":
        prepare(Path(argv[1]), int(argv[2]))
    elif command == "import":
        run_import(Path(argv[1]), pause="--pause" in argv)
    elif command == "count":
        count()
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
