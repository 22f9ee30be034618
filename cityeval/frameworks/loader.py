"""Load and validate a framework file; report every problem as "FILE: path: problem".

A path names the place twice: the way a program would (`tree.children[1].children[0].weight`)
and the way a reader would (`tree > OUT > OUT-GOV-PS`, with the line in the file).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from cityeval.frameworks import messages
from cityeval.frameworks.fields import build_context
from cityeval.frameworks.rules import check_document
from cityeval.frameworks.schema import NODE_KINDS, FrameworkDocument
from cityeval.frameworks.yamlio import Location, ParsedYaml, Problem, parse_yaml

MAX_FILE_BYTES = 5 * 1024 * 1024  # a framework is text; anything larger is not one


class FrameworkError(Exception):
    """A framework file is not valid. `errors` lists every problem, each "FILE: path: problem"."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def load_framework_file(path: str | Path) -> FrameworkDocument:
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise FrameworkError(
            [_line(name, None, Problem((), "cityeval.unreadable", {"reason": error.strerror}))]
        ) from error
    return load_framework_bytes(raw, filename=name)


def load_framework_bytes(raw: bytes, *, filename: str) -> FrameworkDocument:
    if len(raw) > MAX_FILE_BYTES:
        problem = Problem((), "cityeval.too_large", {"limit": MAX_FILE_BYTES})
        raise FrameworkError([_line(filename, None, problem)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FrameworkError([_line(filename, None, Problem((), "cityeval.not_utf8"))]) from error
    return load_framework_text(text, filename=filename)


# Validating a large framework takes a noticeable fraction of a second and the same shipped
# files are loaded again and again (demo, tests, imports); a valid document is immutable, so it
# is remembered by the hash of its text. Invalid files are never cached: their messages depend
# on the active language.
_VALID_DOCUMENTS: dict[str, FrameworkDocument] = {}
_CACHE_LIMIT = 32


def load_framework_text(text: str, *, filename: str) -> FrameworkDocument:
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    cached = _VALID_DOCUMENTS.get(key)
    if cached is not None:
        return cached
    document = _validate_text(text, filename=filename)
    if len(_VALID_DOCUMENTS) >= _CACHE_LIMIT:
        _VALID_DOCUMENTS.clear()
    _VALID_DOCUMENTS[key] = document
    return document


def _validate_text(text: str, *, filename: str) -> FrameworkDocument:
    parsed = parse_yaml(text)
    problems = list(parsed.problems)
    document: FrameworkDocument | None = None
    if isinstance(parsed.data, dict):
        try:
            document = FrameworkDocument.model_validate(
                parsed.data, context=build_context(parsed.data)
            )
        except ValidationError as error:
            problems.extend(
                _from_pydantic(detail) for detail in error.errors() if not _echo(detail)
            )
        problems.extend(check_document(parsed.data))
    if problems or document is None:
        raise FrameworkError(format_problems(filename, parsed, problems))
    return document


def _echo(detail: ErrorDetails) -> bool:
    # Pydantic counts only the valid items of a list, so a list whose items all fail is also
    # reported as "too short"; the items' own errors are the real ones.
    value = detail.get("input")
    return detail["type"] == "too_short" and isinstance(value, list | tuple) and len(value) > 0


def _from_pydantic(detail: ErrorDetails) -> Problem:
    ctx = dict(detail.get("ctx") or {})
    loc = _without_union_tags(tuple(detail["loc"]))
    if detail["type"] == "extra_forbidden":
        ctx["key"] = loc[-1] if loc else None
    if isinstance(ctx.get("field"), str):
        # A rule about a whole node names the field it is about; point there.
        loc = (*loc, ctx["field"])
    return Problem(loc, detail["type"], ctx, detail.get("input"))


def _without_union_tags(loc: Location) -> Location:
    """Drop the `maturity`/`group` step pydantic adds after a tree entry's index."""
    cleaned: list[str | int] = []
    for index, part in enumerate(loc):
        after_child = (
            index >= 2 and isinstance(loc[index - 1], int) and loc[index - 2] == "children"
        )
        if after_child and part in NODE_KINDS:
            continue
        cleaned.append(part)
    return tuple(cleaned)


def format_problems(filename: str, parsed: ParsedYaml, problems: list[Problem]) -> list[str]:
    ordered = sorted(problems, key=lambda p: (_line_of(parsed, p) or 0, str(p.loc)))
    return [_line(filename, parsed, problem) for problem in ordered]


def _line(filename: str, parsed: ParsedYaml | None, problem: Problem) -> str:
    ctx = dict(problem.ctx)
    if isinstance(ctx.get("other"), tuple) and parsed is not None:
        ctx["other"] = _place(parsed, ctx["other"], with_path=True)
    message = messages.describe(problem.type, ctx, problem.value)
    return f"{filename}: {_where(parsed, problem)}: {message}"


def _where(parsed: ParsedYaml | None, problem: Problem) -> str:
    if not problem.loc:
        if problem.line is not None and problem.column is not None:
            return messages.line_column_label(problem.line, problem.column)
        if problem.line is not None:
            return messages.line_label(problem.line)
        return messages.document_label()
    if parsed is None:
        return path_text(problem.loc)
    return f"{path_text(problem.loc)} ({_place(parsed, problem.loc, problem.line)})"


def _place(
    parsed: ParsedYaml, loc: Location, line: int | None = None, *, with_path: bool = False
) -> str:
    crumbs = breadcrumb(parsed.data, loc) if loc and loc[0] in ("tree", "tag_axis") else ""
    parts = [crumbs] if " > " in crumbs else []
    found = line or _line_in_file(parsed, loc)
    if found:
        parts.append(messages.line_label(found))
    place = ", ".join(part for part in parts if part)
    if with_path:
        return f"{path_text(loc)} ({place})" if place else path_text(loc)
    return place or messages.document_label()


def _line_of(parsed: ParsedYaml, problem: Problem) -> int | None:
    return problem.line or _line_in_file(parsed, problem.loc)


def _line_in_file(parsed: ParsedYaml, loc: Location) -> int | None:
    # A missing key has no line of its own; the nearest enclosing value's line is the place.
    for end in range(len(loc), -1, -1):
        prefix = loc[:end]
        if prefix in parsed.lines:
            return parsed.lines[prefix]
        alternative = tuple(str(p) if isinstance(p, int) else p for p in prefix)
        if alternative in parsed.lines:
            return parsed.lines[alternative]
    return None


def path_text(loc: Location) -> str:
    """`tree.children[1].levels.3.rubric`: list positions in brackets, mapping keys dotted."""
    text = ""
    for index, part in enumerate(loc):
        keyed = index > 0 and loc[index - 1] in ("levels", "labels")
        if isinstance(part, int) and not keyed:
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def breadcrumb(data: Any, loc: Location) -> str:
    """`tree > OUT > OUT-GOV-PS`: the codes of the nodes (or tags) on the way to `loc`."""
    crumbs = [str(loc[0])]
    current: Any = data.get(loc[0]) if isinstance(data, dict) else None
    for part in loc[1:]:
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
            code = current.get("code") if isinstance(current, dict) else None
            if isinstance(code, str):
                crumbs.append(code)
        else:
            break
    return " > ".join(crumbs)
