from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from cityeval.accounts.models import LoginFailure, User


@admin.register(User)
class CityevalUserAdmin(UserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (None, {"fields": ("full_name", "preferred_language")}),
    )


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
