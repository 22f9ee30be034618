"""Load benchmark: 50 concurrent users against the app under gunicorn, then a lost-write check.

    DATABASE_URL=postgres://… python bench/load.py [--users 50] [--duration 60]

Without DATABASE_URL the app runs on its SQLite file (CITYEVAL_DATA_DIR, default ./var) and
the output says so. Steps:

1. migrate, build the demonstration data when the database is empty, create the load's own
   contributors and assessors (bench/loadset.py);
2. start gunicorn on 127.0.0.1 (production settings: CITYEVAL_DEBUG=0) with sync workers;
3. sign every user in through the real login form (GET for the CSRF token, POST username and
   password: Argon2 verification included), before the measured window;
4. a baseline: one contributor, one assessor and one public visitor for `--baseline` seconds;
5. the load: `--users` threads for `--duration` seconds, each a person with a short think time:
   contributors open an item and save it (the real form POST with its version field; a
   conflict is counted apart from errors), assessors open the queue, the workspace and an item
   and accept or adjust it, the public reads /dashboard/public/, /data/ and scorecards;
6. stop the server, then check in the database that every write answered with a redirect has
   its audit entry with the value sent and that each item's final row is its last accepted write.

Prints per request type: count, errors, p50/p95/p99 (ms), and the ratio of p50 under load to the
baseline's p50 measured in the same run. Exits 1 if a write was lost, a 5xx or a transport error
occurred, or an answer was unexpected.

The client is a standard-library thread per user with `requests` (no gevent), on the same
2-core machine as the server: its own CPU use is part of the figures.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loadstats import Recorder, Sample, report  # noqa: E402 - bench/ is this script's folder

CONFLICT_TEXT = "sudah diubah oleh"
VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityeval.settings")
    import django

    django.setup()


# ---------------------------------------------------------------- one person's browser


class Browser:
    """One person's session: a cookie jar, timed requests, the CSRF token of the last page."""

    def __init__(self, base: str, recorder: Recorder) -> None:
        self.base = base
        self.session = requests.Session()
        self.recorder = recorder
        self.csrf = ""
        self._last = 0.0  # seconds of the last POST, recorded once its outcome is known

    def get(self, kind: str, path: str) -> str | None:
        return self._request(kind, "GET", path, None)

    def post(self, kind: str, path: str, data: dict[str, str]) -> requests.Response | None:
        data = {"csrfmiddlewaretoken": self.csrf, **data}
        started = time.perf_counter()
        try:
            response = self.session.post(
                self.base + path, data=data, allow_redirects=False, timeout=60
            )
        except requests.RequestException as error:
            self._transport_error(kind, started, error)
            return None
        self._last = time.perf_counter() - started
        return response

    def record(
        self, kind: str, response: requests.Response, outcome: str, problem: str = ""
    ) -> None:
        self.recorder.add(Sample(kind, self._last, response.status_code, outcome), problem)

    def _request(self, kind: str, method: str, path: str, data: Any) -> str | None:
        started = time.perf_counter()
        try:
            response = self.session.request(method, self.base + path, timeout=60)
        except requests.RequestException as error:
            self._transport_error(kind, started, error)
            return None
        seconds = time.perf_counter() - started
        if response.status_code != 200:
            problem = f"{kind} {path}: HTTP {response.status_code}"
            self.recorder.add(Sample(kind, seconds, response.status_code, "error"), problem)
            return None
        self.recorder.add(Sample(kind, seconds, 200, "ok"))
        token = CSRF.search(response.text)
        if token:
            self.csrf = token.group(1)
        return response.text

    def _transport_error(self, kind: str, started: float, error: Exception) -> None:
        seconds = time.perf_counter() - started
        self.recorder.add(Sample(kind, seconds, 0, "error"), f"{kind}: {error}")

    def log_in(self, username: str, password: str) -> bool:
        if self.get("login page", "/accounts/login/") is None:
            return False
        response = self.post(
            "login", "/accounts/login/", {"username": username, "password": password}
        )
        if response is None:
            return False
        ok = response.status_code == 302
        self.record(
            "login",
            response,
            "accepted" if ok else "unexpected",
            "" if ok else f"login {username}: {response.status_code}",
        )
        return ok


# ---------------------------------------------------------------- the people


@dataclass
class Shared:
    """What the run shares between threads: the accepted writes and each reviewed item's state."""

    writes: list[Any] = field(default_factory=list)
    review_state: dict[int, tuple[int, bool]] = field(default_factory=dict)  # version, accepted
    lock: threading.Lock = field(default_factory=threading.Lock)


def think(rng: random.Random, args: argparse.Namespace) -> None:
    time.sleep(rng.uniform(args.think_min, args.think_max))


def classify(browser: Browser, kind: str, response: requests.Response) -> str:
    """accepted (302), conflict (the form again with the conflict message), or a problem."""
    if response.status_code == 302:
        browser.record(kind, response, "accepted")
        return "accepted"
    if response.status_code == 200 and CONFLICT_TEXT in response.text:
        browser.record(kind, response, "conflict")
        return "conflict"
    outcome = "error" if response.status_code >= 500 else "unexpected"
    errors = re.findall(r'class="errorlist[^"]*"><li>([^<]+)', response.text)
    browser.record(kind, response, outcome, f"{kind}: HTTP {response.status_code} {errors[:2]}")
    return outcome


def contributor(
    person: Any, browser: Browser, shared: Shared, stop: float, seed: int, args: argparse.Namespace
) -> None:
    from loadset import Write

    rng = random.Random(seed)
    sequence = 0
    while time.monotonic() < stop:
        item = rng.choice(person.items)
        if rng.random() < 0.2:
            browser.get("contributor: item list", f"/evaluations/{item.evaluation_pk}/items/")
        page = browser.get(
            "contributor: open item", f"/evaluations/{item.evaluation_pk}/items/{item.pk}/"
        )
        if page is None or not (found := VERSION.search(page)):
            think(rng, args)
            continue
        version = int(found.group(1))
        think(rng, args)
        sequence += 1
        value = rng.choice(item.levels)
        narrative = f"uji beban {person.username} #{sequence}: {secrets.token_hex(4)}"
        response = browser.post(
            "contributor: save item",
            f"/evaluations/{item.evaluation_pk}/items/{item.pk}/",
            {"value": value, "narrative": narrative, "version": str(version)},
        )
        if (
            response is not None
            and classify(browser, "contributor: save item", response) == "accepted"
        ):
            with shared.lock:
                shared.writes.append(
                    Write("self", person.username, item.pk, version, value, narrative)
                )
        think(rng, args)


def assessor(
    person: Any, browser: Browser, shared: Shared, stop: float, seed: int, args: argparse.Namespace
) -> None:
    from loadset import Write

    rng = random.Random(seed)
    sequence = 0
    while time.monotonic() < stop:
        item = rng.choice(person.items)
        if rng.random() < 0.15:
            browser.get("assessor: queue", "/review/")
        if rng.random() < 0.15:
            browser.get("assessor: workspace", f"/review/{item.evaluation_pk}/")
        page = browser.get("assessor: open item", f"/review/{item.evaluation_pk}/items/{item.pk}/")
        if page is None or not (found := VERSION.search(page)):
            think(rng, args)
            continue
        version = int(found.group(1))
        think(rng, args)
        with shared.lock:
            known_version, accepted = shared.review_state[item.pk]
        # Accept only when the page's version is the state we know and it is not accepted yet,
        # so that every accepted "accept" is a real change with an audit entry.
        if known_version == version and not accepted and rng.random() < 0.6:
            kind, data, value, text = "accept", {"action": "accept"}, item.self_value or "", ""
        else:
            sequence += 1
            value = rng.choice([level for level in item.levels if level != item.self_value])
            text = f"uji beban {person.username} #{sequence}: {secrets.token_hex(4)}"
            kind, data = "adjust", {"action": "adjust", "value": value, "reason": text}
        label = f"assessor: {kind}"
        response = browser.post(
            label,
            f"/review/{item.evaluation_pk}/items/{item.pk}/",
            {**data, "version": str(version)},
        )
        if response is not None and classify(browser, label, response) == "accepted":
            with shared.lock:
                shared.writes.append(Write(kind, person.username, item.pk, version, value, text))
                if shared.review_state[item.pk][0] < version + 1:
                    shared.review_state[item.pk] = (version + 1, kind == "accept")
        think(rng, args)


def public(
    scorecards: list[int],
    cycles: list[int],
    browser: Browser,
    stop: float,
    seed: int,
    args: argparse.Namespace,
) -> None:
    rng = random.Random(seed)
    while time.monotonic() < stop:
        roll = rng.random()
        if roll < 0.3:
            browser.get("public: dashboard", "/dashboard/public/")
        elif roll < 0.5:
            browser.get("public: open data", "/data/")
        elif roll < 0.6:
            browser.get("public: regions.csv", f"/data/{rng.choice(cycles)}/regions.csv")
        else:
            browser.get("public: scorecard", f"/scorecard/{rng.choice(scorecards)}/")
        think(rng, args)


# ---------------------------------------------------------------- the server


def start_server(
    env: dict[str, str], port: int, workers: int, log: Path
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "gunicorn", "cityeval.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--timeout", "120", "--graceful-timeout", "10", "--error-logfile", str(log),
        # The control socket's default path is shared by every gunicorn of the user.
        "--no-control-socket",
    ]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 180  # a cold worker on a busy shared machine is slow
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}); see {log}")
        try:
            if (
                requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=5).status_code
                == 200
            ):
                return server
        except requests.RequestException:
            pass
        time.sleep(0.5)
    stop_server(server)
    raise SystemExit(f"gunicorn did not answer within 180 s; see {log}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


# ---------------------------------------------------------------- the run


def run_phase(
    label: str,
    people: list[tuple[str, Any, Browser]],
    load: Any,
    shared: Shared,
    seconds: float,
    args: argparse.Namespace,
) -> float:
    stop = time.monotonic() + seconds
    threads = []
    for n, (role, person, browser) in enumerate(people):
        seed = args.seed * 1000 + n + (0 if label == "baseline" else 500)
        if role == "contributor":
            target: Any = contributor
            call_args: tuple[Any, ...] = (person, browser, shared, stop, seed, args)
        elif role == "assessor":
            target, call_args = assessor, (person, browser, shared, stop, seed, args)
        else:
            target, call_args = public, (load.scorecards, load.cycles, browser, stop, seed, args)
        threads.append(threading.Thread(target=target, args=call_args, daemon=True))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--contributors", type=int, default=24, help="of --users")
    parser.add_argument("--assessors", type=int, default=10, help="of --users; the rest is public")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument(
        "--baseline", type=float, default=10.0, help="seconds of the 3-user baseline"
    )
    parser.add_argument("--think-min", type=float, default=0.2)
    parser.add_argument("--think-max", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    if args.contributors + args.assessors > args.users:
        parser.error("--contributors + --assessors must not exceed --users")

    env = {
        **os.environ,
        "CITYEVAL_DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback: no redirect to HTTPS
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    setup_django(env)
    import loadset
    from django.db import connections

    print(f"database: {loadset.database_label()}")
    if "DATABASE_URL" not in os.environ:
        print("  (no DATABASE_URL: SQLite, one writer at a time; set DATABASE_URL for PostgreSQL)")
    started = time.perf_counter()
    loadset.ensure_demo()
    load = loadset.build(contributors=args.contributors, assessors=args.assessors)
    loadset.snapshot_state(load)
    connections.close_all()
    print(
        f"data set ready in {time.perf_counter() - started:.1f} s: "
        f"{len(load.contributors)} contributors on "
        f"{len({i.pk for p in load.contributors for i in p.items})} items, {len(load.assessors)} "
        f"assessors on {len({i.pk for p in load.assessors for i in p.items})} items, "
        f"{len(load.scorecards)} public scorecards"
    )

    log = Path(os.environ.get("CITYEVAL_DATA_DIR", ROOT / "var")) / "load-gunicorn.log"
    server = start_server(env, args.port, args.workers, log)
    print(f"gunicorn: {args.workers} sync workers on 127.0.0.1:{args.port} (log {log})")
    base = f"http://127.0.0.1:{args.port}"
    shared = Shared(review_state=dict(load.initial))
    try:
        publics = args.users - args.contributors - args.assessors
        people: list[tuple[str, Any, Browser]] = []
        logins = Recorder()
        roster = [("contributor", p) for p in load.contributors] + [
            ("assessor", p) for p in load.assessors
        ]
        for role, person in roster:
            people.append((role, person, Browser(base, logins)))
        login_threads = [
            threading.Thread(target=b.log_in, args=(p.username, loadset.PASSWORD))
            for _r, p, b in people
        ]
        for thread in login_threads:
            thread.start()
        for thread in login_threads:
            thread.join()
        failed_logins = [s for s in logins.samples if s.kind == "login" and s.outcome != "accepted"]
        people += [("public", None, Browser(base, logins)) for _ in range(publics)]
        print(
            f"signed in {len(roster) - len(failed_logins)} of {len(roster)} people "
            "through the login form"
        )

        baseline = Recorder()
        trio = [people[0], people[len(load.contributors)], people[-1]]
        for _role, _person, browser in trio:
            browser.recorder = baseline
        base_seconds = run_phase("baseline", trio, load, shared, args.baseline, args)
        measured = Recorder()
        for _role, _person, browser in people:
            browser.recorder = measured
        print(
            f"load: {len(people)} users ({args.contributors} contributors, "
            f"{args.assessors} assessors, {publics} public), "
            f"think time {args.think_min}–{args.think_max} s, {args.duration:.0f} s"
        )
        load_seconds = run_phase("load", people, load, shared, args.duration, args)
    finally:
        stop_server(server)

    report("baseline (1 contributor, 1 assessor, 1 public visitor)", baseline, base_seconds, None)
    report(f"load ({len(people)} concurrent users)", measured, load_seconds, baseline)

    checked = loadset.verify(load, shared.writes)
    kinds = {
        kind: sum(w.kind == kind for w in shared.writes) for kind in ("self", "accept", "adjust")
    }
    print(
        f"\nwrites accepted by the server: {checked.writes} "
        f"({kinds['self']} self-assessment saves, "
        f"{kinds['accept']} accepts, {kinds['adjust']} adjustments)"
    )
    print(f"  lost (no audit entry with the value sent): {len(checked.lost)}")
    print(f"  audit entries no client was told about:   {len(checked.unexpected)}")
    print(f"  items whose final row is not the last accepted write: {len(checked.wrong_final)}")
    for line in (checked.lost + checked.unexpected + checked.wrong_final)[:10]:
        print(f"    {line}")
    all_samples = baseline.samples + measured.samples + logins.samples
    server_errors = sum(s.status >= 500 for s in all_samples)
    bad = [s for s in all_samples if s.outcome in ("error", "unexpected")]
    print(
        f"5xx answers: {server_errors}; "
        f"transport errors or unexpected answers: {len(bad) - server_errors}"
    )
    for problem in (logins.problems + baseline.problems + measured.problems)[:10]:
        print(f"    {problem}")
    if failed_logins or bad or not checked.ok:
        print("RESULT: FAILED")
        return 1
    print("RESULT: nothing lost, no server error")
    return 0


if __name__ == "__main__":
    sys.exit(main())
