"""The one place e-mail text is composed from templates.

A plain-text e-mail has no escaping of its own: a name holding a line break would print a line
of the sender's choosing under the program's official address. So templates here get plain
values only, never model objects, and each value is neutralised on the way in:

- a `str` becomes one line (`one_line`): every control character, CR and LF included, and the
  Unicode line and paragraph separators become a space;
- text that is multi-line on purpose (an assessor's message, a reason) is wrapped in `Quoted`:
  each of its lines is printed after "> ", so none of them can pass for the system's own text.

The templates are rendered without HTML escaping (this is plain text: "&" stays "&").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from django.template import Engine, engines
from django.template.backends.django import DjangoTemplates

LINE_SEPARATORS = {"\u2028", "\u2029", "\x85"}


def has_control_characters(text: str) -> bool:
    return any(_is_control(char) for char in text)


def one_line(text: str) -> str:
    """The text on one line: control characters become spaces, runs of spaces collapse."""
    return " ".join("".join(" " if _is_control(char) else char for char in text).split())


@dataclass(frozen=True)
class Quoted:
    """Multi-line text written by a person, printed as a quoted block."""

    text: str

    def __str__(self) -> str:
        lines = self.text.replace("\r\n", "\n").splitlines() or [""]
        return "\n".join(f"> {one_line(line)}".rstrip() for line in lines)


MailValue = str | int | Quoted | Sequence[str]


def render(template_name: str, context: Mapping[str, MailValue]) -> str:
    """Render one e-mail template (body or subject) from neutralised plain values."""
    return _engine().render_to_string(template_name, {k: _neutral(v) for k, v in context.items()})


def subject(text: str) -> str:
    return one_line(text)


def _neutral(value: MailValue) -> object:
    if isinstance(value, str):
        return one_line(value)
    if isinstance(value, int | Quoted):
        return value
    return [one_line(item) for item in value]


def _is_control(char: str) -> bool:
    return char in LINE_SEPARATORS or unicodedata.category(char) in ("Cc", "Zl", "Zp")


@cache
def _engine() -> Engine:
    """The project's template engine, with HTML autoescaping off."""
    backend = engines["django"]
    assert isinstance(backend, DjangoTemplates)
    base = backend.engine
    return Engine(
        dirs=base.dirs,
        loaders=base.loaders,
        libraries=base.libraries,
        builtins=[name for name in base.builtins if name not in Engine.default_builtins],
        string_if_invalid=base.string_if_invalid,
        debug=base.debug,
        autoescape=False,
    )
