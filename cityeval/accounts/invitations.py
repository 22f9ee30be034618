"""Invitation links, and the e-mails that carry a link to set a password (invitation, reset).

An invited person gets an account with an unusable password and a one-time link to set one. The
link is a Django password-reset token under its own salt, so a reset token never works as an
invitation and the other way round. The token covers the password hash, so it stops working
once the password is set; re-sending replaces the unusable password with a new random one, which
retires every older link.

Both e-mails are jobs (`cityeval.jobs`): queued in the request's transaction, sent by a worker
after it commits, once per key (`send_once`), so a request never waits on the mail server and a
job run again after its worker died does not send twice. The job stores no token: it makes the
link when it sends, and only while the account is in the state the request saw (`_state`: a
digest of the password marker). A re-sent invitation or a password set in the meantime makes
the older job send nothing, so no link goes out for a state that has passed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cityeval.accounts.models import User
from cityeval.core import mail
from cityeval.jobs.models import Job
from cityeval.jobs.runner import enqueue, mark_done, send_once


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "cityeval.accounts.invitations.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


def invitation_link(user: User, *, site_url: str) -> str:
    path = reverse(
        "invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )
    return site_url.rstrip("/") + path


def _state(user: User) -> str:
    """A digest of the account's password marker: it changes when an invitation is sent again
    or a password is set, which is when a queued link must no longer go out."""
    return salted_hmac("cityeval.accounts.invitations.state", user.password).hexdigest()[:32]


def _still(job: Job) -> User | None:
    """The job's person if their account is still as the request left it, else None."""
    user = User.objects.filter(pk=job.params["user"], is_active=True).first()
    if user is None or not user.email or _state(user) != job.params["state"]:
        return None
    return user


def send_invitation(user: User, *, site_url: str, invited_by: User) -> None:
    """Queue the invitation e-mail (sent after the caller's transaction commits)."""
    state = _state(user)
    enqueue(
        kind="invitation_mail",
        key=f"mail:invitation:{user.pk}:{state}",
        params={"user": user.pk, "state": state, "site_url": site_url, "inviter": invited_by.pk},
    )


def invitation_job(user: User) -> Job | None:
    """The latest invitation e-mail of a person still invited (its state for the person page)."""
    if not user.invitation_pending:
        return None
    jobs = Job.objects.filter(kind="invitation_mail", key__startswith=f"mail:invitation:{user.pk}:")
    return jobs.order_by("-created_at", "-pk").first()


def send_invitation_mail(job: Job) -> None:
    """The job: e-mail the link in the invitee's language (the program's default without one)."""
    user = _still(job)
    if user is None or not user.invitation_pending:
        mark_done(job)  # sent again since, accepted, or deactivated: this link is not wanted
        return
    inviter = User.objects.filter(pk=job.params["inviter"]).first()
    context: dict[str, mail.MailValue] = {
        "name": user.full_name or user.username,
        "username": user.username,
        "link": invitation_link(user, site_url=job.params["site_url"]),
        "inviter": str(inviter or ""),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = mail.render("accounts/email/invitation_subject.txt", context)
        body = mail.render("accounts/email/invitation_body.txt", context)
    send_once(
        job,
        job.key,
        lambda: send_mail(
            subject=mail.subject(subject),
            message=body,
            from_email=None,
            recipient_list=[user.email],
        ),
    )


def queue_password_reset(user: User, *, protocol: str, domain: str) -> None:
    """Queue a password reset e-mail (one per request: a second request sends a second mail)."""
    enqueue(
        kind="password_reset_mail",
        key=f"mail:password-reset:{user.pk}:{uuid.uuid4().hex}",
        params={
            "user": user.pk,
            "state": _state(user),
            "protocol": protocol,
            "domain": domain,
            "language": translation.get_language() or settings.LANGUAGE_CODE,
        },
    )


def send_password_reset_mail(job: Job) -> None:
    """The job: the reset e-mail, its link made now."""
    user = _still(job)
    if user is None:
        mark_done(job)  # the password changed since the request: that link is not wanted
        return
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context: dict[str, mail.MailValue] = {
        "email": user.email,
        "username": user.get_username(),
        "link": f"{job.params['protocol']}://{job.params['domain']}{path}",
    }
    with translation.override(job.params["language"]):
        subject = mail.render("accounts/email/password_reset_subject.txt", context)
        body = mail.render("accounts/email/password_reset_body.txt", context)
    send_once(
        job,
        job.key,
        lambda: send_mail(
            subject=mail.subject(subject),
            message=body,
            from_email=None,
            recipient_list=[user.email],
        ),
    )
