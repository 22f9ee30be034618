#!/usr/bin/env python3
"""Set-up and everyday commands for cityeval, runnable with nothing but `python3`.

    python3 dev.py start   # install, migrate, load the demonstration data, serve on SQLite
    python3 dev.py test    # install, lint, type-check, and run the whole test suite

The script creates `.venv` with the standard library's venv, installs uv into it, and lets uv
install the locked dependencies (`uv.lock`); front-end libraries and the region list come from
the npm registry (`package-lock.json`). It uses only the standard library itself.
"""

from __future__ import annotations

import argparse
import ctypes.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
UV_VERSION = "0.13.9"
# The locked dependencies (uv.lock) resolve for each of these; CI runs the oldest.
SUPPORTED_PYTHONS = ((3, 11), (3, 12), (3, 13))
HOST, PORT = "127.0.0.1", "8000"
CHROMIUM = Path("/usr/bin/chromium")


def say(message: str) -> None:
    print(f"\033[1m» {message}\033[0m", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    completed = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=False)
    if completed.returncode != 0:
        sys.exit(f"✗ failed ({completed.returncode}): {' '.join(str(a) for a in args)}")


def ensure_python_environment() -> None:
    if not SUPPORTED_PYTHONS[0] <= sys.version_info[:2] <= SUPPORTED_PYTHONS[-1]:
        sys.exit(
            "cityeval needs Python 3.11, 3.12 or 3.13 (Django 5.2 LTS); this is "
            + sys.version.split()[0]
        )
    if not VENV_PYTHON.exists():
        say("creating .venv")
        run(sys.executable, "-m", "venv", VENV)
    uv = VENV / "bin" / "uv"
    if not uv.exists():
        say(f"installing uv {UV_VERSION}")
        run(VENV_PYTHON, "-m", "pip", "install", "--quiet", f"uv=={UV_VERSION}")
    say("installing locked Python dependencies (uv sync --frozen)")
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(VENV), "UV_PYTHON": str(VENV_PYTHON)}
    run(uv, "sync", "--frozen", "--quiet", env=env)


def ensure_node_packages() -> None:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("✗ npm (Node.js) is needed for the front-end libraries and the region list")
    lock = ROOT / "package-lock.json"
    stamp = ROOT / "node_modules" / ".package-lock.json"
    if not stamp.exists() or stamp.stat().st_mtime < lock.stat().st_mtime:
        say("installing front-end packages (npm ci)")
        run(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")


def missing_debian_packages(names: dict[str, bool]) -> list[str]:
    return [package for package, present in names.items() if not present]


def apt_install(packages: list[str], why: str) -> None:
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        sys.exit(f"✗ {why}: apt-get install {' '.join(packages)}")
    say(f"installing Debian packages: {' '.join(packages)} ({why})")
    quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq", env=quiet)
    run("apt-get", "install", "-y", "-qq", *packages, env=quiet)


def pdf_libraries_present() -> bool:
    """WeasyPrint (scorecard PDFs) loads Pango through ctypes at import time."""
    return ctypes.util.find_library("pangoft2-1.0") is not None


def ensure_pdf_libraries(required: bool) -> None:
    if pdf_libraries_present():
        return
    packages = ["libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"]
    if not required and (os.geteuid() != 0 or shutil.which("apt-get") is None):
        print(f"! scorecard PDFs need Pango: apt-get install {' '.join(packages)}", flush=True)
        return
    apt_install(packages, "scorecard PDFs are made with WeasyPrint, which needs Pango")


def ensure_test_tools() -> None:
    """Browser tests drive Debian's Chromium (Playwright's own browser download is not used);
    PDF tests render pages to PNG with poppler's pdftoppm; the two-server test starts a
    throw-away redis-server of its own (tests/public/test_two_servers.py)."""
    missing = missing_debian_packages(
        {
            "chromium": CHROMIUM.exists(),
            "poppler-utils": shutil.which("pdftoppm") is not None,
            "redis-server": shutil.which("redis-server") is not None,
        }
    )
    if missing:
        apt_install(missing, "the browser, PDF and two-server tests need them")
    ensure_pdf_libraries(required=True)


def manage(*args: str, env: dict[str, str] | None = None) -> None:
    run(VENV_PYTHON, ROOT / "manage.py", *args, env=env)


def start(args: argparse.Namespace) -> None:
    ensure_python_environment()
    ensure_node_packages()
    ensure_pdf_libraries(required=False)
    env = {**os.environ, "CITYEVAL_DEBUG": os.environ.get("CITYEVAL_DEBUG", "1")}
    manage("compiletranslations", env=env)
    manage("migrate", "--no-input", "-v", "0", env=env)
    manage("demo", "--if-empty", env=env)
    say(f"cityeval runs at http://{HOST}:{args.port}/  (Ctrl+C stops it)")
    manage("demo_logins", env=env)
    # One local job worker beside the server (e-mails, reminders, published scorecard PDFs),
    # the same `jobs_worker` production runs; it stops with the server.
    say("starting a local job worker (manage.py jobs_worker)")
    worker = subprocess.Popen([VENV_PYTHON, ROOT / "manage.py", "jobs_worker"], env=env)
    try:
        manage("runserver", f"{HOST}:{args.port}", "--noreload", env=env)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test(args: argparse.Namespace) -> None:
    ensure_python_environment()
    ensure_node_packages()
    ensure_test_tools()
    py = str(VENV_PYTHON)
    env = {**os.environ, "CITYEVAL_DEBUG": "0", "SECRET_KEY": "x" * 50, "SECURE_COOKIES": "0"}
    manage("compiletranslations", env=env)
    database = os.environ.get("DATABASE_URL", "SQLite")
    if args.database_tests_only:
        # A second database after a full run: lint, types, migrations and the tests that never
        # open a connection gave their answer already (see cityeval/pytest_env.py).
        env["CITYEVAL_DATABASE_TESTS_ONLY"] = "1"
        say(f"tests that use the database, on {database.split('@')[-1]}")
        run(py, "-m", "pytest", "-n", args.workers, "-q", *args.pytest_args, env=env)
        return
    say("lint (ruff) and format check")
    run(py, "-m", "ruff", "check", ".")
    run(py, "-m", "ruff", "format", "--check", ".")
    say("types (mypy --strict)")
    run(py, "-m", "mypy", "cityeval", "scoring", "tests", "bench", env=env)
    say("migrations are up to date")
    manage("makemigrations", "--check", "--dry-run", env=env)
    say(f"test suite on {database.split('@')[-1]}")
    run(py, "-m", "pytest", "-n", args.workers, "-q", *args.pytest_args, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    start_parser = sub.add_parser("start", help="run the application with demonstration data")
    start_parser.add_argument("--port", default=PORT)
    start_parser.set_defaults(func=start)
    test_parser = sub.add_parser("test", help="run lint, types and the whole test suite")
    test_parser.add_argument("--workers", default="auto", help="pytest-xdist workers")
    test_parser.add_argument(
        "--database-tests-only",
        action="store_true",
        help="only the tests that use the database, no lint or type checks "
        "(CI's second run, on PostgreSQL, after a full run on SQLite)",
    )
    test_parser.add_argument("pytest_args", nargs="*", help="extra arguments for pytest")
    test_parser.set_defaults(func=test)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
