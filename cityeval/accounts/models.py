"""People. Roles (program admin, assessor, coordinator, contributor, viewer) are granted per region
and cycle by the workflow apps; the user model itself stays small.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    # A swappable user model from the first migration: changing it later is a painful migration.
    full_name = models.CharField(_("nama lengkap"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("bahasa"), max_length=8, blank=True, help_text=_("Kosong berarti bahasa bawaan.")
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.username
