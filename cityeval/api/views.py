"""The "Token API" page: a person creates and revokes their own personal access tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cityeval.accounts.access import actor_of
from cityeval.accounts.models import User
from cityeval.api.forms import TokenForm
from cityeval.api.models import PersonalAccessToken, TokenScope
from cityeval.api.services import TokenError, create_token, revoke_token
from cityeval.core.methods import require_form


def _person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the views require a sign-in
    return user


@never_cache
@login_required
@require_form
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created: str | None = None
    if request.method == "POST" and form.is_valid():
        try:
            token, created = create_token(
                user=actor_of(request),
                name=form.cleaned_data["name"],
                scope=TokenScope(form.cleaned_data["scope"]),
                expires_at=form.expires_at(),
            )
        except TokenError as error:
            form.add_error(None, str(error))
        else:
            # Rendered, not redirected: the secret is shown on this one response and never again.
            messages.success(request, _("Token “%(name)s” dibuat.") % {"name": token.name})
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": PersonalAccessToken.objects.of_user(_person(request)),
            "active_count": PersonalAccessToken.objects.of_user(_person(request)).active().count(),
            "token_cap": settings.API_MAX_TOKENS_PER_PERSON,
        },
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = PersonalAccessToken.objects.filter(pk=pk, user=_person(request)).first()
    if token is None:
        raise Http404  # someone else's token does not exist for this person
    try:
        revoke_token(token=token, user=actor_of(request))
    except TokenError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Token “%(name)s” dicabut.") % {"name": token.name})
    return redirect("api_tokens")
