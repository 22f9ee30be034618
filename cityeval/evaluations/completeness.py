"""What is still missing in a self-assessment: the item list's filters and its counts.

One home for "not filled", "filled without evidence", "flagged for clarification" and "changed
since review", so that the item list, its counts per OPD and per group, the overview and the
submission summary all count the same way. Items come from `visible_items(...)` annotated with
`with_evidence_state()`; "changed since review" is decided by the reviews app and handed in as a
set of item ids (this module stays below the review layer).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityeval.evaluations.models import EvidenceState, ItemValue, ReviewStatus

UNASSIGNED = "none"  # the OPD filter's value for items not assigned to any OPD


class Missing(enum.StrEnum):
    """The values of the item list's `state` filter."""

    EMPTY = "empty"
    FILLED = "filled"
    NO_EVIDENCE = "no_evidence"
    FLAGGED = "flagged"
    CHANGED = "changed"


FILTER_LABELS = {
    Missing.EMPTY: gettext_lazy("Belum diisi"),
    Missing.FILLED: gettext_lazy("Sudah diisi"),
    Missing.NO_EVIDENCE: gettext_lazy("Terisi tanpa bukti dukung"),
    Missing.FLAGGED: gettext_lazy("Diminta klarifikasi"),
    Missing.CHANGED: gettext_lazy("Berubah sejak reviu"),
}


def is_flagged(item: ItemValue) -> bool:
    """The assessors asked the region about this item and wait for its answer."""
    return item.review_status == ReviewStatus.CLARIFICATION


def matches(item: ItemValue, state: Missing, changed: set[int]) -> bool:
    if state == Missing.EMPTY:
        return item.self_value is None
    if state == Missing.FILLED:
        return item.self_value is not None
    if state == Missing.NO_EVIDENCE:
        return item.evidence_state == EvidenceState.NO_EVIDENCE
    if state == Missing.FLAGGED:
        return is_flagged(item)
    return item.pk in changed


@dataclass
class Gaps:
    """The counts of one row (an OPD, a group, or the whole evaluation)."""

    label: str
    key: str = ""  # the filter value that opens this row's items ("" for the whole)
    total: int = 0
    empty: int = 0
    no_evidence: int = 0
    flagged: int = 0
    changed: int = 0

    @property
    def filled(self) -> int:
        return self.total - self.empty

    @property
    def percent(self) -> int:
        return round(100 * self.filled / self.total) if self.total else 0

    def add(self, item: ItemValue, changed: set[int]) -> None:
        self.total += 1
        state = item.evidence_state
        self.empty += state == EvidenceState.EMPTY
        self.no_evidence += state == EvidenceState.NO_EVIDENCE
        self.flagged += is_flagged(item)
        self.changed += item.pk in changed


def whole(items: Iterable[ItemValue], changed: set[int]) -> Gaps:
    gaps = Gaps(label="")
    for item in items:
        gaps.add(item, changed)
    return gaps


def by_opd(items: Iterable[ItemValue], changed: set[int]) -> list[Gaps]:
    """One row per OPD that holds items (by name), the unassigned items last."""
    rows: dict[str, Gaps] = {}
    for item in items:
        if item.opd_id is None:
            key, label = UNASSIGNED, _("(belum ditugaskan)")
        else:
            assert item.opd is not None
            key, label = str(item.opd_id), item.opd.short_name or item.opd.name
        rows.setdefault(key, Gaps(label=label, key=key)).add(item, changed)
    assigned = sorted((row for row in rows.values() if row.key != UNASSIGNED), key=_by_label)
    return assigned + [row for row in rows.values() if row.key == UNASSIGNED]


def by_group(
    items: Iterable[ItemValue],
    groups: Mapping[str, str],
    group_of: Mapping[int, str],
    changed: set[int],
) -> list[Gaps]:
    """One row per group (smart dimension, or the tree's top level), in the framework's order.

    `groups` maps a group code to its name; `group_of` an indicator id to its group code.
    """
    rows = {code: Gaps(label=name, key=code) for code, name in groups.items()}
    for item in items:
        code = group_of.get(item.indicator_id)
        if code in rows:
            rows[code].add(item, changed)
    return list(rows.values())


def select(
    items: Iterable[ItemValue],
    *,
    state: str,
    group: str,
    group_of: Mapping[int, str],
    opd: str,
    changed: set[int],
) -> list[ItemValue]:
    """The items that pass every filter given (an unknown filter value filters nothing)."""
    shown = list(items)
    if group and group in group_of.values():
        shown = [item for item in shown if group_of.get(item.indicator_id) == group]
    if state in {member.value for member in Missing}:
        shown = [item for item in shown if matches(item, Missing(state), changed)]
    if opd == UNASSIGNED:
        shown = [item for item in shown if item.opd_id is None]
    elif opd.isdigit():
        shown = [item for item in shown if item.opd_id == int(opd)]
    return shown


def _by_label(row: Gaps) -> str:
    return row.label.casefold()


ChangedRule = Callable[[Iterable[ItemValue]], set[int]]
_changed_rule: list[ChangedRule] = []


def register_changed_rule(rule: ChangedRule) -> None:
    """Set the rule that says which items changed since the assessors' review.

    The rule lives in `reviews` (it compares an item with its clarification snapshot), an app
    that imports this one; `ReviewsConfig.ready` hands it over so the dependency runs one way.
    """
    _changed_rule[:] = [rule]


def changed_since_review(items: Iterable[ItemValue]) -> set[int]:
    """The ids of `items` changed since review; none while no review rule is installed."""
    return _changed_rule[0](items) if _changed_rule else set()
