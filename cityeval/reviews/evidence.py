"""The evidence files of items, read through the evidence app's contract.

The contract: a model with a foreign key to ItemValue (related name "evidence"), fields
`original_name`, `sha256` (blank for a link), `removed_at`, a `.current()` queryset method and
`get_absolute_url()`. The review works
without the evidence app (no files are listed), so that neither app blocks the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects
from django.urls import NoReverseMatch, reverse

from cityeval.evaluations.models import ItemValue


@dataclass(frozen=True)
class EvidenceFile:
    sha256: str  # "" for a link
    name: str
    url: str = ""  # the permission-checked download, or the link itself; "" when unknown

    @property
    def key(self) -> str:
        """What identifies the evidence across edits: a file's content, or a link's address."""
        return self.sha256 or f"link:{self.url}"

    def as_snapshot(self) -> dict[str, str]:
        return {"sha256": self.sha256, "name": self.name, "key": self.key}


def snapshot_key(entry: dict[str, str]) -> str:
    return entry.get("key") or entry.get("sha256") or ""


def available() -> bool:
    return hasattr(ItemValue, "evidence")


def current_evidence(item: ItemValue) -> list[EvidenceFile]:
    return evidence_by_item([item]).get(item.pk, [])


def evidence_by_item(items: Iterable[ItemValue]) -> dict[int, list[EvidenceFile]]:
    """Each item's current (not removed) files, in two queries for any number of items."""
    items = list(items)
    if not available() or not items:
        return {}
    prefetch_related_objects(items, "evidence")
    found: dict[int, list[EvidenceFile]] = {}
    for item in items:
        rows: Any = item.evidence.all()
        found[item.pk] = [
            EvidenceFile(str(row.sha256), str(row.original_name), _download_url(row))
            for row in rows
            if getattr(row, "removed_at", None) is None
        ]
    return found


def _download_url(row: Any) -> str:
    get_url = getattr(row, "get_absolute_url", None)
    if callable(get_url):
        return str(get_url())
    try:
        return reverse("evidence:download", kwargs={"pk": row.pk})
    except NoReverseMatch:
        return ""
