"""Who may see an evaluation's results and its assessors' verdicts: the one policy.

Every surface that carries a result (index, predicate, ranks, evaluation and smart dimension
indices, the report) or a verdict (verified values, the assessors' reasons, accept/adjust
entries of the audit log) asks this module; none filters "published" by hand. The test
`tests/security/test_result_visibility.py` walks the URL conf and holds every surface to it.

The rule (the one the scorecard, report and API already applied):
- a PUBLISHED evaluation's results and verdicts are open (the region reads why a value changed);
- before that (and again after a reopening) only the ministry side sees them: program admins,
  national viewers, and the assessors on the region's team in that cycle;
- the region's own members (coordinator, contributors, viewers) never see an unpublished result
  or verdict anywhere. They do see what they must answer: the clarification questions, and each
  item's review status (which items wait for them).

The audit log and the item history also follow the item scope of the item pages (`items_for`):
a contributor reads the entries of their OPD's items only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q

from cityeval.accounts.access import AnyUser, scope_of
from cityeval.audit.models import AuditEntry
from cityeval.evaluations.access import Can, capabilities, items_for
from cityeval.evaluations.models import (
    AssessorAssignment,
    Evaluation,
    EvaluationStatus,
    ItemValue,
    ReviewStatus,
)

# Verdict kinds (reviews.models.VerdictKind values; reviews sits above this app).
ACCEPT, ADJUST, FLAG, CLARIFY = "accept", "adjust", "flag", "clarify"
# Audit actions of verdicts ("item.review.<kind>"; the region's answer is its own) and of the
# assessors' report.
VERDICT, ANSWERED = "item.review.", "item.review.answered"
REPORT_ACTIONS = ("report.", "recommendation.", "results.")
FOLLOW_UP = "recommendation.follow_up"  # the region's own report on last cycle's advice
# Keys of audit before/after values that carry a result or a verified value.
RESULT_KEYS = frozenset(
    {"index", "predicate", "snapshot", "retired_snapshot", "missing_items", "verified_value"}
)
ITEM = "evaluations.itemvalue"
EVIDENCE = "evidence.evidence"


def sees_results(user: AnyUser, evaluation: Evaluation) -> bool:
    """Whether this person may see the evaluation's results and its verdicts now."""
    if evaluation.status == EvaluationStatus.PUBLISHED:
        return True
    if scope_of(user).reads_everything:
        return True
    return Can.REVIEW in capabilities(user, evaluation)


def results_visible(user: AnyUser, *, via: str = "") -> Q:
    """`sees_results` as a filter on evaluations (`via="evaluation__"` from a related model)."""
    published = Q(**{f"{via}status": EvaluationStatus.PUBLISHED})
    scope = scope_of(user)
    if scope.reads_everything:
        return Q()
    if not scope.assessor:
        return published
    team = AssessorAssignment.objects.filter(
        cycle_id=OuterRef(f"{via}cycle_id"), region_id=OuterRef(f"{via}region_id"), user=user.pk
    )
    return published | Q(Exists(team))


def verified_value_for(user: AnyUser, item: ItemValue, evaluation: Evaluation) -> Decimal | None:
    return item.verified_value if sees_results(user, evaluation) else None


def review_note_for(user: AnyUser, item: ItemValue, evaluation: Evaluation) -> str:
    """The assessors' note as this person may read it.

    A clarification question is for the region to answer, so the region reads it; the reason
    of an accepted or adjusted value is a verdict, read once the result is published.
    """
    if sees_results(user, evaluation):
        return item.review_note
    if item.review_status in (ReviewStatus.CLARIFICATION, ReviewStatus.ANSWERED):
        return item.review_note
    return ""


def verdict_kinds(user: AnyUser, evaluation: Evaluation) -> frozenset[str]:
    """Which kinds of an item's verdict history this person reads.

    A flag is the assessors' own note until the clarification request is sent: the team only.
    """
    if Can.REVIEW in capabilities(user, evaluation):
        return frozenset({ACCEPT, ADJUST, FLAG, CLARIFY})
    if sees_results(user, evaluation):
        return frozenset({ACCEPT, ADJUST, CLARIFY})
    return frozenset({CLARIFY})


def audit_entries(
    user: AnyUser, evaluation: Evaluation, *, item: ItemValue | None = None
) -> list[AuditEntry]:
    """The evaluation's audit entries (or one item's) this person reads, oldest first.

    Entries are never changed: a redacted entry is a copy that is not saved.
    """
    entries = AuditEntry.objects.select_related("actor")
    entries = entries.for_evaluation(evaluation.pk) if item is None else entries.for_target(item)
    found = list(entries.order_by("at", "id"))
    kinds = verdict_kinds(user, evaluation)
    results = sees_results(user, evaluation)
    found = [
        entry
        for entry in _in_item_scope(user, evaluation, found)
        if _readable(entry.action, kinds, results=results)
    ]
    return found if results else [_redacted(entry) for entry in found]


def _in_item_scope(
    user: AnyUser, evaluation: Evaluation, found: list[AuditEntry]
) -> list[AuditEntry]:
    """The entries about items (and their evidence) the person sees on the item pages."""
    items = {str(i.pk) for i in items_for(user, evaluation)}
    if len(items) == evaluation.items.count():
        return found
    evidence_ids = [e.target_id for e in found if e.target_type == EVIDENCE]
    evidence_items = _evidence_items(evidence_ids) if evidence_ids else {}
    kept = []
    for entry in found:
        if entry.target_type == ITEM and entry.target_id not in items:
            continue
        if entry.target_type == EVIDENCE and evidence_items.get(entry.target_id) not in items:
            continue
        kept.append(entry)
    return kept


def _evidence_items(ids: Iterable[str]) -> dict[str, str]:
    # Through the reverse relation of Evidence.item: evidence imports evaluations, not back.
    rows = ItemValue.objects.filter(evidence__pk__in=[int(pk) for pk in ids if pk.isdigit()])
    return {str(pk): str(item_id) for item_id, pk in rows.values_list("pk", "evidence__pk")}


def _readable(action: str, kinds: frozenset[str], *, results: bool) -> bool:
    if action.startswith(VERDICT):
        return action.removeprefix(VERDICT) in kinds or action == ANSWERED
    if action.startswith(REPORT_ACTIONS) and action != FOLLOW_UP:
        return results
    return True


def _redacted(entry: AuditEntry) -> AuditEntry:
    before = _without_results(entry.before)
    # The note an item had before a clarification may be an earlier verdict's reason.
    if entry.action.startswith("item.review.") and isinstance(before, dict):
        before.pop("review_note", None)
    after = _without_results(entry.after)
    if before == entry.before and after == entry.after:
        return entry
    return AuditEntry(
        pk=entry.pk,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        evaluation_id=entry.evaluation_id,
        region_id=entry.region_id,
        before=before,
        after=after,
        note=entry.note,
    )


def _without_results(values: Any) -> Any:
    if not isinstance(values, Mapping):
        return values
    return {key: value for key, value in values.items() if key not in RESULT_KEYS}
