"""The tag axis of a stored framework version (smart dimensions and their elements), by name."""

from __future__ import annotations

from dataclasses import dataclass

from cityeval.frameworks.models import FrameworkVersion, pick_language


@dataclass(frozen=True)
class TagInfo:
    code: str
    name: str
    parent: str | None


def tag_infos(version: FrameworkVersion) -> list[TagInfo]:
    """Every tag in document order: each dimension followed by its elements."""
    axis = version.document.get("tag_axis") or {}
    found: list[TagInfo] = []

    def walk(tags: list[dict[str, object]], parent: str | None) -> None:
        for tag in tags:
            names = tag.get("name") or {}
            assert isinstance(names, dict)
            code = str(tag["code"])
            found.append(
                TagInfo(code, pick_language(names.get("id", ""), names.get("en", "")), parent)
            )
            children = tag.get("children") or []
            assert isinstance(children, list)
            walk(children, code)

    walk(list(axis.get("tags") or []), None)
    return found


def dimension_names(version: FrameworkVersion) -> dict[str, str]:
    """Top-level tags (the smart dimensions) by code, in document order."""
    return {tag.code: tag.name for tag in tag_infos(version) if tag.parent is None}
