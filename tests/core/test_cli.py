"""The `cityeval` command from a shell as the README writes it: no SECRET_KEY, no debug flag."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_cityeval(*args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "CITYEVAL_DEBUG", "CITYEVAL_SECRETLESS_COMMAND"}
    }
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_validates_a_framework_without_a_secret_key() -> None:
    completed = run_cityeval("framework", "validate", "frameworks/g100sc-2022.yaml")
    assert completed.returncode == 0, completed.stderr
    assert "G100SC@2022" in completed.stdout


def test_it_refuses_to_serve_without_a_secret_key_in_one_line_that_says_what_to_set() -> None:
    completed = run_cityeval("runserver", "--noreload")
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("cityeval: configuration error: SECRET_KEY must be set")
    assert "CITYEVAL_DEBUG=1" in lines[0]


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("CITYEVAL_DEBUG", "maybe", "CITYEVAL_DEBUG must be one of"),
        ("SECRET_KEY", "short", "SECRET_KEY must be at least 32 characters long"),
    ],
)
def test_a_bad_value_is_one_clear_line(variable: str, value: str, expected: str) -> None:
    completed = run_cityeval(
        "framework", "validate", "frameworks/g100sc-2022.yaml", **{variable: value}
    )
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"cityeval: configuration error: {expected}")
