"""E-mail notifications of workflow events.

Mail is sent after the transaction commits (a rolled-back change must not announce itself) and a
mail server failure never undoes the change: it is logged instead. The backend is Django's
(console by default, SMTP by settings). Bodies are composed by `core/mail.py` from plain,
neutralised values.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from cityeval.accounts.models import Role, User
from cityeval.core import mail
from cityeval.evaluations.models import Evaluation

logger = logging.getLogger(__name__)


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


def notify_submitted(evaluation: Evaluation) -> None:
    _send(evaluation, "submitted", assessors_of(evaluation) + program_admins())


def notify_clarification(evaluation: Evaluation, item_codes: Iterable[str], message: str) -> None:
    _send(
        evaluation,
        "clarification",
        coordinators_of(evaluation),
        {"item_codes": list(item_codes), "message": mail.Quoted(message)},
    )


def notify_answered(evaluation: Evaluation) -> None:
    _send(evaluation, "answered", assessors_of(evaluation))


def notify_finalised(evaluation: Evaluation) -> None:
    _send(evaluation, "finalised", coordinators_of(evaluation) + program_admins())


def notify_reopened(evaluation: Evaluation, reason: str) -> None:
    _send(
        evaluation,
        "reopened",
        coordinators_of(evaluation) + assessors_of(evaluation),
        {"reason": mail.Quoted(reason)},
    )


def notify_published(evaluation: Evaluation) -> None:
    _send(evaluation, "published", coordinators_of(evaluation) + assessors_of(evaluation))


SUBJECTS = {
    "submitted": _("[cityeval] Penilaian mandiri %(region)s diserahkan"),
    "clarification": _("[cityeval] Permintaan klarifikasi untuk %(region)s"),
    "answered": _("[cityeval] %(region)s menjawab klarifikasi"),
    "finalised": _("[cityeval] Hasil evaluasi %(region)s telah difinalkan"),
    "published": _("[cityeval] Hasil evaluasi %(region)s dipublikasikan"),
    "reopened": _("[cityeval] Evaluasi %(region)s dibuka kembali"),
}


def _send(
    evaluation: Evaluation,
    event: str,
    recipients: list[User],
    extra: dict[str, mail.MailValue] | None = None,
) -> None:
    unique = {user.pk: user for user in recipients if user.email}
    if not unique:
        return

    def deliver() -> None:
        messages = []
        for user in unique.values():
            # Each person reads mail in their own language (Indonesian unless they chose English).
            with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
                context: dict[str, mail.MailValue] = {
                    "name": str(user),
                    "region": evaluation.region.full_name,
                    "cycle": str(evaluation.cycle),
                    **(extra or {}),
                }
                subject = mail.subject(str(SUBJECTS[event]) % {"region": context["region"]})
                body = mail.render(f"notifications/{event}.txt", context)
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
        try:
            send_mass_mail(messages, fail_silently=False)
        except OSError:
            logger.exception("could not send %s mail for evaluation %s", event, evaluation.pk)

    transaction.on_commit(deliver)


def _active(users: Iterable[User]) -> list[User]:
    return [user for user in users if user.is_active]
