"""Benchmark: the first request for each open-data file after a publication, rendered vs kept.

Run with `.venv/bin/python bench/bench_open_data.py [--regions 514] [--data-dir DIR]`.

The national data set (`demo_national`, as `bench_pages.py` builds it; kept and reused with
`--data-dir`) in SQLite, production settings. For the latest cycle, in this process through
Django's test client (the whole middleware stack, anonymous, empty page cache):
- before: no kept file, so the first reader after a publication waits for the rendering (what
  every reader of a state got first before the files were kept);
- the job: `exports.stored.write_files` for each language, timed (the workers' cost, once per
  publication and language);
- after: the same first request served from the kept file.
Printed per file: seconds before, milliseconds after, and before/after (the ratio to compare
between runs); then where the workbook's rendering goes (cProfile, the top functions).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=None, help="default: all 514")
    parser.add_argument("--data-dir", type=Path, default=None, help="keep the data set here")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="cityeval-bench-data-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cityeval.settings",
        "CITYEVAL_DEBUG": "0",
        "CITYEVAL_DATA_DIR": str(data_dir),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "testserver,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
        "CITYEVAL_PDFS_AT_PUBLISH": "0",
        "CITYEVAL_OPEN_DATA_AT_PUBLISH": "0",
    }
    try:
        build(env, args.regions)
        measure(env)
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)


def build(env: dict[str, str], regions: int | None) -> None:
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    command = [*manage, "demo_national", "--if-empty"]
    if regions is not None:
        command += ["--regions", str(regions)]
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, cwd=ROOT)
    print(f"data set ready in {time.perf_counter() - started:.1f} s", flush=True)


def measure(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.http import HttpResponseBase
    from django.test import Client
    from django.utils import translation

    from cityeval.evaluations.models import Cycle
    from cityeval.exports import stored
    from cityeval.exports.files import FILES, public_export
    from cityeval.results.publication import publication

    cycle = Cycle.objects.order_by("-year", "-round").first()
    if cycle is None:
        raise SystemExit("no cycle in the data set")
    state = publication()
    shutil.rmtree(stored.cycle_folder(cycle.pk), ignore_errors=True)

    client = Client()  # one handler for every request (each new client loads the middleware)
    warm = client.get(f"/data/{cycle.pk}/datapackage.json")  # imports, URLconf, translations
    assert warm.status_code == 200, warm.status_code

    def first_request(name: str) -> tuple[float, int, bool]:
        cache.clear()  # the first reader of the state: nothing cached yet
        started = time.perf_counter()
        response: HttpResponseBase = client.get(f"/data/{cycle.pk}/{name}")
        body = (
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
            if response.streaming
            else response.content  # type: ignore[attr-defined]
        )
        seconds = time.perf_counter() - started
        assert response.status_code == 200, (name, response.status_code)
        return seconds, len(body), response.streaming

    before = {file.name: first_request(file.name) for file in FILES}
    job = {}
    for language, _name in settings.LANGUAGES:
        started = time.perf_counter()
        with translation.override(language):
            stored.write_files(
                cycle, stored.state_folder(cycle.pk, language, state.marker), state.at
            )
        job[language] = time.perf_counter() - started
    after = {file.name: first_request(file.name) for file in FILES}

    print(f"\ncycle {cycle} ({cycle.evaluations.count()} regions), first request after publication")
    print(f"{'file':<14}{'bytes':>12}{'before s':>10}{'after ms':>10}{'before/after':>14}")
    for file in FILES:
        was, size, _streamed = before[file.name]
        now, _size, streamed = after[file.name]
        assert streamed, file.name
        print(f"{file.name:<14}{size:>12,}{was:>10.2f}{now * 1000:>10.1f}{was / now:>13.0f}x")
    print("job (every file, kept): " + ", ".join(f"{k} {v:.1f} s" for k, v in job.items()))

    profile = cProfile.Profile()
    export = public_export(cycle, state.at)
    profile.enable()
    FILES[0].write(export)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(8)
    print("\nwhere the workbook's rendering goes (tottime):")
    print("\n".join(out.getvalue().splitlines()[6:20]))
    shutil.rmtree(stored.cycle_folder(cycle.pk), ignore_errors=True)


if __name__ == "__main__":
    main()
