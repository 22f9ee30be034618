"""Workflow events and who hears of them: each goes through `notifications.notify`, which writes
the in-app notification and sends its e-mail twin (with an absolute link) after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.urls import reverse

from cityeval.accounts.models import Role, User
from cityeval.evaluations.models import Evaluation
from cityeval.notifications.services import notify
from cityeval.regions.models import OPD


def coordinators_of(evaluation: Evaluation) -> list[User]:
    return _active(
        User.objects.filter(
            grants__role=Role.COORDINATOR, grants__region_id=evaluation.region_id
        ).distinct()
    )


def assessors_of(evaluation: Evaluation) -> list[User]:
    return _active(
        User.objects.filter(
            assessor_assignments__cycle_id=evaluation.cycle_id,
            assessor_assignments__region_id=evaluation.region_id,
        ).distinct()
    )


def program_admins() -> list[User]:
    return _active(User.objects.filter(grants__role=Role.PROGRAM_ADMIN).distinct())


def contributors_of(opd: OPD) -> list[User]:
    return _active(User.objects.filter(grants__role=Role.CONTRIBUTOR, grants__opd=opd).distinct())


def notify_submitted(evaluation: Evaluation) -> None:
    _send(evaluation, "submitted", assessors_of(evaluation) + program_admins())


def notify_clarification(
    evaluation: Evaluation,
    item_codes: Iterable[str],
    message: str,
    due: date | None = None,
    *,
    opd_ids: Iterable[int] = (),
) -> None:
    """The coordinators, and the contributors of the OPDs that hold the flagged items."""
    codes = list(item_codes)
    contributors = _active(
        User.objects.filter(grants__role=Role.CONTRIBUTOR, grants__opd_id__in=list(opd_ids))
        .exclude(pk__in=[user.pk for user in coordinators_of(evaluation)])
        .distinct()
    )
    _send(
        evaluation,
        "clarification",
        coordinators_of(evaluation) + contributors,
        {"item_codes": codes, "count": len(codes), "due": due.isoformat() if due else ""},
        url=reverse("evaluations:items", args=[evaluation.pk]) + "?state=flagged",
        quoted={"message": message},
    )


def notify_answered(evaluation: Evaluation) -> None:
    _send(evaluation, "answered", assessors_of(evaluation), url=_review(evaluation))


def notify_finalised(evaluation: Evaluation) -> None:
    _send(evaluation, "finalised", coordinators_of(evaluation) + program_admins())


def notify_reopened(evaluation: Evaluation, reason: str) -> None:
    _send(
        evaluation,
        "reopened",
        coordinators_of(evaluation) + assessors_of(evaluation),
        quoted={"reason": reason},
    )


def notify_published(evaluation: Evaluation) -> None:
    _send(evaluation, "published", coordinators_of(evaluation) + assessors_of(evaluation))


def notify_assigned(evaluation: Evaluation, opd: OPD, count: int) -> None:
    """The OPD's contributors learn that items of the evaluation were given to their office."""
    _send(
        evaluation,
        "assigned",
        contributors_of(opd),
        {"opd": opd.short_name or opd.name, "count": count},
        url=reverse("evaluations:items", args=[evaluation.pk]) + f"?opd={opd.pk}",
    )


def _review(evaluation: Evaluation) -> str:
    return reverse("reviews:workspace", args=[evaluation.pk])


def _send(
    evaluation: Evaluation,
    kind: str,
    recipients: list[User],
    params: dict[str, str | int | list[str]] | None = None,
    *,
    url: str = "",
    quoted: dict[str, str] | None = None,
) -> None:
    notify(
        kind=kind,
        recipients=recipients,
        params={
            "region": evaluation.region.full_name,
            "cycle": str(evaluation.cycle),
            **(params or {}),
        },
        url=url or reverse("evaluations:overview", args=[evaluation.pk]),
        quoted=quoted,
    )


def _active(users: Iterable[User]) -> list[User]:
    return [user for user in users if user.is_active]
