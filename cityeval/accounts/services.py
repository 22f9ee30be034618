"""Workflows on people: each a typed function with keyword-only arguments, one transaction and
one audit entry. Callers have already fetched the objects through `people_access.py` (404 for
another region's); these functions check state and refuse an invalid change with a clear
message, writing nothing. Who may grant which role where is decided here, on the grant as it
will be stored (`authorise_grant`), whatever page, form or route asked for it.

An invitation e-mail is a job queued in the service's transaction (`invitations.send_invitation`):
the account exists once the request commits, a worker sends the mail; when the mail server
refuses it, the job is tried again, and the person's page offers to send the invitation again.
"""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cityeval.accounts.access import scope_of
from cityeval.accounts.invitations import send_invitation
from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.accounts.people_access import GRANT_REFUSED, may_grant, may_manage, may_revoke
from cityeval.audit.log import Changes, audited, snapshot
from cityeval.regions.models import OPD, Region

_PROFILE_FIELDS = ["full_name", "preferred_language"]


@transaction.atomic
def invite_user(
    *,
    actor: User,
    username: str,
    full_name: str,
    email: str,
    role: Role,
    region: Region | None,
    opd: OPD | None,
    site_url: str,
) -> User:
    # Authorised before anything else: a refused grant leaves no account, no e-mail, no trace.
    grant = authorise_grant(actor=actor, role=role, region=region, opd=opd)
    # Usernames and e-mail addresses are unique nationwide, but the refusal is worded the same
    # whoever holds them, so a coordinator learns nothing about accounts outside their region.
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            _("Nama pengguna ini tidak tersedia. Pilih nama lain, misalnya %(suggestion)s."),
            code="username_taken",
            params={"suggestion": free_username(username)},
        )
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            _(
                "Alamat surel ini tidak dapat dipakai untuk undangan baru. Periksa alamatnya; "
                "bila orang ini sudah memakai cityeval, minta admin program memberikan perannya."
            ),
            code="email_taken",
        )
    user = User(username=username, full_name=full_name, email=email)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    grant = _store_grant(grant, user=user)
    send_invitation(user, site_url=site_url, invited_by=actor)
    audited(
        actor=actor,
        action="user.invite",
        target=user,
        after={
            "username": username,
            "full_name": full_name,
            "email": email,
            "role": role,
            "region": grant.region_id,
            "opd": grant.opd_id,
        },
    )
    return user


def free_username(wanted: str) -> str:
    """The wanted name with the smallest number appended that no account holds yet."""
    base = wanted[:140]
    taken = {
        name.casefold()
        for name in User.objects.filter(username__istartswith=base).values_list(
            "username", flat=True
        )
    }
    number = 2
    while f"{base}{number}".casefold() in taken:
        number += 1
    return f"{base}{number}"


@transaction.atomic
def resend_invitation(*, actor: User, user: User, site_url: str) -> None:
    _require_manager(actor, user)
    if not user.is_active:
        raise ValidationError(_("Akun ini nonaktif; aktifkan dulu sebelum mengundang ulang."))
    if not user.invitation_pending:
        raise ValidationError(_("Orang ini sudah mengatur kata sandinya; undangan tidak perlu."))
    user.set_unusable_password()  # a new random marker retires every earlier link
    user.save(update_fields=["password"])
    send_invitation(user, site_url=site_url, invited_by=actor)
    audited(actor=actor, action="user.invite_again", target=user)


@transaction.atomic
def grant_role(
    *, actor: User, user: User, role: Role, region: Region | None = None, opd: OPD | None = None
) -> RoleGrant:
    grant = _store_grant(authorise_grant(actor=actor, role=role, region=region, opd=opd), user=user)
    audited(
        actor=actor,
        action="role.grant",
        target=grant,
        after={"user": user.pk, "role": role, "region": grant.region_id, "opd": grant.opd_id},
    )
    return grant


@transaction.atomic
def revoke_role(*, actor: User, grant: RoleGrant) -> None:
    if not may_revoke(scope_of(actor), grant):
        raise PermissionDenied
    if grant.user_id == actor.pk and grant.role == Role.PROGRAM_ADMIN:
        raise ValidationError(_("Anda tidak dapat mencabut peran admin program Anda sendiri."))
    audited(
        actor=actor,
        action="role.revoke",
        target=grant,
        before=snapshot(grant, ["user", "role", "region", "opd"]),
    )
    grant.delete()


@transaction.atomic
def deactivate_user(*, actor: User, user: User) -> None:
    _require_manager(actor, user)
    if user.pk == actor.pk:
        raise ValidationError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    if not user.is_active:
        raise ValidationError(_("Akun ini sudah nonaktif."))
    _set_active(actor=actor, user=user, active=False)


@transaction.atomic
def reactivate_user(*, actor: User, user: User) -> None:
    _require_manager(actor, user)
    if user.is_active:
        raise ValidationError(_("Akun ini sudah aktif."))
    _set_active(actor=actor, user=user, active=True)


@transaction.atomic
def update_profile(*, user: User, full_name: str, preferred_language: str) -> None:
    changes = Changes(user, _PROFILE_FIELDS)
    user.full_name = full_name
    user.preferred_language = preferred_language
    user.full_clean()
    user.save(update_fields=_PROFILE_FIELDS)
    audited(actor=user, action="user.profile", target=user, changes=changes)


PasswordReason = Literal["change", "reset", "invitation"]


@transaction.atomic
def set_own_password(*, user: User, password: str, reason: PasswordReason) -> None:
    """A person sets their own password: a change while signed in, a reset by e-mail, or the
    first password from an invitation. The password itself is never logged.
    """
    user.set_password(password)
    user.save(update_fields=["password"])
    # The person is the actor even though an invitee or a resetter is not signed in yet.
    audited(actor=user, action=f"user.password_{reason}", target=user)


def authorise_grant(
    *, actor: User, role: Role, region: Region | None, opd: OPD | None
) -> RoleGrant:
    """The grant as it will be stored, if `actor` may store it; nothing is saved here.

    An OPD implies its region. PermissionDenied (403) when the actor may not grant this role in
    this scope (`people_access.may_grant`); ValidationError when the scope does not fit the role.
    """
    if opd is not None and region is None:
        region = opd.region
    allowed = may_grant(
        scope_of(actor),
        role=role,
        region_id=region.pk if region is not None else None,
        opd_region_id=opd.region_id if opd is not None else None,
    )
    if not allowed:
        raise PermissionDenied(str(GRANT_REFUSED))
    grant = RoleGrant(role=role, region=region, opd=opd)
    grant.clean()
    return grant


def _require_manager(actor: User, user: User) -> None:
    """The views check this through `person_for_managing`; the service checks it again."""
    if not may_manage(scope_of(actor), user):
        raise PermissionDenied


def _store_grant(grant: RoleGrant, *, user: User) -> RoleGrant:
    grant.user = user
    duplicate = RoleGrant.objects.filter(
        user=user, role=grant.role, region=grant.region, opd=grant.opd
    ).exists()
    # The unique constraint treats NULL scopes as distinct, so national duplicates need this.
    if duplicate:
        raise ValidationError(_("Orang ini sudah memegang peran tersebut."), code="duplicate")
    grant.save()
    return grant


def _set_active(*, actor: User, user: User, active: bool) -> None:
    changes = Changes(user, ["is_active"])
    user.is_active = active
    user.save(update_fields=["is_active"])
    action = "user.reactivate" if active else "user.deactivate"
    audited(actor=actor, action=action, target=user, changes=changes)
