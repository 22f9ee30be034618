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


class Role(models.TextChoices):
    PROGRAM_ADMIN = "program_admin", _("Admin program")
    ASSESSOR = "assessor", _("Asesor")
    COORDINATOR = "coordinator", _("Koordinator daerah")
    CONTRIBUTOR = "contributor", _("Kontributor OPD")
    VIEWER = "viewer", _("Peninjau")


class RoleGrant(models.Model):
    """One role of one person, scoped where the role needs a scope.

    A person may hold several grants (a coordinator who also contributes for an OPD). Assessors
    are assigned to regions per cycle by the evaluations app; their grant here only says that the
    person is on the ministry's assessor roster. A viewer without a region views the nation.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, null=True, blank=True, related_name="grants"
    )
    opd = models.ForeignKey(
        "regions.OPD", on_delete=models.CASCADE, null=True, blank=True, related_name="grants"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hak peran")
        verbose_name_plural = _("hak peran")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "opd"],
                name="unique_role_grant",
            ),
            models.CheckConstraint(
                name="coordinator_has_region",
                condition=~models.Q(role="coordinator") | models.Q(region__isnull=False),
            ),
            models.CheckConstraint(
                name="contributor_has_opd",
                condition=~models.Q(role="contributor")
                | (models.Q(opd__isnull=False) & models.Q(region__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        scope = self.opd or self.region or _("nasional")
        return f"{self.user} · {self.get_role_display()} · {scope}"
