"""People. Roles (program admin, assessor, coordinator, contributor, viewer) are granted per region
and cycle by the workflow apps; the user model itself stays small.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityeval.core.mail import has_control_characters


def validate_single_line(value: str) -> None:
    """A name is printed into e-mails and pages: a line break in it could forge a line."""
    if has_control_characters(value):
        raise ValidationError(
            _("Nama harus satu baris: tanpa ganti baris, tab atau karakter kendali lain."),
            code="control_characters",
        )


class Language(models.TextChoices):
    # Empty means "follow the program's default" (Indonesian), so a later change of the default
    # reaches everyone who never chose.
    DEFAULT = "", _("Bawaan program (Bahasa Indonesia)")
    INDONESIAN = "id", "Bahasa Indonesia"
    ENGLISH = "en", "English"


class User(AbstractUser):
    # A swappable user model from the first migration: changing it later is a painful migration.
    full_name = models.CharField(_("nama lengkap"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("bahasa"),
        max_length=8,
        blank=True,
        choices=Language.choices,
        help_text=_("Kosong berarti bahasa bawaan."),
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        # Not a field validator: that would need a migration for a rule that is not a column's.
        super().clean()
        try:
            validate_single_line(self.full_name)
        except ValidationError as error:
            raise ValidationError({"full_name": error}) from None

    @property
    def invitation_pending(self) -> bool:
        """Invited but has not set a password yet (invitations leave the password unusable)."""
        return not self.has_usable_password()


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
        return f"{self.user} · {self.get_role_display()} · {self.scope_label}"

    @property
    def scope_label(self) -> str:
        if self.opd is not None:
            return f"{self.opd} · {self.opd.region}"
        return str(self.region or _("nasional"))

    def clean(self) -> None:
        """Which scope each role takes (the database checks only part of this)."""
        if self.role in (Role.PROGRAM_ADMIN, Role.ASSESSOR) and (self.region_id or self.opd_id):
            raise ValidationError(
                _("Peran ini berlaku nasional, tanpa kabupaten/kota atau perangkat daerah.")
            )
        if self.role == Role.COORDINATOR and (self.region_id is None or self.opd_id):
            raise ValidationError(_("Koordinator daerah memerlukan satu kabupaten/kota."))
        if self.role == Role.CONTRIBUTOR and (
            self.opd is None or self.region_id != self.opd.region_id
        ):
            raise ValidationError(
                _("Kontributor memerlukan satu perangkat daerah dari kabupaten/kota yang dipilih.")
            )
        if self.role == Role.VIEWER and self.opd_id:
            raise ValidationError(
                _("Peninjau melihat satu kabupaten/kota atau seluruh negeri, bukan satu OPD.")
            )


class LoginFailureQuerySet(models.QuerySet["LoginFailure"]):
    def for_username(self, username: str) -> LoginFailureQuerySet:
        return self.filter(username=LoginFailure.normalise(username))


class LoginFailure(models.Model):
    """One failed sign-in. Kept by the typed username, whether or not such an account exists,
    so that a lockout says nothing about which accounts exist (see `accounts/lockout.py`).
    """

    username = models.CharField(_("nama pengguna"), max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    objects = LoginFailureQuerySet.as_manager()

    class Meta:
        verbose_name = _("gagal masuk")
        verbose_name_plural = _("gagal masuk")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"

    @staticmethod
    def normalise(username: str) -> str:
        # "Admin" and "admin " must count against one budget, or case variants multiply it.
        return username.strip().casefold()[:150]
