"""Telling the invited OPDs about a planned visit.

`notify_visit_invited(visit)` is the one hook: it goes through `notifications.services.notify`
like every other event, so each invitee gets the in-app notification and its e-mail twin (sent
after the plan's transaction commits, with the absolute `SITE_URL` link to the visit).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from cityeval.mentoring.models import Visit
from cityeval.mentoring.queries import expected_people
from cityeval.notifications.services import notify


def notify_visit_invited(visit: Visit) -> None:
    """Notify the invitees (the region's coordinators, the invited OPDs' contributors)."""
    notify(
        kind="visit_invited",
        recipients=[row.user for row in expected_people(visit)],
        params={
            "title": visit.title,
            "venue": visit.venue,
            "region": visit.evaluation.region.full_name,
            "cycle": str(visit.evaluation.cycle),
            "starts": visit.starts_on.isoformat(),
            "ends": visit.ends_on.isoformat(),
            # Each line starts with its ISO day, shown in the reader's date format (DATED_LINES).
            "agenda": [
                f"{a.day.isoformat()}: {a.get_kind_display()} — {a.title}"
                for a in visit.agenda.all()
            ],
        },
        url=reverse("mentoring:visit", args=[visit.pk]),
    )
    Visit.objects.filter(pk=visit.pk).update(invitations_sent_at=timezone.now())
