"""Benchmark: `/evaluations/` at national scale (514 regions x 3 cycles), before and after paging.

Run with `.venv/bin/python bench/bench_evaluation_list.py [--data-dir DIR] [--regions N]`.

The national data set (`demo_national`) is built into `--data-dir` (kept and reused) or a
throw-away folder. The page is then requested in process through Django's test client, signed in
as the demo's national viewer, with production settings (DEBUG off):

- "before": the list as it was, the first 300 rows with no filter (the page size set to 300);
- "after": the default page (50 rows), a cycle + status filter, a province filter, a search.

Printed per case: rows shown, rows matched, queries, and the median and best of `--repeat`
requests in ms, plus each median as a multiple of the "before" median measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEWER = "pemantau.nasional"  # the demo's national viewer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--regions", type=int, default=None, help="fewer regions (a quick run)")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="cityeval-bench-list-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        "CITYEVAL_DEBUG": "0",
        "CITYEVAL_DATA_DIR": str(data_dir),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    os.environ.update(env)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], check=True, cwd=ROOT)
    build = [*manage, "demo_national", "--if-empty"]
    if args.regions is not None:
        build += ["--regions", str(args.regions)]
    subprocess.run(build, check=True, cwd=ROOT)
    measure(args.repeat)


def measure(repeat: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityeval.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client then records the template context
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cityeval.accounts.models import User
    from cityeval.evaluations import forms_list
    from cityeval.evaluations.models import Cycle, Evaluation
    from cityeval.evaluations.views import overview

    client = Client()
    client.force_login(User.objects.get(username=VIEWER))
    latest = Cycle.objects.order_by("-year", "-round").first()
    assert latest is not None
    print(f"{Evaluation.objects.count()} evaluations in {Cycle.objects.count()} cycles")
    page_size = forms_list.PAGE_SIZE
    cases: list[tuple[str, int, dict[str, str]]] = [
        ("before: 300 rows, no filter", 300, {}),
        ("after: default page", page_size, {}),
        ("after: cycle + status", page_size, {"cycle": str(latest.pk), "status": "published"}),
        ("after: province 64", page_size, {"province": "64"}),
        ("after: search 'kota'", page_size, {"q": "kota"}),
    ]
    baseline = 0.0
    print(f"{'case':32} {'rows':>5} {'match':>6} {'queries':>7} {'p50 ms':>8} {'min ms':>8} ratio")
    for name, size, params in cases:
        setattr(overview, "PAGE_SIZE", size)  # noqa: B010 (the view reads its global)
        timings = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get("/evaluations/", params)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        page = response.context["page"]
        median = statistics.median(timings)
        baseline = baseline or median
        print(
            f"{name:32} {len(page.object_list):>5} {page.paginator.count:>6} "
            f"{len(queries):>7} {median:>8.1f} {min(timings):>8.1f} {median / baseline:.2f}"
        )
    setattr(overview, "PAGE_SIZE", page_size)  # noqa: B010


if __name__ == "__main__":
    main()
