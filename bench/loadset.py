"""The data set of the load benchmark and the check that nothing the server accepted was lost.

Runs inside the benchmark's own process with Django set up (bench/load.py). The demonstration
data set (`manage.py demo`) gives 100 program regions and a running cycle with evaluations in
every state; on top of it this module creates the load's own people, idempotently:

- contributors `load.kontributor.NN`, two or three per (region, OPD) pair of the evaluations
  still in self-assessment, so that several people save the same items (conflicts happen);
- assessors `load.asesor.NN`, assigned in pairs or threes to the evaluations in document review
  or field visit.

All load users share one password hash (computed once: Argon2 is slow on purpose).
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection

PASSWORD = "beban-uji-kota-cerdas-2026"  # noqa: S105 - throw-away load users only
LOAD_PREFIX = "load."
CURRENT_YEAR = 2020  # the demonstration's running cycle


@dataclass(frozen=True)
class Item:
    pk: int
    evaluation_pk: int
    levels: tuple[str, ...]
    self_value: str | None  # as the page shows it, e.g. "3"


@dataclass(frozen=True)
class Person:
    username: str
    items: tuple[Item, ...]


@dataclass
class LoadSet:
    contributors: list[Person]
    assessors: list[Person]
    scorecards: list[int]  # published evaluations
    cycles: list[int]  # cycles with open data
    # item pk → (version, accepted as claimed) when the run starts
    initial: dict[int, tuple[int, bool]] = field(default_factory=dict)
    audit_watermark: int = 0


@dataclass(frozen=True)
class Write:
    """One write the server answered with a redirect (accepted)."""

    kind: str  # "self", "accept" or "adjust"
    username: str
    item_pk: int
    version_sent: int
    value: str
    text: str  # the narrative or the adjustment reason: a token unique to this write


ACTIONS = {
    "self": "item.self_assessment",
    "accept": "item.review.accept",
    "adjust": "item.review.adjust",
}


def database_label() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite (file {settings['NAME']})"
    return f"{connection.vendor} {settings.get('HOST') or ''}:{settings.get('PORT') or ''}"


def ensure_demo() -> None:
    call_command("migrate", verbosity=0)
    call_command("demo", if_empty=True, verbosity=0)


def build(*, contributors: int, assessors: int) -> LoadSet:
    from cityeval.evaluations.models import EvaluationStatus

    password = make_password(PASSWORD)
    return LoadSet(
        contributors=_contributors(contributors, password, EvaluationStatus.SELF_ASSESSMENT),
        assessors=_assessors(assessors, password),
        scorecards=_published_evaluations(),
        cycles=_cycles(),
    )


def _user(username: str, password: str, full_name: str) -> Any:
    from cityeval.accounts.models import User

    user, _created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "password": password}
    )
    if user.password != password:
        user.password = password
        user.save(update_fields=["password"])
    return user


def _maturity_items(evaluation_pks: list[int], **filters: Any) -> list[Any]:
    from cityeval.evaluations.models import ItemValue

    return list(
        ItemValue.objects.filter(
            evaluation_id__in=evaluation_pks, indicator__kind="maturity", **filters
        )
        .exclude(indicator__data_source="programs")
        .select_related("indicator")
        .order_by("pk")
    )


def _item(item: Any) -> Item:
    levels = tuple(sorted((str(int(level)) for level in item.indicator.levels), key=int))
    claimed = None if item.self_value is None else str(int(item.self_value))
    return Item(item.pk, item.evaluation_id, levels, claimed)


def _contributors(count: int, password: str, status: str) -> list[Person]:
    from cityeval.accounts.models import Role, RoleGrant
    from cityeval.evaluations.models import Evaluation

    evaluations = list(
        Evaluation.objects.filter(cycle__year=CURRENT_YEAR, status=status).order_by("pk")[:8]
    )
    by_pair: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for item in _maturity_items([e.pk for e in evaluations], opd__isnull=False):
        by_pair[(item.evaluation_id, item.opd_id)].append(item)
    region_of = {e.pk: e.region_id for e in evaluations}
    # Pairs with the most items first; about three people per pair.
    pairs = sorted(by_pair, key=lambda pair: -len(by_pair[pair]))[: max(1, count // 3 + 1)]
    people = []
    for n, (evaluation_pk, opd_pk) in zip(range(count), itertools.cycle(pairs), strict=False):
        username = f"{LOAD_PREFIX}kontributor.{n:02d}"
        user = _user(username, password, f"Kontributor uji beban {n}")
        RoleGrant.objects.get_or_create(
            user=user, role=Role.CONTRIBUTOR, region_id=region_of[evaluation_pk], opd_id=opd_pk
        )
        items = tuple(_item(item) for item in by_pair[(evaluation_pk, opd_pk)])
        people.append(Person(username, items))
    return people


def _assessors(count: int, password: str) -> list[Person]:
    from cityeval.accounts.models import Role, RoleGrant
    from cityeval.evaluations.models import (
        AssessorAssignment,
        Evaluation,
        EvaluationStatus,
        ReviewStatus,
    )

    evaluations = list(
        Evaluation.objects.filter(
            cycle__year=CURRENT_YEAR,
            status__in=[EvaluationStatus.DOCUMENT_REVIEW, EvaluationStatus.FIELD_VISIT],
        ).order_by("pk")[: max(1, count // 2)]
    )
    items = _maturity_items(
        [e.pk for e in evaluations], self_value__isnull=False
    )  # accept needs a claimed value
    by_evaluation: dict[int, list[Any]] = defaultdict(list)
    for item in items:
        if item.review_status != ReviewStatus.CLARIFICATION:  # waiting for the region
            by_evaluation[item.evaluation_id].append(item)
    people = []
    for n, evaluation in zip(range(count), itertools.cycle(evaluations), strict=False):
        username = f"{LOAD_PREFIX}asesor.{n:02d}"
        user = _user(username, password, f"Asesor uji beban {n}")
        RoleGrant.objects.get_or_create(user=user, role=Role.ASSESSOR, region=None, opd=None)
        AssessorAssignment.objects.get_or_create(
            cycle_id=evaluation.cycle_id, region_id=evaluation.region_id, user=user
        )
        people.append(Person(username, tuple(_item(i) for i in by_evaluation[evaluation.pk])))
    return people


def _published_evaluations() -> list[int]:
    from cityeval.evaluations.models import Evaluation, EvaluationStatus

    return list(
        Evaluation.objects.filter(status=EvaluationStatus.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)[:60]
    )


def _cycles() -> list[int]:
    """Cycles with published results: the public's open data (others answer 404)."""
    from cityeval.evaluations.models import Cycle, EvaluationStatus

    return list(
        Cycle.objects.filter(evaluations__status=EvaluationStatus.PUBLISHED)
        .distinct()
        .order_by("year")
        .values_list("pk", flat=True)
    )


def snapshot_state(load: LoadSet) -> None:
    """Remember each item's version and the audit log's end before the run."""
    from cityeval.audit.models import AuditEntry
    from cityeval.evaluations.models import ItemValue, ReviewStatus

    pks = {item.pk for person in load.contributors + load.assessors for item in person.items}
    load.initial = {
        pk: (version, status == ReviewStatus.ACCEPTED and verified == claimed)
        for pk, version, status, verified, claimed in ItemValue.objects.filter(
            pk__in=pks
        ).values_list("pk", "version", "review_status", "verified_value", "self_value")
    }
    load.audit_watermark = (
        AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    )


@dataclass
class Verification:
    writes: int = 0
    lost: list[str] = field(default_factory=list)  # accepted writes without their audit entry
    unexpected: list[str] = field(default_factory=list)  # audit entries nobody was told about
    wrong_final: list[str] = field(default_factory=list)  # items whose final row disagrees

    @property
    def ok(self) -> bool:
        return not (self.lost or self.unexpected or self.wrong_final)


def verify(load: LoadSet, writes: list[Write]) -> Verification:
    """Every accepted write has its audit entry with the value sent; every item's final row is
    the last accepted write, at the version it started from plus the writes it accepted."""
    from cityeval.audit.models import AuditEntry
    from cityeval.evaluations.models import ItemValue, ReviewStatus

    result = Verification(writes=len(writes))
    entries = list(
        AuditEntry.objects.filter(
            pk__gt=load.audit_watermark,
            action__in=ACTIONS.values(),
            actor__username__startswith=LOAD_PREFIX,
        ).values_list("action", "target_id", "actor__username", "after")
    )
    unmatched: Counter[tuple[str, str, str, str]] = Counter()
    for action, target, username, after in entries:
        unmatched[(action, target, username, _entry_text(action, after))] += 1
        if action != ACTIONS["accept"] and not _entry_value_ok(action, after):
            result.unexpected.append(f"{action} on item {target}: malformed {after}")
    for write in writes:
        key = (ACTIONS[write.kind], str(write.item_pk), write.username, _write_text(write))
        if unmatched[key] > 0:
            unmatched[key] -= 1
        else:
            result.lost.append(f"{write.kind} by {write.username} on item {write.item_pk}")
    result.unexpected += [f"{key} ×{n}" for key, n in unmatched.items() if n > 0]

    last: dict[int, Write] = {}
    accepted: Counter[int] = Counter()
    for write in writes:
        accepted[write.item_pk] += 1
        if write.item_pk not in last or write.version_sent > last[write.item_pk].version_sent:
            last[write.item_pk] = write
    rows = ItemValue.objects.in_bulk(list(last))
    for pk, write in last.items():
        row = rows[pk]
        expected_version = load.initial[pk][0] + accepted[pk]
        problems = []
        if row.version != expected_version:
            problems.append(f"version {row.version}, expected {expected_version}")
        if write.kind == "self" and (
            row.narrative != write.text or row.self_value != Decimal(write.value)
        ):
            problems.append(f"self {row.self_value}/{row.narrative!r}, last sent {write}")
        if write.kind == "adjust" and (
            row.review_note != write.text or row.verified_value != Decimal(write.value)
        ):
            problems.append(f"verified {row.verified_value}/{row.review_note!r}, sent {write}")
        if write.kind == "accept" and (
            row.review_status != ReviewStatus.ACCEPTED or row.verified_value != row.self_value
        ):
            problems.append(f"status {row.review_status}, verified {row.verified_value}")
        if problems:
            result.wrong_final.append(f"item {pk}: " + "; ".join(problems))
    return result


def _write_text(write: Write) -> str:
    if write.kind == "accept":
        return ""
    return f"{write.text}|{Decimal(write.value).normalize()}"


def _entry_text(action: str, after: Any) -> str:
    if action == ACTIONS["accept"]:
        return ""
    text_key, value_key = (
        ("narrative", "self_value")
        if action == ACTIONS["self"]
        else ("review_note", "verified_value")
    )
    try:
        return f"{after[text_key]}|{Decimal(after[value_key]).normalize()}"
    except (KeyError, TypeError, ArithmeticError):
        return f"malformed {after}"


def _entry_value_ok(action: str, after: Any) -> bool:
    return not _entry_text(action, after).startswith("malformed")
