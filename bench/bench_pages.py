"""Benchmark: page latency at national scale under concurrent clients, against a trivial view.

Run with `uv run python bench/bench_pages.py` (or `.venv/bin/python bench/bench_pages.py`).

1. Data: the national data set (`demo_national`: 514 regencies/cities x 3 published cycles) in a
   throw-away SQLite database under a temporary folder, or in `--data-dir` (kept, and reused on
   the next run), or in PostgreSQL when DATABASE_URL is set (built only if it holds no cycle).
2. Server: gunicorn (`-w 2 --threads 4` by default) on loopback with production settings
   (DEBUG off) and `bench.pages_settings`, whose URLconf adds `/bench/trivial/`: a view that
   returns two bytes through the whole middleware stack, the baseline. The product has no such
   endpoint.
3. Load: `--clients` (20) threads, each with its own keep-alive `http.client` connection, send
   requests back to back for `--seconds` per target after `--warmup` seconds whose figures are
   dropped. Targets: the trivial view, the public dashboard, the internal dashboard (signed in as
   the national viewer through a session created in the database) and published scorecards of
   random regions of the latest cycle (twice: cold, then from the cache: each page is requested
   once before the second pass), `/data/` and the latest cycle's open-data files (primed too).
   `--only` picks targets by name, `--scorecards` the sample's size. Set REDIS_URL to measure
   with the shared cache (the servers' processes then share it, and the public pages' marker is
   read from it).

Printed per target: requests, throughput, p50/p95/p99 latency, errors, and p50 and p95 as a
multiple of the trivial view's, measured in the same run. The clients are Python threads on the
same machine as the server, so absolute figures include the client's cost; the ratios are the
figures to compare between runs and machines.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 2017
SCORECARD_SAMPLE = 200  # published evaluations the scorecard target picks from
VIEWER = "pemantau.nasional"  # the demo's national viewer (role viewer, no region)
# The workbook is left out: 1.6 MB, compressed already, and a minute to render cold at 514 regions.
OPEN_DATA_FILES = ("regions.csv", "items.csv", "results.json")


@dataclass(frozen=True)
class Target:
    name: str
    paths: list[str]
    cookie: str = ""
    primed: bool = False  # each path is requested once before the warm-up (a filled cache)


@dataclass
class Samples:
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    errors: int = 0
    first_error: str = ""


@dataclass(frozen=True)
class Figures:
    name: str
    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    errors: int
    first_error: str

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    temporary = args.data_dir is None and not os.environ.get("DATABASE_URL")
    data_dir = Path(tempfile.mkdtemp(prefix="cityeval-bench-")) if temporary else args.data_dir
    if data_dir is None:  # PostgreSQL: the data folder holds only the server log
        data_dir = Path(tempfile.mkdtemp(prefix="cityeval-bench-"))
        temporary = True
    data_dir.mkdir(parents=True, exist_ok=True)
    env = server_env(data_dir)
    try:
        build_data(env, args.regions)
        cookie, scorecards, cycle = prepare(env, args.sample_seed, args.scorecards)
        targets = [
            Target("trivial view", ["/bench/trivial/"]),
            Target("public dashboard", ["/dashboard/public/"]),
            Target("internal dashboard", ["/dashboard/"], cookie),
            Target("scorecard", [f"/scorecard/{pk}/" for pk in scorecards]),
            # The same pages again: published pages are rendered once per publication state, so
            # the first pass renders (a cold cache) and this one is the steady state.
            Target("scorecard, again", [f"/scorecard/{pk}/" for pk in scorecards], primed=True),
            Target("open data", ["/data/"]),
            # The latest cycle's files (each a few kB to a few MB), from the cache as /data/ is.
            Target(
                "open data files",
                [f"/data/{cycle}/{name}" for name in OPEN_DATA_FILES],
                primed=True,
            ),
        ]
        if args.only:
            targets = [t for t in targets if t.name == "trivial view" or t.name in args.only]
        with Gunicorn(env, data_dir, args) as port:
            figures = [measure(port, target, args) for target in targets]
        report(figures, args)
        return 1 if any(f.errors for f in figures) else 0
    finally:
        if temporary:
            shutil.rmtree(data_dir, ignore_errors=True)


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--seconds", type=float, default=15.0, help="measured time per target")
    parser.add_argument("--warmup", type=float, default=3.0, help="dropped time per target")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument(
        "--regions", type=int, default=None, help="build only this many regions (default all 514)"
    )
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="keep (and reuse) the SQLite data set here"
    )
    parser.add_argument("--sample-seed", type=int, default=SEED)
    parser.add_argument(
        "--scorecards", type=int, default=SCORECARD_SAMPLE, help="published scorecards sampled"
    )
    parser.add_argument(
        "--only", action="append", help="a target's name, repeatable (the trivial view always runs)"
    )
    return parser.parse_args(argv)


def server_env(data_dir: Path) -> dict[str, str]:
    """Production settings (DEBUG off) with the benchmark URLconf."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.pages_settings",
            "CITYEVAL_DEBUG": "0",
            "CITYEVAL_DATA_DIR": str(data_dir),
            "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on loopback: no redirect to HTTPS, cookies sent without TLS.
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "LOG_LEVEL": "WARNING",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        }
    )
    return env


def build_data(env: dict[str, str], regions: int | None) -> None:
    """Migrate and build the national data set (nothing is built when cycles exist already)."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    build = [*manage, "demo_national", "--if-empty"]
    if regions is not None:
        build += ["--regions", str(regions)]
    started = time.perf_counter()
    subprocess.run(build, env=env, check=True, cwd=ROOT)
    print(f"data set ready in {time.perf_counter() - started:.1f} s", flush=True)


def prepare(env: dict[str, str], seed: int, size: int) -> tuple[str, list[int], int]:
    """A session cookie of the national viewer, a seeded sample of published scorecards, and the
    latest cycle's id."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from cityeval.accounts.middleware import SEEN_KEY, STARTED_KEY
    from cityeval.accounts.models import User
    from cityeval.evaluations.models import Cycle, EvaluationStatus

    viewer = User.objects.get(username=VIEWER)
    session = SessionStore()
    now = int(time.time())
    session[SESSION_KEY] = str(viewer.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = viewer.get_session_auth_hash()
    session[STARTED_KEY] = now
    session[SEEN_KEY] = now
    session.create()
    latest = Cycle.objects.order_by("-year", "-round").first()
    if latest is None:
        raise SystemExit("no cycle in the data set")
    published = sorted(
        latest.evaluations.filter(status=EvaluationStatus.PUBLISHED).values_list("pk", flat=True)
    )
    if not published:
        raise SystemExit(f"no published evaluation in cycle {latest}")
    sample = random.Random(seed).sample(published, min(size, len(published)))
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}", sample, latest.pk


class Gunicorn:
    """Start gunicorn on loopback, wait until it answers, stop it (its whole process group)."""

    def __init__(self, env: dict[str, str], data_dir: Path, args: argparse.Namespace) -> None:
        self.env, self.args = env, args
        self.log_path = data_dir / "gunicorn.log"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> int:
        port = self.args.port
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "cityeval.wsgi:application",
            "--workers",
            str(self.args.workers),
            "--threads",
            str(self.args.threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--keep-alive",
            "30",
        ]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True
            )
        wait_until_up(port, self.process, self.log_path)
        print(
            f"gunicorn -w {self.args.workers} --threads {self.args.threads} on 127.0.0.1:{port}",
            flush=True,
        )
        return int(port)

    def __exit__(self, *exc: object) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def wait_until_up(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {process.returncode}):\n{log.read_text()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/bench/trivial/")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on port {port} within 60 s:\n{log.read_text()}")


def measure(port: int, target: Target, args: argparse.Namespace) -> Figures:
    print(f"{target.name}: {args.warmup:g} s warm-up, {args.seconds:g} s measured", flush=True)
    if target.primed:
        prime(port, target)
    load(port, target, args.clients, args.warmup)
    started = time.perf_counter()
    samples = load(port, target, args.clients, args.seconds)
    elapsed = time.perf_counter() - started
    latencies = samples.latencies
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else []
    middle = cuts[49] if cuts else float("nan")
    return Figures(
        name=target.name,
        requests=len(latencies),
        seconds=elapsed,
        p50=middle,
        p95=cuts[94] if cuts else float("nan"),
        p99=cuts[98] if cuts else float("nan"),
        errors=samples.errors,
        first_error=samples.first_error,
    )


def prime(port: int, target: Target) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    for path in sorted(set(target.paths)):
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        connection.getresponse().read()
    connection.close()


def load(port: int, target: Target, clients: int, seconds: float) -> Samples:
    """`clients` threads send requests back to back until `seconds` have passed."""
    start = threading.Barrier(clients + 1)
    per_client = [Samples() for _ in range(clients)]
    threads = [
        threading.Thread(target=client, args=(port, target, start, seconds, found, number))
        for number, found in enumerate(per_client)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    for thread in threads:
        thread.join()
    merged = Samples()
    for found in per_client:
        merged.latencies += found.latencies
        merged.errors += found.errors
        merged.first_error = merged.first_error or found.first_error
    return merged


def client(
    port: int,
    target: Target,
    start: threading.Barrier,
    seconds: float,
    found: Samples,
    number: int,
) -> None:
    rng = random.Random(number)
    # As a browser does: pages are compressed when the client accepts it (core/compression.py).
    headers = {"Accept-Encoding": "gzip", **({"Cookie": target.cookie} if target.cookie else {})}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start.wait()
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        path = rng.choice(target.paths)
        began = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            found.errors += 1
            found.first_error = found.first_error or f"{path}: {error!r}"
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        if response.status == 200:
            found.latencies.append(time.perf_counter() - began)
        else:
            found.errors += 1
            found.first_error = found.first_error or f"{path}: HTTP {response.status}"
    connection.close()


def report(figures: list[Figures], args: argparse.Namespace) -> None:
    base = figures[0]
    print()
    print(
        f"{args.clients} concurrent clients, {args.seconds:g} s per target, "
        f"gunicorn -w {args.workers} --threads {args.threads}"
    )
    header = (
        f"{'target':<20}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'p50 ×':>8}{'p95 ×':>8}"
    )
    print(header)
    print("-" * len(header))
    for f in figures:
        print(
            f"{f.name:<20}{f.requests:>9}{f.throughput:>8.1f}{f.p50 * 1000:>9.1f}"
            f"{f.p95 * 1000:>9.1f}{f.p99 * 1000:>9.1f}{f.errors:>8}"
            f"{f.p50 / base.p50:>8.1f}{f.p95 / base.p95:>8.1f}"
        )
    for f in figures:
        if f.first_error:
            print(f"{f.name}: first error: {f.first_error}")
    print("(p50 × and p95 ×: the target's latency over the trivial view's, same run)")


if __name__ == "__main__":
    raise SystemExit(main())
