"""Forms for signing in and for managing people. Forms validate input; services change data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityeval.accounts import lockout
from cityeval.accounts.access import Scope
from cityeval.accounts.invitations import queue_password_reset
from cityeval.accounts.models import Language, Role, RoleGrant, validate_single_line
from cityeval.accounts.people_access import grantable_roles, manageable_regions
from cityeval.regions.models import OPD, Region


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan huruf kecil."
        ),
        # The same words whether or not the account exists: failures are counted per typed name.
        "locked_out": _(
            "Terlalu banyak percobaan masuk yang gagal dengan nama pengguna ini. Demi keamanan, "
            "coba lagi dalam %(minutes)s menit."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username:
            self._refuse_if_locked(username)
        try:
            return super().clean()
        except ValidationError:
            # The failure just recorded may be the one that locks: say so at once.
            if username:
                self._refuse_if_locked(username)
            raise

    def _refuse_if_locked(self, username: str) -> None:
        until = lockout.locked_until(username)
        if until is not None:
            minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
            raise ValidationError(
                self.error_messages["locked_out"], code="locked_out", params={"minutes": minutes}
            )


class GrantForm(forms.Form):
    """One role with its scope. Which roles, regions and OPDs are offered depends on the
    manager; `people_access.check_grant` has already answered 404/403 for foreign values.
    """

    role = forms.ChoiceField(label=_("Peran"))
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(),
        required=False,
        label=_("Kabupaten/kota"),
        help_text=_(
            "Wajib untuk koordinator dan kontributor. Kosongkan untuk peninjau nasional; "
            "admin program dan asesor berlaku nasional."
        ),
    )
    opd = forms.ModelChoiceField(
        queryset=OPD.objects.none(),
        required=False,
        label=_("Perangkat daerah (OPD)"),
        help_text=_("Hanya untuk kontributor."),
    )

    def __init__(
        self, *args: Any, scope: Scope, region_id: str | None = None, reload_url: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [("", "—"), *grantable_roles(scope)]
        regions = manageable_regions(scope)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = regions
        # Choosing a region reloads the OPD list in place (htmx); without a script the person
        # picks the region and submits once more.
        region_field.widget.attrs.update(
            {
                "hx-get": reload_url,
                "hx-trigger": "change",
                "hx-target": "#opd-field",
                "hx-select": "#opd-field",
                "hx-swap": "outerHTML",
            }
        )
        selected = self.data.get(self.add_prefix("region")) if self.is_bound else region_id
        if not selected and not scope.admin:
            # The region select has no empty choice for a coordinator: its first region shows.
            first = regions.first()
            selected = str(first.pk) if first else None
        if selected and not self.is_bound:
            self.initial.setdefault("region", selected)
        opd_field = self.fields["opd"]
        assert isinstance(opd_field, forms.ModelChoiceField)
        opd_field.empty_label = _("— pilih kabupaten/kota terlebih dahulu —")
        if selected and str(selected).isdigit():
            opd_field.queryset = (
                OPD.objects.active().filter(region_id=int(selected), region__in=regions)
            ).order_by("name")
            opd_field.empty_label = "—"
        if not scope.admin:
            # A coordinator's choices are narrow; the admin's explanations would only confuse.
            self.initial.setdefault("role", Role.CONTRIBUTOR)
            region_field.help_text = _("Kabupaten/kota yang Anda koordinasikan.")
            region_field.empty_label = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role in (Role.PROGRAM_ADMIN, Role.ASSESSOR):
            data["region"] = data["opd"] = None
        elif role == Role.COORDINATOR:
            data["opd"] = None
        if role == Role.COORDINATOR and data.get("region") is None:
            self.add_error("region", _("Pilih kabupaten/kota yang dikoordinasikan."))
        if role == Role.CONTRIBUTOR and data.get("opd") is None:
            self.add_error("opd", _("Pilih perangkat daerah tempat kontributor bekerja."))
        if role == Role.VIEWER and data.get("opd") is not None:
            # Dropping the OPD would leave a viewer without a region: a national viewer.
            self.add_error(
                "opd",
                _("Peninjau melihat satu kabupaten/kota atau seluruh negeri, bukan satu OPD."),
            )
        if role:
            data["role"] = Role(role)
        opd = data.get("opd")
        if role and not self.errors and opd is not None and data.get("region") is None:
            data["region"] = opd.region
        if role and not self.errors:
            try:
                RoleGrant(role=role, region=data.get("region"), opd=opd).clean()
            except ValidationError as error:
                self.add_error(None, error)
        return data


class InviteForm(GrantForm):
    username = forms.RegexField(
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        label=_("Nama pengguna"),
        help_text=_("Huruf, angka dan . @ + - _ saja; misalnya budi.dinkes."),
    )
    full_name = forms.CharField(
        max_length=200, label=_("Nama lengkap"), validators=[validate_single_line]
    )
    email = forms.EmailField(
        label=_("Alamat surel"), help_text=_("Tautan undangan dikirim ke alamat ini.")
    )
    field_order = ["full_name", "username", "email", "role", "region", "opd"]


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        max_length=200, required=False, label=_("Nama lengkap"), validators=[validate_single_line]
    )
    preferred_language = forms.ChoiceField(
        choices=Language.choices, required=False, label=_("Bahasa tampilan")
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset request, its e-mail queued as a job instead of sent inside the request
    (`invitations.queue_password_reset`): the page answers at once, the same for any address."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        queue_password_reset(
            context["user"], protocol=context["protocol"], domain=context["domain"]
        )
