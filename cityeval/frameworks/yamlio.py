"""Reading a framework file's YAML: exact decimals, line numbers, and no silent duplicate keys.

PyYAML would turn `0.1` into a binary float and let a repeated key silently replace the first
one; both are wrong for official figures, so this loader builds `Decimal`s and reports repeats.
It also records where every value sits in the file, so a problem can name its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (`loc` inside the document) and what (`type`, `ctx`)."""

    loc: Location
    type: str
    ctx: dict[str, Any] = field(default_factory=dict)
    value: Any = None
    line: int | None = None  # 1-based, when known without the document index
    column: int | None = None


@dataclass
class ParsedYaml:
    data: Any
    # Where each value starts (1-based line), by its location in the document.
    lines: dict[Location, int]
    problems: list[Problem]


# libyaml's parser when it is installed: a G100SC file parses about four times faster.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    pass


def _construct_float(loader: Any, node: yaml.ScalarNode) -> Any:
    text = str(loader.construct_scalar(node))
    try:
        return Decimal(text.replace("_", ""))
    except InvalidOperation:  # .inf / .nan: kept as floats and refused later as non-finite
        return loader.construct_yaml_float(node)


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def parse_yaml(text: str) -> ParsedYaml:
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            problem = Problem(
                (),
                "cityeval.yaml_invalid",
                {"problem": error.problem or error.context or str(error)},
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
            )
            return ParsedYaml(None, {}, [problem])
        except yaml.YAMLError as error:
            return ParsedYaml(None, {}, [Problem((), "cityeval.yaml_invalid", {"problem": error})])
        if node is None:
            return ParsedYaml(None, {}, [Problem((), "cityeval.empty")])
        lines: dict[Location, int] = {}
        problems: list[Problem] = []
        _index(loader, node, (), lines, problems)
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        kind = "list" if isinstance(data, list) else type(data).__name__
        problems.append(Problem((), "cityeval.not_mapping", {"kind": kind}, line=1))
    return ParsedYaml(data, lines, problems)


def _index(
    loader: _Loader,
    node: yaml.Node,
    loc: Location,
    lines: dict[Location, int],
    problems: list[Problem],
) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = _key(loader, key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    Problem(
                        (*loc, key) if isinstance(key, str | int) else loc,
                        "cityeval.yaml_duplicate_key",
                        {"key": key, "first": seen[key]},
                        line=line,
                    )
                )
                continue
            seen[key] = line
            if isinstance(key, str | int):
                lines.setdefault((*loc, key), line)
                _index(loader, value_node, (*loc, key), lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index(loader, item, (*loc, index), lines, problems)


def _key(loader: _Loader, key_node: yaml.Node) -> Any:
    if isinstance(key_node, yaml.ScalarNode):
        key = loader.construct_object(key_node)
        try:
            hash(key)
        except TypeError:
            return repr(key)
        return key
    return repr(key_node)
