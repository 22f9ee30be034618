"""A PostgreSQL host that stops answering fails the request within the connect timeout, with
the 503 page, instead of holding the worker until the server kills it.

A child process (its own settings, read at start) points DATABASE_URL at a TCP listener that
accepts connections and never answers, with DATABASE_CONNECT_TIMEOUT=1, and asks for a page
that reads the database through Django's test client.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, time
import django
django.setup()
from django.test import Client
started = time.perf_counter()
response = Client(raise_request_exception=False).get("/dashboard/public/")
print(json.dumps({
    "status": response.status_code,
    "seconds": time.perf_counter() - started,
    "page": "Layanan basis data sedang tidak tersedia" in response.content.decode(),
}))
"""


@pytest.fixture
def silent_port() -> Iterator[int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield int(server.getsockname()[1])
    server.close()
    for connection in held:
        connection.close()


def test_a_database_host_that_never_answers_gives_the_503_page_after_the_timeout(
    silent_port: int, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cityeval.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{silent_port}/cityeval",
        "DATABASE_CONNECT_TIMEOUT": "1",
        "CITYEVAL_DATA_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "CRITICAL",
    }
    # Without a connect timeout libpq waits forever and the child never finishes: the run's own
    # timeout (far above DATABASE_CONNECT_TIMEOUT) then fails the test. bench/faults.py prints
    # the time it takes.
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == 503
    assert result["page"] is True
