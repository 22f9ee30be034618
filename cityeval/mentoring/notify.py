"""Telling the invited OPDs about a planned visit.

`notify_visit_invited(visit)` is the one hook for every channel: today it sends the e-mails
(after the plan's transaction commits); the in-app notification is wired in here too.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cityeval.core import mail
from cityeval.mentoring.models import Visit
from cityeval.mentoring.queries import expected_people

logger = logging.getLogger(__name__)


def notify_visit_invited(visit: Visit, *, site_url: str = "") -> None:
    """E-mail the invitees (the region's coordinators, the invited OPDs' contributors)."""
    link = site_url.rstrip("/") + reverse("mentoring:visit", args=[visit.pk])
    people = [row.user for row in expected_people(visit) if row.user.email]
    messages = []
    for user in people:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            context: dict[str, mail.MailValue] = {
                "name": str(user),
                "title": visit.title,
                "venue": visit.venue,
                "region": visit.evaluation.region.full_name,
                "cycle": str(visit.evaluation.cycle),
                "dates": _dates(visit),
                "agenda": [
                    f"{date_format(a.day, 'DATE_FORMAT')}: {a.get_kind_display()} — {a.title}"
                    for a in visit.agenda.all()
                ],
                "link": link,
            }
            subject = mail.subject(
                _("[cityeval] Undangan kunjungan evaluasi: %(title)s") % {"title": visit.title}
            )
            body = mail.render("notifications/visit_invited.txt", context)
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    try:
        send_mass_mail(messages, fail_silently=False)
    except OSError:
        logger.exception("could not send the invitations of visit %s", visit.pk)
        return
    Visit.objects.filter(pk=visit.pk).update(invitations_sent_at=timezone.now())


def _dates(visit: Visit) -> str:
    start = date_format(visit.starts_on, "DATE_FORMAT")
    if visit.ends_on == visit.starts_on:
        return start
    return f"{start} – {date_format(visit.ends_on, 'DATE_FORMAT')}"
