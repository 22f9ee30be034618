"""Two application servers (two gunicorn processes) on one database and one Redis: a publication
through server A is seen at once on server B's cached public pages, and the API rate limit counts
the requests of both servers together.

Runs in both CI passes (it uses the database): on PostgreSQL both servers use the test database;
on SQLite the test database (in memory) is copied to a file that both servers open. Redis is a
throw-away `redis-server` on a free port in a temporary folder (`dev.py test` installs it).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.urls import reverse

from cityeval.accounts.middleware import SEEN_KEY, STARTED_KEY
from tests.world import World

ROOT = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RATE_LIMIT = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, path: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server on {port} stopped:\n{log.read_text()[-3000:]}")
        try:
            status, _headers, _body = request(port, "GET", path)
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"server on {port} did not answer:\n{log.read_text()[-3000:]}")


def request(
    port: int, method: str, path: str, *, body: str = "", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        sent = dict(headers or {})
        if body:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body.encode() or None, headers=sent)
        response = conn.getresponse()
        headers = dict(response.getheaders())
        cookies = [v.split(";")[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
        headers["Set-Cookie"] = "; ".join(cookies)
        return response.status, headers, response.read().decode()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = shutil.which("redis-server")
    assert server, "redis-server is needed: python3 dev.py test installs it (apt-get)"
    folder = tmp_path_factory.mktemp("redis")
    # A shared machine may reserve a port for it (TEST_REDIS_PORT); else any free one.
    port = int(os.environ.get("TEST_REDIS_PORT") or 0) or free_port()
    process = subprocess.Popen(
        [
            *(server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)),
            *("--save", "", "--appendonly", "no", "--logfile", str(folder / "redis.log")),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def database_env(folder: Path) -> dict[str, str]:
    """What makes a server process use the database this test wrote (committed) its world to."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(folder / "cityeval.sqlite3")
        connection.ensure_connection()
        connection.connection.backup(copy)
        copy.close()
        return {"CITYEVAL_DATA_DIR": str(folder)}
    host = db["HOST"] or "127.0.0.1"
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return {
        "DATABASE_URL": f"postgres://{user}@{host}{port}/{db['NAME']}",
        "CITYEVAL_DATA_DIR": str(folder),
    }


def signed_in_cookie(world: World, persona: str) -> str:
    person = world.people[persona]
    session = SessionStore()
    now = int(time.time())
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session[STARTED_KEY] = now
    session[SEEN_KEY] = now
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


class Servers:
    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env, self.folder = env, folder
        self.ports: list[int] = []
        self.processes: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> Servers:
        for name in ("a", "b"):
            port = free_port()
            log = self.folder / f"server-{name}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [
                        *(sys.executable, "-m", "gunicorn", "cityeval.wsgi:application"),
                        *("-b", f"127.0.0.1:{port}", "-w", "1", "--threads", "2"),
                    ],
                    cwd=ROOT,
                    env=self.env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            self.ports.append(port)
            self.processes.append(process)
            wait_for(port, "/healthz", process, log)
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(20)


@pytest.mark.django_db(transaction=True)
def test_two_servers_share_the_published_state_and_the_rate_limit(
    world: World, redis_url: str, tmp_path: Path
) -> None:
    admin = signed_in_cookie(world, "admin")
    env = {
        **os.environ,
        **database_env(tmp_path),
        "DJANGO_SETTINGS_MODULE": "cityeval.settings",
        "CITYEVAL_DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "REDIS_URL": redis_url,
        "API_RATE_LIMIT": str(RATE_LIMIT),
        "API_RATE_PERIOD": "3600",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    semarang = world.finalised_b.region.name
    board = reverse("dashboard:public")
    card_b = reverse("scorecards:scorecard", args=[world.finalised_b.pk])
    publish = reverse("reports:publish_one", args=[world.finalised_b.pk])
    with Servers(env, tmp_path) as servers:
        a, b = servers.ports
        # B renders the board before the publication and keeps it in Redis.
        status, _, before = request(b, "GET", board)
        assert status == 200
        assert semarang not in before
        assert request(b, "GET", card_b)[0] == 302  # not published: sign in

        status, headers, confirm = request(a, "GET", publish, headers={"Cookie": admin})
        assert status == 200
        csrf = next(c for c in headers["Set-Cookie"].split("; ") if c.startswith("csrftoken="))
        token = TOKEN.findall(confirm)[0]
        status, _, _ = request(
            a,
            "POST",
            publish,
            body=f"csrfmiddlewaretoken={token}&back=cycle",
            headers={"Cookie": f"{admin}; {csrf}"},
        )
        assert status == 302

        status, _, after = request(b, "GET", board)
        assert semarang in after
        status, _, card = request(b, "GET", card_b)
        assert status == 200
        assert semarang in card

        bearer = {"Authorization": f"Bearer {world.tokens['admin']}"}
        answers = [request(port, "GET", "/api/v1/cycles", headers=bearer)[0] for port in (a, b) * 3]
        assert answers[:RATE_LIMIT] == [200] * RATE_LIMIT
        assert answers[RATE_LIMIT:] == [429, 429]
