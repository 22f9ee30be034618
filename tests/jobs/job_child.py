"""Child processes for the real-worker tests: prepare a published result, run a worker.

    python tests/jobs/job_child.py prepare mail|pdf   # one published result, its jobs queued
    python tests/jobs/job_child.py worker [--pause mail|pdf|opendata]
    python tests/jobs/job_child.py state              # JSON: jobs, kept files, sent mails

The database comes from DATABASE_URL / CITYEVAL_DATA_DIR like the application's. `worker` runs
the real `jobs_worker` command; with `--pause`, once the job is inside its critical part (an
e-mail about to be sent; a PDF's or an open-data file's temporary file half written) it prints
`INSIDE` and sleeps, so that the parent can kill it with SIGKILL at a known point. Nothing in the
application knows about this pause: it wraps one function of this process only.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PAUSE_SECONDS = 120
REGION_CODE = "64.02"


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityeval.settings")
    import django

    django.setup()


def prepare(what: str) -> None:
    from django.core.management import call_command

    from cityeval.accounts.models import Role
    from cityeval.evaluations.models import Evaluation, EvaluationStatus
    from cityeval.frameworks.services import store_document
    from cityeval.regions.models import Province, Region
    from cityeval.reports.services import publish_evaluation
    from tests.world import finish, g100sc_2022, open_test_cycle, person

    call_command("migrate", verbosity=0)
    store_document(document=g100sc_2022())
    province = Province.objects.create(code="64", name="Kalimantan Timur")
    region = Region.objects.create(
        code=REGION_CODE,
        name="Kutai Kartanegara",
        full_name="Kabupaten Kutai Kartanegara",
        kind=Region.Kind.KABUPATEN,
        province=province,
    )
    admin = person("jobs-admin", (Role.PROGRAM_ADMIN, None, None))
    coordinator = person("jobs-coordinator", (Role.COORDINATOR, region, None))
    if what != "mail":  # only the PDFs' jobs: nobody to mail
        coordinator.email = ""
        coordinator.save(update_fields=["email"])
    cycle = open_test_cycle(2023, [region], admin)
    evaluation = Evaluation.objects.get(cycle=cycle, region=region)
    finish(evaluation, EvaluationStatus.FINALISED, seed=1)
    publish_evaluation(evaluation=evaluation, user=admin)


def worker(pause: str) -> None:
    from django.core.management import call_command

    if pause == "mail":
        from cityeval.notifications import services

        original_send = services.send_mail  # type: ignore[attr-defined]

        def pause_then_send(*args: Any, **kwargs: Any) -> Any:
            print("INSIDE", flush=True)
            time.sleep(PAUSE_SECONDS)
            return original_send(*args, **kwargs)

        services.send_mail = pause_then_send  # type: ignore[attr-defined]
    elif pause == "pdf":
        from cityeval.scorecards import stored

        def half_written_then_pause(path: Path, data: bytes) -> None:
            part = path.with_name(f".{path.name}.killed.part")
            part.write_bytes(data[: len(data) // 2])
            print("INSIDE", flush=True)
            time.sleep(PAUSE_SECONDS)

        stored.write_atomically = half_written_then_pause  # type: ignore[attr-defined]
    elif pause == "opendata":
        from cityeval.exports import stored as open_data

        def half_written_then_pause_data(path: Path, data: bytes) -> None:
            part = path.with_name(f".{path.name}.killed.part")
            part.write_bytes(data[: len(data) // 2])
            print("INSIDE", flush=True)
            time.sleep(PAUSE_SECONDS)

        open_data.write_atomically = half_written_then_pause_data  # type: ignore[attr-defined]
    call_command("jobs_worker", interval=0.2, no_startup_delay=True, verbosity=0)


def state() -> None:
    from django.conf import settings

    from cityeval.evaluations.models import Cycle
    from cityeval.exports.stored import FOLDER
    from cityeval.jobs.models import Job, SentMail
    from cityeval.results.publication import publication_marker
    from cityeval.scorecards.models import StoredScorecardPdf

    media = Path(settings.MEDIA_ROOT)
    stored = [
        {
            "path": row.path,
            "sha256": row.sha256,
            "size": row.size,
            "language": row.language,
        }
        for row in StoredScorecardPdf.objects.all()
    ]
    print(
        json.dumps(
            {
                "jobs": {job.key: [job.status, job.attempts] for job in Job.objects.all()},
                "sent": list(SentMail.objects.values_list("key", flat=True)),
                "stored": stored,
                "pdf_files": sorted(
                    str(p.relative_to(media)) for p in media.rglob("*.pdf") if p.is_file()
                ),
                "marker": publication_marker(),
                "cycle": Cycle.objects.values_list("pk", flat=True).first(),
                "open_data": sorted(
                    str(p.relative_to(media / FOLDER))
                    for p in (media / FOLDER).rglob("*")
                    if p.is_file()
                ),
            }
        )
    )


def main(argv: list[str]) -> None:
    setup()
    command = argv[0]
    if command == "prepare":
        prepare(argv[1])
    elif command == "worker":
        worker(argv[2] if len(argv) > 2 and argv[1] == "--pause" else "")
    elif command == "state":
        state()
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
