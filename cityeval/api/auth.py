"""Bearer authentication with personal access tokens.

The token's owner becomes `request.user` for the request, so every access helper and service
sees the same person the UI would, with their roles as they are now (a grant revoked a minute
ago is gone). A revoked or expired token, or a deactivated owner, answers 401; a read-only token
on a write answers 403.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from cityeval.api.errors import ApiError, unauthorized
from cityeval.api.models import PersonalAccessToken
from cityeval.api.throttle import check_rate
from cityeval.api.tokens import matches, prefix_of

# "Last used" is written at most this often, so that reads do not all become writes.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def __init__(self, *, write: bool = False) -> None:
        super().__init__()
        self.write = write

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = find_token(token)
        user = found.user
        translation.activate(user.preferred_language or "id")
        check_rate(token_id=found.pk, user_id=found.user_id)
        if self.write and not found.can_write:
            raise ApiError(
                403,
                "insufficient_scope",
                _(
                    "Token ini hanya untuk membaca; buat token “baca dan tulis” untuk "
                    "mengubah data."
                ),
            )
        request.user = user
        request.api_token = found  # type: ignore[attr-defined]
        _touch(found)
        return user


def find_token(plaintext: str) -> PersonalAccessToken:
    """The usable token this string is; 401 otherwise (with the reason once the secret matches)."""
    prefix = prefix_of(plaintext.strip())
    found = (
        PersonalAccessToken.objects.select_related("user").filter(prefix=prefix).first()
        if prefix
        else None
    )
    if found is None or not matches(plaintext.strip(), found.secret_hash):
        raise unauthorized(_("Token API tidak dikenal."))
    if found.revoked_at is not None:
        raise unauthorized(_("Token API ini sudah dicabut."))
    if found.is_expired():
        raise unauthorized(_("Token API ini sudah kedaluwarsa."))
    if not found.user.is_active:
        raise unauthorized(_("Akun pemilik token ini tidak aktif."))
    return found


def _touch(token: PersonalAccessToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


read_auth = TokenAuth()
write_auth = TokenAuth(write=True)
