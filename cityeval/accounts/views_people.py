"""People management: a program admin manages everyone, a region coordinator the people of their
own regions. Thin views: `people_access` fetches and authorises (404 outside the manager's
regions, 403 for a forbidden action), a form validates, one service acts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cityeval.accounts import people_access as access
from cityeval.accounts import services
from cityeval.accounts.forms import GrantForm, InviteForm
from cityeval.accounts.invitations import invitation_job
from cityeval.accounts.models import Role, User

PAGE_SIZE = 50
STATUSES = {
    "active": Q(is_active=True),
    "inactive": Q(is_active=False),
    "invited": Q(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX),
}


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _site_url(request: HttpRequest) -> str:
    # The host has passed ALLOWED_HOSTS validation, so it is safe to put in an e-mailed link.
    return request.build_absolute_uri("/")


def _check_posted_grant(request: HttpRequest) -> None:
    access.check_grant(
        request.user,
        role=request.POST.get("role"),
        region_id=request.POST.get("region"),
        opd_id=request.POST.get("opd"),
    )


@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    scope = access.manager_scope(request.user)
    query = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    status = request.GET.get("status", "")
    found = access.visible_people(scope)
    if query:
        found = found.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(email__icontains=query)
        )
    if role in Role.values:
        found = found.filter(pk__in=access.visible_grants(scope).filter(role=role).values("user"))
    if status in STATUSES:
        found = found.filter(STATUSES[status])
    context = {
        "page": Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query,
        "role": role,
        "status": status,
        "roles": Role.choices,
        "statuses": [
            ("active", _("Aktif")),
            ("invited", _("Menunggu undangan diterima")),
            ("inactive", _("Nonaktif")),
        ],
    }
    return render(request, "accounts/people_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    scope = access.manager_scope(request.user)
    if request.method == "POST":
        _check_posted_grant(request)
    form = InviteForm(
        request.POST or None,
        scope=scope,
        region_id=request.GET.get("region"),
        reload_url=request.path,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.invite_user(
                actor=_actor(request),
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                role=data["role"],
                region=data["region"],
                opd=data["opd"],
                site_url=_site_url(request),
            )
        except ValidationError as error:
            field = {"username_taken": "username", "email_taken": "email"}.get(error.code or "")
            form.add_error(field, error)
        else:
            messages.success(
                request, _("Undangan sedang dikirim ke %(email)s.") % {"email": person.email}
            )
            return redirect("person_detail", pk=person.pk)
    return render(request, "accounts/person_invite.html", {"form": form})


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_viewing(request.user, pk)
    form = _grant_form(request, person, data=None)
    return render(request, "accounts/person_detail.html", _detail_context(request, person, form))


@login_required
@require_POST
def person_grant(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_viewing(request.user, pk)
    _check_posted_grant(request)
    form = _grant_form(request, person, data=request.POST)
    if not form.is_valid():
        context = _detail_context(request, person, form)
        return render(request, "accounts/person_detail.html", context, status=400)
    data = form.cleaned_data
    try:
        services.grant_role(
            actor=_actor(request),
            user=person,
            role=data["role"],
            region=data["region"],
            opd=data["opd"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Peran diberikan."))
    return redirect("person_detail", pk=person.pk)


@login_required
@require_POST
def person_revoke(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    person = access.person_for_viewing(request.user, pk)
    grant = access.grant_for_revoking(request.user, person, grant_pk)
    _act(
        request,
        lambda: services.revoke_role(actor=_actor(request), grant=grant),
        _("Peran dicabut."),
    )
    return redirect("person_detail", pk=person.pk)


@login_required
@require_POST
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_managing(request.user, pk)
    _act(
        request,
        lambda: services.deactivate_user(actor=_actor(request), user=person),
        _("Akun dinonaktifkan. Orang ini tidak dapat masuk lagi."),
    )
    return redirect("person_detail", pk=person.pk)


@login_required
@require_POST
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_managing(request.user, pk)
    _act(
        request,
        lambda: services.reactivate_user(actor=_actor(request), user=person),
        _("Akun diaktifkan kembali."),
    )
    return redirect("person_detail", pk=person.pk)


@login_required
@require_POST
def person_resend(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_managing(request.user, pk)
    site_url = _site_url(request)
    _act(
        request,
        lambda: services.resend_invitation(actor=_actor(request), user=person, site_url=site_url),
        _("Undangan baru sedang dikirim ke %(email)s; tautan sebelumnya tidak berlaku lagi.")
        % {"email": person.email},
    )
    return redirect("person_detail", pk=person.pk)


def _act(request: HttpRequest, action: Callable[[], None], success: str) -> None:
    """Run one service; its refusal becomes an error message instead of a change."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)


def _grant_form(request: HttpRequest, person: User, *, data: Any) -> GrantForm:
    return GrantForm(
        data,
        scope=access.manager_scope(request.user),
        region_id=request.GET.get("region"),
        reload_url=reverse("person_detail", kwargs={"pk": person.pk}),
    )


def _detail_context(request: HttpRequest, person: User, form: GrantForm) -> dict[str, Any]:
    scope = access.manager_scope(request.user)
    grants = list(person.visible_grants)  # type: ignore[attr-defined]
    return {
        "person": person,
        "grants": [(grant, access.may_revoke(scope, grant)) for grant in grants],
        "may_manage": access.may_manage(scope, person),
        "is_self": person.pk == request.user.pk,
        "form": form,
        "invitation_job": invitation_job(person),
    }
