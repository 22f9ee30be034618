"""Invitation links and e-mails.

An invited person gets an account with an unusable password and a one-time link to set one. The
link is a Django password-reset token under its own salt, so a reset token never works as an
invitation and the other way round. The token covers the password hash, so it stops working
once the password is set; re-sending replaces the unusable password with a new random one, which
retires every older link.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cityeval.accounts.models import User
from cityeval.core import mail


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


def send_invitation(user: User, *, site_url: str, invited_by: User) -> None:
    """E-mail the link in the invitee's language (the program's default when they have none)."""
    context: dict[str, mail.MailValue] = {
        "name": user.full_name or user.username,
        "username": user.username,
        "link": invitation_link(user, site_url=site_url),
        "inviter": str(invited_by),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = mail.render("accounts/email/invitation_subject.txt", context)
        body = mail.render("accounts/email/invitation_body.txt", context)
    send_mail(
        subject=mail.subject(subject),
        message=body,
        from_email=None,
        recipient_list=[user.email],
    )
