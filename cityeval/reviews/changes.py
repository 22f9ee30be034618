"""What the region changed in an item since the assessors asked about it.

The snapshot taken with the clarification request is the "before"; the item as it is now is the
"after". Evidence files are compared by content (sha256; links by address), so a file
re-uploaded under another name is not a change and the same name with new content is.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from cityeval.evaluations.models import ItemValue, ReviewStatus
from cityeval.reviews.evidence import EvidenceFile, evidence_by_item, snapshot_key
from cityeval.reviews.models import ClarificationItem

# Items whose region answer the assessors have not decided on yet.
AWAITING = (ReviewStatus.CLARIFICATION, ReviewStatus.ANSWERED)


@dataclass(frozen=True)
class ItemChange:
    item: ItemValue
    snapshot: ClarificationItem
    value_before: Decimal | None
    value_now: Decimal | None
    narrative_diff: list[tuple[str, str]]  # ("same" | "removed" | "added", text)
    added: list[EvidenceFile]
    removed: list[dict[str, str]]
    kept: list[EvidenceFile]

    @property
    def value_changed(self) -> bool:
        return self.value_before != self.value_now

    @property
    def narrative_changed(self) -> bool:
        return any(op != "same" for op, _text in self.narrative_diff)

    @property
    def evidence_changed(self) -> bool:
        return bool(self.added or self.removed)

    @property
    def changed(self) -> bool:
        return self.value_changed or self.narrative_changed or self.evidence_changed


def latest_snapshots(item_ids: Iterable[int]) -> dict[int, ClarificationItem]:
    """The most recent clarification snapshot of each item that has one."""
    found: dict[int, ClarificationItem] = {}
    rows = (
        ClarificationItem.objects.filter(item_id__in=list(item_ids))
        .select_related("request__requested_by", "request__answered_by")
        .order_by("item_id", "-request__requested_at", "-pk")
    )
    for row in rows:
        found.setdefault(row.item_id, row)
    return found


def changes_for(items: Iterable[ItemValue]) -> dict[int, ItemChange]:
    """Before/after of each given item that has a clarification snapshot."""
    items = list(items)
    snapshots = latest_snapshots(item.pk for item in items)
    with_snapshot = [item for item in items if item.pk in snapshots]
    evidence = evidence_by_item(with_snapshot)
    result: dict[int, ItemChange] = {}
    for item in with_snapshot:
        snapshot = snapshots[item.pk]
        now = evidence.get(item.pk, [])
        before = {snapshot_key(entry): entry for entry in snapshot.evidence}
        current = {file.key for file in now}
        result[item.pk] = ItemChange(
            item=item,
            snapshot=snapshot,
            value_before=snapshot.self_value,
            value_now=item.self_value,
            narrative_diff=word_diff(snapshot.narrative, item.narrative),
            added=[file for file in now if file.key not in before],
            removed=[entry for key, entry in before.items() if key not in current],
            kept=[file for file in now if file.key in before],
        )
    return result


def changed_since_review(items: Iterable[ItemValue]) -> set[int]:
    """Ids of the items the region changed since the assessors asked about them, still undecided.

    The same rule as the review workspace's "changed" rows, for the region's own item list.
    """
    return {
        pk
        for pk, change in changes_for(items).items()
        if change.item.review_status in AWAITING and change.changed
    }


def changed_counts(evaluation_ids: Iterable[int]) -> Counter[int]:
    """Per evaluation, how many items awaiting a new verdict differ from their snapshot."""
    items = ItemValue.objects.filter(
        evaluation_id__in=list(evaluation_ids), review_status__in=AWAITING
    )
    counts: Counter[int] = Counter()
    for change in changes_for(items).values():
        if change.changed:
            counts[change.item.evaluation_id] += 1
    return counts


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """The text as runs of kept, removed and added words (whitespace kept with its word)."""
    old = re.findall(r"\S+\s*", before)
    new = re.findall(r"\S+\s*", after)
    runs: list[tuple[str, str]] = []
    # Words are compared without their trailing whitespace: re-wrapping a line is no change.
    matcher = difflib.SequenceMatcher(
        a=[word.rstrip() for word in old], b=[word.rstrip() for word in new], autojunk=False
    )
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", "".join(old[a1:a2])))
            continue
        if a2 > a1:
            runs.append(("removed", "".join(old[a1:a2])))
        if b2 > b1:
            runs.append(("added", "".join(new[b1:b2])))
    return runs
