"""Signing in, passwords, invitations and the profile: Django's auth views, with the changes
that cityeval needs routed through `services.py` so that they reach the audit log.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cityeval.accounts import services
from cityeval.accounts.forms import LoginForm, ProfileForm
from cityeval.accounts.invitations import invitation_tokens
from cityeval.accounts.middleware import start_session_clock
from cityeval.accounts.models import User


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        start_session_clock(self.request)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form: Any) -> HttpResponse:
        services.set_own_password(
            user=form.user, password=form.cleaned_data["new_password1"], reason="change"
        )
        # Changing the password signs out the person's other sessions, not this one.
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(str(self.get_success_url()))


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    reason: services.PasswordReason = "reset"

    def get_user(self, uidb64: str) -> User | None:
        user = super().get_user(uidb64)
        # A deactivated account must not come back through an old link.
        return user if user is not None and user.is_active else None

    def form_valid(self, form: Any) -> HttpResponse:
        services.set_own_password(
            user=form.user, password=form.cleaned_data["new_password1"], reason=self.reason
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(str(self.get_success_url()))


class InvitationAcceptView(PasswordResetConfirmView):
    reason = "invitation"
    template_name = "accounts/invitation_accept.html"
    token_generator = invitation_tokens
    success_url = reverse_lazy("login")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Kata sandi tersimpan. Silakan masuk dengan nama pengguna %(username)s.")
            % {"username": form.user.username},
        )
        return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = ProfileForm(
        request.POST or None,
        initial={"full_name": user.full_name, "preferred_language": user.preferred_language},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Profil tersimpan."))
            response = redirect("profile")
            # The language cookie outranks the stored preference (core/middleware.py), so the
            # new preference must replace it to take effect in this browser.
            language = form.cleaned_data["preferred_language"]
            if language:
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    language,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    path=settings.LANGUAGE_COOKIE_PATH,
                    domain=settings.LANGUAGE_COOKIE_DOMAIN,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                )
            else:
                response.delete_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    path=settings.LANGUAGE_COOKIE_PATH,
                    domain=settings.LANGUAGE_COOKIE_DOMAIN,
                )
            return response
    context = {
        "form": form,
        "roles": user.grants.select_related("region", "opd__region").order_by("role", "id"),
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT // 60,
        "max_hours": settings.SESSION_COOKIE_AGE // 3600,
    }
    return render(request, "accounts/profile.html", context)
