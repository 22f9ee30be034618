from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from cityeval.accounts.models import User


@admin.register(User)
class CityevalUserAdmin(UserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (None, {"fields": ("full_name", "preferred_language")}),
    )
