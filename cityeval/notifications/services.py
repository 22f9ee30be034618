"""The one way a person is told about an event: an in-app notification and its e-mail twin.

Notifications are written in the caller's transaction (a rolled-back change leaves none). Each
e-mail is a job (`cityeval.jobs`) queued in that transaction and sent by a worker after it
commits, once per notification; a mail server failure never undoes the change: the job is tried
again, then marked failed. Bodies are composed by `core/mail.py` from plain, neutralised values,
each with the absolute link (`SITE_URL`) to the page the event is about.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation

from cityeval.accounts.models import User
from cityeval.core import mail
from cityeval.jobs.models import Job
from cityeval.jobs.runner import enqueue, mark_done, send_once
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
    extra = dict(quoted or {})
    for notification in created:
        if notification.recipient.email:
            # Queued in the caller's transaction: no mail for a change that rolls back, and one
            # mail per notification however often the job runs (`send_notification_mail`).
            enqueue(
                kind="notification_mail",
                key=f"mail:notification:{notification.pk}",
                params={"notification": notification.pk, "quoted": extra},
            )
    return created


def send_notification_mail(job: Job) -> None:
    """The job that mails one notification to its recipient, in their language, once."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=job.params["notification"])
    ).first()
    if notification is None or not notification.recipient.email:
        mark_done(job)
        return
    user = notification.recipient
    quoted = {key: mail.Quoted(text) for key, text in job.params.get("quoted", {}).items()}
    # Each person reads mail in their own language (Indonesian unless they chose English).
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context: dict[str, mail.MailValue] = {
            **shown_params(notification.params),
            "name": str(user),
            "link": absolute_url(notification.url),
            **quoted,
        }
        subject = mail.subject(render_subject(notification.kind, notification.params))
        body = mail.render(f"notifications/{notification.kind}.txt", context)
    send_once(
        job,
        job.key,
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]),
    )


def mark_read(*, user: User, notification: Notification | None = None) -> int:
    """Mark one of the person's notifications (or all of them) read; returns how many changed."""
    unread = Notification.objects.of(user).unread()
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    return unread.update(read_at=timezone.now())
