import os
import subprocess
import sys
from pathlib import Path

import pytest

from cityeval import env


def test_it_refuses_a_boolean_it_cannot_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "perhaps")
    with pytest.raises(env.ConfigError, match="X_FLAG"):
        env.env_bool("X_FLAG", default=False)


def test_it_refuses_an_integer_it_cannot_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_NUMBER", "ten")
    with pytest.raises(env.ConfigError, match="X_NUMBER must be an integer"):
        env.env_int("X_NUMBER", default=1)


def test_it_requires_a_value_without_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("X_REQUIRED", raising=False)
    with pytest.raises(env.ConfigError, match="X_REQUIRED must be set"):
        env.env_str("X_REQUIRED")


def test_it_splits_lists_and_drops_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_HOSTS", "a.example, b.example,,")
    assert env.env_list("X_HOSTS", []) == ["a.example", "b.example"]


def test_a_short_health_token_stops_the_start() -> None:
    environment = {**os.environ, "CITYEVAL_DEBUG": "1", "HEALTHZ_TOKEN": "kurang-panjang"}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    started = subprocess.run(
        [sys.executable, "-c", "import cityeval.settings"],
        env=environment,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode != 0
    assert "HEALTHZ_TOKEN must be at least 32 characters" in started.stderr
