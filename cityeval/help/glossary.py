"""The project glossary, read from its one home: the table under "## Glossary" in
docs/translations.md (what translators follow is what users read)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

SOURCE = Path(settings.BASE_DIR) / "docs" / "translations.md"
HEADING = "## Glossary"


@dataclass(frozen=True)
class Term:
    indonesian: str
    english: str
    note: str


def _cells(line: str) -> list[str]:
    return [cell.strip().replace("*", "") for cell in line.strip().strip("|").split("|")]


def parse(text: str) -> list[Term]:
    """The rows of the first table after the glossary heading (header and rule skipped)."""
    terms: list[Term] = []
    inside = False
    for line in text.splitlines():
        if line.startswith("## "):
            if inside:
                break
            inside = line.startswith(HEADING)
            continue
        if not inside or not line.startswith("|"):
            continue
        cells = _cells(line)
        if len(cells) < 2 or set(cells[0]) <= {"-", ":"} or cells[0] == "Indonesian":
            continue
        terms.append(Term(cells[0], cells[1], cells[2] if len(cells) > 2 else ""))
    return terms


@functools.cache
def glossary() -> tuple[Term, ...]:
    return tuple(parse(SOURCE.read_text(encoding="utf-8")))
