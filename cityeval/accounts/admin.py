from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from cityeval.accounts.models import LoginFailure, User

# Role grants are deliberately not registered here: every grant goes through
# `accounts.services.authorise_grant` (the people pages), never through a generic admin form.
PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


@admin.register(User)
class CityevalUserAdmin(UserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (None, {"fields": ("full_name", "preferred_language")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> tuple[str, ...]:
        """Only a superuser hands out admin-site privileges; a superuser counts as a program
        admin, so a staff member with "change user" must not be able to make one.
        """
        readonly = tuple(super().get_readonly_fields(request, obj))
        if getattr(request.user, "is_superuser", False):
            return readonly
        return readonly + PRIVILEGE_FIELDS


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only; deleting a person's failures lifts their lockout early."""

    list_display = ("username", "ip_address", "at")
    search_fields = ("username",)
    readonly_fields = ("username", "ip_address", "at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
