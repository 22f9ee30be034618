"""Deadline reminders: who gets them, and at most once a day however often cron runs."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cityeval.evaluations.models import ItemValue
from cityeval.evaluations.reminders import remind_deadlines
from cityeval.notifications.models import Notification, ReminderSent
from tests.world import World

pytestmark = pytest.mark.django_db

# The world's running cycle (2024 Tahap II) closes self-assessment in 30 days.
DAYS_LEFT = 30


def _reminded() -> set[str]:
    return set(
        Notification.objects.filter(kind="reminder").values_list("recipient__username", flat=True)
    )


def _fresh() -> None:
    Notification.objects.all().delete()
    mail.outbox.clear()


def test_people_with_empty_items_are_reminded(
    shared_world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _fresh()
    with django_capture_on_commit_callbacks(execute=True):
        sent = remind_deadlines(days=DAYS_LEFT)
    # Coordinators of both regions; the contributors of A's two OPDs that hold empty items
    # (and the person invited to Dinkes). B's contributor holds no item of the running cycle.
    assert _reminded() == {
        "coordinator_a",
        "coordinator_b",
        "contributor_a",
        "contributor_a2",
        "calon_a",
    }
    assert sent.people == 5
    assert sent.evaluations == 2
    contributor = Notification.objects.get(kind="reminder", recipient__username="contributor_a")
    assert contributor.params["count"] == 10  # Dinkes's items only
    assert f"opd={shared_world.health.pk}" in contributor.url
    body = next(m.body for m in mail.outbox if m.to == ["contributor_a@example.id"])
    assert "https://cityeval.example.id/evaluations/" in body


def test_a_second_run_on_the_same_day_sends_nothing(
    shared_world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _fresh()
    with django_capture_on_commit_callbacks(execute=True):
        remind_deadlines(days=DAYS_LEFT)
    first = (Notification.objects.count(), len(mail.outbox), ReminderSent.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        again = remind_deadlines(days=DAYS_LEFT)
    assert again.people == 0
    assert again.skipped == 5
    assert (Notification.objects.count(), len(mail.outbox), ReminderSent.objects.count()) == first
    # The next day they are reminded again.
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert remind_deadlines(days=DAYS_LEFT, today=tomorrow).people == 5


def test_a_far_deadline_or_a_finished_item_list_reminds_nobody(shared_world: World) -> None:
    _fresh()
    assert remind_deadlines(days=DAYS_LEFT - 1).people == 0
    ItemValue.objects.filter(evaluation__in=[shared_world.running, shared_world.running_b]).update(
        self_value=1
    )
    assert remind_deadlines(days=DAYS_LEFT).people == 0
    assert not _reminded()


def test_the_command_runs_the_service_and_refuses_negative_days(shared_world: World) -> None:
    _fresh()
    out = StringIO()
    call_command("remind_deadlines", "--days", str(DAYS_LEFT), stdout=out)
    assert "5" in out.getvalue()
    assert _reminded()
    with pytest.raises(Exception, match="negatif"):
        call_command("remind_deadlines", "--days", "-1")
