"""In-app notifications: the twin of every e-mail, the unread count, the list, marking read."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cityeval.evaluations import notify as events
from cityeval.evaluations.services import assign_items
from cityeval.mentoring.models import AgendaKind
from cityeval.mentoring.services import AgendaEntry, VisitPlan, plan_visit
from cityeval.notifications.kinds import KINDS, render_text
from cityeval.notifications.models import Notification
from tests.world import World

pytestmark = pytest.mark.django_db
SITE = "https://cityeval.example.id"


def _fresh(w: World) -> None:
    Notification.objects.all().delete()
    mail.outbox.clear()


EVENTS: dict[str, Callable[[World], None]] = {
    "submitted": lambda w: events.notify_submitted(w.running),
    "clarification": lambda w: events.notify_clarification(
        w.running, ["A1"], "Mohon lengkapi.", date(2031, 1, 31)
    ),
    "answered": lambda w: events.notify_answered(w.running),
    "finalised": lambda w: events.notify_finalised(w.running),
    "published": lambda w: events.notify_published(w.running),
    "reopened": lambda w: events.notify_reopened(w.running, "Salah hitung."),
    "assigned": lambda w: events.notify_assigned(w.running, w.health, 3),
    "visit_invited": lambda w: _plan_a_visit(w),
}


def _plan_a_visit(w: World) -> None:
    day = date(2031, 2, 25)
    plan_visit(
        evaluation=w.reviewing,
        user=w.people["lead_a"],
        plan=VisitPlan(
            title="Pembahasan evaluasi",
            venue="Kantor bupati",
            starts_on=day,
            ends_on=day,
            agenda=[AgendaEntry(day, AgendaKind.DISCUSSION, "Pembahasan")],
            opds=None,
        ),
    )


def test_every_kind_has_an_event_under_test() -> None:
    assert set(EVENTS) | {"reminder"} == set(KINDS)


@pytest.mark.parametrize("kind", sorted(EVENTS))
def test_every_email_has_its_in_app_twin_and_an_absolute_link(
    shared_world: World, kind: str, django_capture_on_commit_callbacks: Any
) -> None:
    w = shared_world
    _fresh(w)
    with django_capture_on_commit_callbacks(execute=True):
        EVENTS[kind](w)
    notified = {n.recipient.email: n for n in Notification.objects.select_related("recipient")}
    mailed = {message.to[0]: message for message in mail.outbox}
    assert mailed, kind
    assert set(mailed) == set(notified)
    for address, message in mailed.items():
        notification = notified[address]
        assert notification.kind == kind
        assert notification.read_at is None
        assert notification.url.startswith("/")
        # The e-mail links to the very page the notification opens, under SITE_URL.
        assert f"{SITE}{notification.url}" in message.body, message.body
        assert notification.text
        assert "%(" not in notification.text


def test_the_text_is_rendered_in_the_readers_language_when_shown(shared_world: World) -> None:
    _fresh(shared_world)
    events.notify_clarification(shared_world.running, ["A1"], "Mohon.", date(2031, 1, 31))
    notification = Notification.objects.filter(kind="clarification").first()
    assert notification is not None
    assert notification.params["due"] == "2031-01-31"  # a value, not a frozen sentence
    with translation.override("id"):
        assert "31 Januari 2031" in notification.text
    with translation.override("en"):
        assert "31 January 2031" in notification.text


def test_assigning_items_notifies_the_contributors_of_that_opd_only(shared_world: World) -> None:
    w = shared_world
    _fresh(w)
    items = list(w.running.items.filter(opd__isnull=True)[:2])
    assign_items(evaluation=w.running, items=items, opd=w.health, user=w.people["coordinator_a"])
    recipients = set(
        Notification.objects.filter(kind="assigned").values_list("recipient__username", flat=True)
    )
    # Dinkes of A: its contributor and the person invited to it; not PUPR, not region B.
    assert recipients == {"contributor_a", "calon_a"}
    mine = Notification.objects.get(kind="assigned", recipient=w.people["contributor_a"])
    assert mine.params["count"] == 2


def test_the_top_bar_shows_the_unread_count_with_one_query(shared_world: World) -> None:
    w = shared_world
    _fresh(w)
    events.notify_finalised(w.running)  # coordinator A and the admin
    events.notify_published(w.running)  # coordinator A and A's assessors
    client = w.client("coordinator_a")
    client.get(reverse("profile"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("profile")).content.decode()
    counting = [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counting) == 1
    assert re.search(r'data-testid="unread-count"[^>]*>2<', page), page
    # Nothing unread: no badge at all.
    assert (
        'data-testid="unread-count"'
        not in w.client("viewer_b").get(reverse("home")).content.decode()
    )


def test_the_list_shows_only_the_persons_own_notifications(shared_world: World) -> None:
    w = shared_world
    _fresh(w)
    events.notify_reopened(w.running, "Salah hitung.")
    own = w.client("coordinator_a").get(reverse("notifications:list")).content.decode()
    assert own.count('data-testid="notification"') == 1
    assert w.region_a.full_name in own
    other = w.client("coordinator_b").get(reverse("notifications:list")).content.decode()
    assert 'data-testid="notification"' not in other


def test_marking_one_read_touches_only_ones_own(shared_world: World) -> None:
    w = shared_world
    _fresh(w)
    events.notify_reopened(w.running, "Salah hitung.")
    theirs = Notification.objects.get(recipient=w.people["coordinator_a"])
    url = reverse("notifications:read", args=[theirs.pk])
    # Another person's notification does not exist for them; a GET changes nothing.
    assert w.client("coordinator_b").post(url).status_code == 404
    assert w.client("lead_a").post(url).status_code == 404
    assert w.client("coordinator_a").get(url).status_code == 405
    assert w.client("anonymous").post(url).status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = w.client("coordinator_a").post(url, {"open": "1"})
    assert response.status_code == 302
    assert response["Location"] == theirs.url
    theirs.refresh_from_db()
    assert theirs.read_at is not None


def test_marking_all_read_leaves_other_peoples_unread(shared_world: World) -> None:
    w = shared_world
    _fresh(w)
    events.notify_reopened(w.running, "Salah hitung.")  # coordinator A and A's assessors
    response = w.client("coordinator_a").post(reverse("notifications:read_all"))
    assert response.status_code == 302
    unread = Notification.objects.unread().values_list("recipient__username", flat=True)
    assert sorted(unread) == ["lead_a", "member_a"]


def test_marking_read_needs_the_csrf_token(shared_world: World) -> None:
    w = shared_world
    _fresh(w)
    events.notify_reopened(w.running, "Salah hitung.")
    client = w.client("coordinator_a", enforce_csrf_checks=True)
    assert client.post(reverse("notifications:read_all")).status_code == 403
    assert Notification.objects.unread().filter(recipient=w.people["coordinator_a"]).exists()


def test_an_unknown_kind_is_refused_and_an_odd_row_still_renders() -> None:
    assert render_text("gone", {}) == "gone"
    assert render_text("submitted", {})  # parameters missing: a sentence, no error


def test_a_clarification_reaches_the_contributors_of_the_flagged_items_only(
    shared_world: World,
) -> None:
    w = shared_world
    _fresh(w)
    events.notify_clarification(w.running, ["A1"], "Mohon.", None, opd_ids=[w.roads.pk])
    recipients = set(
        Notification.objects.filter(kind="clarification").values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {"coordinator_a", "contributor_a2"}


def test_a_visit_invitation_shows_agenda_days_in_the_reader_date_format(
    shared_world: World, django_capture_on_commit_callbacks: Any
) -> None:
    w = shared_world
    _fresh(w)
    with django_capture_on_commit_callbacks(execute=True):
        _plan_a_visit(w)
    body = mail.outbox[0].body
    assert "25 Februari 2031: " in body, body
    assert "2031-02-25" not in body
