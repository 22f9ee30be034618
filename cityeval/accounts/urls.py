"""Mounted at /accounts/ before `django.contrib.auth.urls`: the views here replace Django's at
the same paths and names (login, password change, password reset request and confirm), so that
sign-in goes through the lockout, password changes reach the audit log and the reset e-mail is a
job (`invitations.queue_password_reset`). Logout and the "done" pages are Django's own, with
templates in templates/registration/.
"""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, path

from cityeval.accounts import views_auth, views_people
from cityeval.accounts.forms import QueuedPasswordResetForm

urlpatterns: list[URLPattern | URLResolver] = [
    path("login/", views_auth.LoginView.as_view(), name="login"),
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("password_change/", views_auth.PasswordChangeView.as_view(), name="password_change"),
    path(
        "reset/<uidb64>/<token>/",
        views_auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        views_auth.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path("profile/", views_auth.profile, name="profile"),
    path("people/", views_people.people, name="people"),
    path("people/invite/", views_people.invite, name="person_invite"),
    path("people/<int:pk>/", views_people.person_detail, name="person_detail"),
    path("people/<int:pk>/grant/", views_people.person_grant, name="person_grant"),
    path(
        "people/<int:pk>/grants/<int:grant_pk>/revoke/",
        views_people.person_revoke,
        name="person_revoke",
    ),
    path("people/<int:pk>/deactivate/", views_people.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", views_people.person_reactivate, name="person_reactivate"),
    path("people/<int:pk>/invite-again/", views_people.person_resend, name="person_resend"),
]
