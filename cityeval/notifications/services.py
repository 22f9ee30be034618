"""The one way a person is told about an event: an in-app notification and its e-mail twin.

Notifications are written in the caller's transaction (a rolled-back change leaves none). Mail is
sent after the transaction commits, and a mail server failure never undoes the change: it is
logged instead. Bodies are composed by `core/mail.py` from plain, neutralised values, each with
the absolute link (`SITE_URL`) to the page the event is about.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone, translation

from cityeval.accounts.models import User
from cityeval.core import mail
from cityeval.notifications.kinds import KINDS, Param, render_subject, shown_params
from cityeval.notifications.models import Notification

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    params: Mapping[str, Param],
    url: str,
    quoted: Mapping[str, str] | None = None,
) -> list[Notification]:
    """Notify each active recipient once in the app and, if they have an address, by e-mail.

    `quoted` carries text written by a person (a message, a reason): mail prints it as a quoted
    block; the in-app line does not repeat it (the linked page shows it).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    people = {user.pk: user for user in recipients if user.is_active}
    created = Notification.objects.bulk_create(
        [
            Notification(recipient=user, kind=kind, params=dict(params), url=url)
            for user in people.values()
        ]
    )
    mailable = [user for user in people.values() if user.email]
    if mailable:
        extra = {key: mail.Quoted(text) for key, text in (quoted or {}).items()}
        link = absolute_url(url)
        transaction.on_commit(lambda: _deliver(kind, mailable, params, link, extra))
    return created


def _deliver(
    kind: str,
    people: list[User],
    params: Mapping[str, Param],
    link: str,
    extra: Mapping[str, mail.Quoted],
) -> None:
    messages = []
    for user in people:
        # Each person reads mail in their own language (Indonesian unless they chose English).
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            context: dict[str, mail.MailValue] = {
                **shown_params(params),
                "name": str(user),
                "link": link,
                **extra,
            }
            subject = mail.subject(render_subject(kind, params))
            body = mail.render(f"notifications/{kind}.txt", context)
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    try:
        send_mass_mail(messages, fail_silently=False)
    except OSError:
        logger.exception("could not send %s mail to %d people", kind, len(messages))


def mark_read(*, user: User, notification: Notification | None = None) -> int:
    """Mark one of the person's notifications (or all of them) read; returns how many changed."""
    unread = Notification.objects.of(user).unread()
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    return unread.update(read_at=timezone.now())
