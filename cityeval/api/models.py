"""Personal access tokens for the REST API.

A token is shown once, when it is created; only a SHA-256 hash of it is stored, with a short
public prefix to find the row. See `tokens.py` for why a fast hash is right for these secrets.
A token acts with its owner's roles as they are at the time of each request.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityeval.accounts.models import User


class TokenScope(models.TextChoices):
    READ = "read", _("Baca saja")
    READ_WRITE = "read-write", _("Baca dan tulis")


class PersonalAccessTokenQuerySet(models.QuerySet["PersonalAccessToken"]):
    def of_user(self, user: User) -> PersonalAccessTokenQuerySet:
        return self.filter(user=user).order_by("-created_at", "-pk")

    def active(self, now: datetime | None = None) -> PersonalAccessTokenQuerySet:
        """Neither revoked nor expired: the tokens that count against a person's cap."""
        return self.filter(revoked_at=None).exclude(expires_at__lte=now or timezone.now())


class PersonalAccessToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("pengguna"),
    )
    name = models.CharField(_("nama"), max_length=100)
    scope = models.CharField(_("cakupan"), max_length=10, choices=TokenScope.choices)
    # The public part of the token ("ce_<prefix>_<secret>"): finds the row in one indexed query.
    prefix = models.CharField(_("awalan"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    objects = PersonalAccessTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} (ce_{self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.READ_WRITE

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def is_usable(self, now: datetime | None = None) -> bool:
        return self.revoked_at is None and not self.is_expired(now)
