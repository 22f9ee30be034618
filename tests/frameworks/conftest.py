"""Shared fixtures for the framework tests: the minimal valid file and the bad fixtures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
GOOD = HERE / "good" / "minimal.yaml"
BAD = HERE / "bad"


@pytest.fixture
def minimal_path() -> Path:
    return GOOD


@pytest.fixture
def minimal_text() -> str:
    return GOOD.read_text(encoding="utf-8")


@pytest.fixture
def write_variant(tmp_path: Path, minimal_text: str) -> Callable[..., Path]:
    """Write the minimal file with text replacements; returns its path."""

    def write(*replacements: tuple[str, str], name: str = "variant.yaml") -> Path:
        text = minimal_text
        for old, new in replacements:
            assert old in text, old
            text = text.replace(old, new)
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
