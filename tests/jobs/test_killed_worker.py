"""A real `jobs_worker` runs the queue; one killed (SIGKILL) mid-job loses nothing, doubles nothing.

Everything runs in child processes (`job_child.py`) on a database they share: a file of its own
on SQLite (the test database is in memory, invisible to another process), the test database
itself on PostgreSQL (committed: `transactional_db`). The child publishes one result with a
coordinator to tell, which queues a notification mail, the scorecard PDFs and the open-data files.
A first worker is killed just before it sends the mail, a second one with a PDF's temporary file
half written, a third with an open-data file's; a fourth, ordinary worker takes the jobs over
once their leases run out. Then: the mail was sent once, each language's PDF exists once and
complete, every open-data file of the state published is there and complete (the half-written
one never under a name a reader asks for), and every job is done.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

CHILD = Path(__file__).with_name("job_child.py")
DEADLINE_SECONDS = 240
LEASE_SECONDS = 4

pytestmark = pytest.mark.timeout(600)


@pytest.fixture
def child_env(tmp_path: Path, transactional_db: None) -> dict[str, str]:
    env = {
        **os.environ,
        "CITYEVAL_DATA_DIR": str(tmp_path),
        "CITYEVAL_JOBS": "database",
        "CITYEVAL_PDFS_AT_PUBLISH": "1",
        "CITYEVAL_OPEN_DATA_AT_PUBLISH": "1",
        "CITYEVAL_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "CITYEVAL_LOG_FORMAT": "plain",
    }
    if connection.vendor == "postgresql":
        # The test database itself: what the children write is committed and visible here.
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    return env


def run_child(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, str(CHILD), *args], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def state(env: dict[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(run_child("state", env=env).strip().splitlines()[-1])
    return found


def start_worker(env: dict[str, str], *pause: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), "worker", *pause],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def kill_when_inside(worker: subprocess.Popen[str]) -> int:
    """Wait for the worker to print INSIDE (its job mid-way), then SIGKILL it."""
    assert worker.stdout is not None
    for line in worker.stdout:  # ends when the child exits: the assert below then fails
        if line.strip() == "INSIDE":
            break
    worker.send_signal(signal.SIGKILL)
    return worker.wait(timeout=60)


def wait_until_all_done(env: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        found = state(env)
        statuses = {status for status, _attempts in found["jobs"].values()}
        if statuses == {"done"} or time.monotonic() > deadline:
            return found
        time.sleep(0.5)  # polling, with the deadline above


def test_a_killed_worker_s_jobs_run_again_once_on_another_worker(
    tmp_path: Path, child_env: dict[str, str]
) -> None:
    run_child("prepare", "mail", env=child_env)
    queued = state(child_env)
    assert any(key.startswith("mail:notification:") for key in queued["jobs"])
    assert any(key.startswith("publication-pdfs:") for key in queued["jobs"])

    assert kill_when_inside(start_worker(child_env, "--pause", "mail")) == -signal.SIGKILL
    assert state(child_env)["sent"] == []  # killed before the send: no mail, no record
    assert kill_when_inside(start_worker(child_env, "--pause", "pdf")) == -signal.SIGKILL
    assert list((tmp_path / "media").rglob("*.pdf.killed.part"))  # really mid-write
    assert kill_when_inside(start_worker(child_env, "--pause", "opendata")) == -signal.SIGKILL
    assert list((tmp_path / "media" / "opendata").rglob("*.killed.part"))

    survivor = start_worker(child_env)
    try:
        found = wait_until_all_done(child_env)
    finally:
        survivor.send_signal(signal.SIGTERM)
        survivor.wait(timeout=60)

    assert {status for status, _attempts in found["jobs"].values()} == {"done"}, found
    mail_key = next(key for key in found["jobs"] if key.startswith("mail:"))
    assert found["jobs"][mail_key][1] >= 2  # it ran again after the kill
    assert found["sent"] == [mail_key]
    messages = list((tmp_path / "mail").iterdir())
    assert len(messages) == 1  # the file backend writes one file per connection's messages
    assert messages[0].read_text().count("\nSubject: ") == 1

    assert sorted(row["language"] for row in found["stored"]) == ["en", "id"]
    assert sorted(found["pdf_files"]) == sorted(row["path"] for row in found["stored"])
    for row in found["stored"]:
        data = (tmp_path / "media" / row["path"]).read_bytes()
        assert data.startswith(b"%PDF-")
        assert data.rstrip().endswith(b"%%EOF")
        assert hashlib.sha256(data).hexdigest() == row["sha256"]
        assert len(data) == row["size"]
    killed_pdf = [k for k, (_s, attempts) in found["jobs"].items() if k.startswith("scorecard-pdf")]
    assert max(found["jobs"][k][1] for k in killed_pdf) >= 2

    assert_open_data_complete(tmp_path / "media", found)


def assert_open_data_complete(media: Path, found: dict[str, Any]) -> None:
    """Every file of the published state in each language, whole; a job ran again."""
    from cityeval.exports.files import FILES

    killed = [k for k in found["jobs"] if k.startswith("open-data:")]
    assert max(found["jobs"][k][1] for k in killed) >= 2
    served = {p for p in found["open_data"] if not p.endswith(".part")}
    expected = {
        f"{cycle}/{language}/{found['marker']}/{file.name}"
        for cycle in [found["cycle"]]
        for language in ("id", "en")
        for file in FILES
    }
    assert expected <= served, sorted(served)
    for relative in expected:
        data = (media / "opendata" / relative).read_bytes()
        if relative.endswith(".xlsx"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                assert archive.testzip() is None
        elif relative.endswith(".json"):
            assert json.loads(data)["regions"]
        else:
            assert data.startswith("\ufeff".encode())
            assert data.endswith(b"\r\n")
