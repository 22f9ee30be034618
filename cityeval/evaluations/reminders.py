"""Deadline reminders: the people with unfinished items hear of the self-assessment deadline.

Run daily by every job worker (`CITYEVAL_JOB_SCHEDULE`, `CITYEVAL_REMINDER_DAYS`), or by hand or
cron (`cityeval remind_deadlines --days N`, docs/operations.md). An evaluation still in
self-assessment whose entry deadline falls within the next N days (today included) reminds its
coordinators (of every empty item) and the contributors of each OPD that still holds empty items.
A person is reminded in at most one run a day (`ReminderSent`, unique per person and day), so a
second run on the same day, or a cron that fires twice, sends nothing new.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.evaluations.models import Evaluation, EvaluationStatus, ItemValue
from cityeval.jobs.models import Job
from cityeval.notifications.models import ReminderSent
from cityeval.notifications.services import notify


@dataclass(frozen=True)
class RemindersSent:
    evaluations: int  # evaluations with a deadline in the window and empty items
    people: int  # people reminded in this run
    skipped: int  # people already reminded today


@dataclass(frozen=True)
class _Reminder:
    evaluation: Evaluation
    count: int
    opd_id: int | None  # None: the coordinator's reminder (all empty items)


@transaction.atomic
def remind_deadlines(*, days: int, today: date | None = None) -> RemindersSent:
    if days < 0:
        raise ValueError("days must not be negative")
    today = today or timezone.localdate()
    due = _due_evaluations(today, today + timedelta(days=days))
    empty = _empty_counts(due)
    wanted: dict[int, list[_Reminder]] = defaultdict(list)
    people: dict[int, User] = {}
    grants = RoleGrant.objects.filter(
        Q(role=Role.COORDINATOR) | Q(role=Role.CONTRIBUTOR),
        region_id__in={e.region_id for e in due.values()},
        user__is_active=True,
    ).select_related("user")
    for grant in grants:
        for evaluation in due.values():
            if evaluation.region_id != grant.region_id:
                continue
            per_opd = empty.get(evaluation.pk, {})
            if grant.role == Role.COORDINATOR:
                count, opd = sum(per_opd.values()), None
            else:
                count, opd = per_opd.get(grant.opd_id, 0), grant.opd_id
            if count:
                people[grant.user_id] = grant.user
                wanted[grant.user_id].append(_Reminder(evaluation, count, opd))
    already = set(
        ReminderSent.objects.filter(sent_on=today, recipient_id__in=people).values_list(
            "recipient_id", flat=True
        )
    )
    reminded = 0
    for user_id, reminders in wanted.items():
        if user_id in already or not _claim(user_id, today):
            continue
        reminded += 1
        for reminder in reminders:
            _send(people[user_id], reminder)
    return RemindersSent(
        evaluations=len({e for e, counts in empty.items() if counts}),
        people=reminded,
        skipped=len(wanted) - reminded,
    )


def _due_evaluations(first: date, last: date) -> dict[int, Evaluation]:
    running = (
        Evaluation.objects.with_region()
        .filter(status=EvaluationStatus.SELF_ASSESSMENT)
        .filter(
            Q(entry_deadline_override__range=(first, last))
            | Q(
                entry_deadline_override__isnull=True,
                cycle__self_assessment_deadline__range=(first, last),
            )
        )
    )
    return {evaluation.pk: evaluation for evaluation in running}


def _empty_counts(due: dict[int, Evaluation]) -> dict[int, dict[int | None, int]]:
    """Per evaluation, the number of empty items per OPD (None: not assigned)."""
    counts: dict[int, dict[int | None, int]] = defaultdict(dict)
    rows = (
        ItemValue.objects.filter(evaluation_id__in=due, self_value__isnull=True)
        .values("evaluation_id", "opd_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["evaluation_id"]][row["opd_id"]] = row["n"]
    return counts


def _claim(user_id: int, today: date) -> bool:
    """Record today's reminder; False if a concurrent run recorded it first."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(recipient_id=user_id, sent_on=today)
    except IntegrityError:
        return False
    return True


def _send(user: User, reminder: _Reminder) -> None:
    evaluation = reminder.evaluation
    url = reverse("evaluations:items", args=[evaluation.pk]) + "?state=empty"
    if reminder.opd_id is not None:
        url += f"&opd={reminder.opd_id}"
    deadline = evaluation.entry_deadline
    notify(
        kind="reminder",
        recipients=[user],
        params={
            "region": evaluation.region.full_name,
            "cycle": str(evaluation.cycle),
            "count": reminder.count,
            "deadline": deadline.isoformat() if deadline else "",
        },
        url=url,
    )


def remind_job(job: Job) -> None:
    """The daily scheduled job (`CITYEVAL_JOB_SCHEDULE`): the same reminders as the command."""
    remind_deadlines(days=int(job.params.get("days", settings.CITYEVAL_REMINDER_DAYS)))
