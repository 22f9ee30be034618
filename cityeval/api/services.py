"""Creating and revoking personal access tokens; both are audited."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cityeval.accounts.access import Actor
from cityeval.accounts.models import User
from cityeval.api.models import PersonalAccessToken, TokenScope
from cityeval.api.tokens import new_token
from cityeval.audit.log import audited


class TokenError(Exception):
    """A token request the rules refuse; the message is shown to the person as it is."""


@transaction.atomic
def create_token(
    *, user: Actor, name: str, scope: TokenScope, expires_at: datetime | None
) -> tuple[PersonalAccessToken, str]:
    """A new token and its plaintext, which the caller shows once and never keeps."""
    name = name.strip()
    if not name:
        raise TokenError(_("Beri nama token agar Anda mengenalinya nanti."))
    if expires_at is not None and expires_at <= timezone.now():
        raise TokenError(_("Tanggal berlaku harus di masa depan."))
    # Locking the owner's row makes two simultaneous requests count one after the other.
    User.objects.select_for_update().filter(pk=user.pk).first()
    cap = settings.API_MAX_TOKENS_PER_PERSON
    if PersonalAccessToken.objects.filter(user=user).active().count() >= cap:
        raise TokenError(token_cap_message(cap))
    made = new_token()
    while PersonalAccessToken.objects.filter(prefix=made.prefix).exists():
        made = new_token()  # 64^8 prefixes: a clash is rare, but the column is unique
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        prefix=made.prefix,
        secret_hash=made.secret_hash,
        expires_at=expires_at,
    )
    audited(
        actor=user,
        action="api_token.create",
        target=token,
        after={"name": name, "scope": scope, "prefix": made.prefix, "expires_at": expires_at},
    )
    return token, made.plaintext


def token_cap_message(cap: int) -> str:
    return ngettext(
        "Anda sudah memegang %(count)d token aktif, batas per orang. Cabut token yang tidak "
        "dipakai lagi sebelum membuat yang baru.",
        "Anda sudah memegang %(count)d token aktif, batas per orang. Cabut token yang tidak "
        "dipakai lagi sebelum membuat yang baru.",
        cap,
    ) % {"count": cap}


@transaction.atomic
def revoke_token(*, token: PersonalAccessToken, user: Actor) -> PersonalAccessToken:
    """Revoke one of the person's own tokens; someone else's is refused (PermissionDenied)."""
    locked = PersonalAccessToken.objects.select_for_update(of=("self",)).get(pk=token.pk)
    if locked.user_id != user.pk:
        raise PermissionDenied
    if locked.revoked_at is not None:
        raise TokenError(_("Token ini sudah dicabut."))
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audited(
        actor=user,
        action="api_token.revoke",
        target=locked,
        before={"revoked_at": None},
        after={"revoked_at": locked.revoked_at, "name": locked.name, "prefix": locked.prefix},
    )
    return locked
