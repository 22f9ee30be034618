"""Read-only admin: versions are imported with `cityeval framework import`, never edited here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cityeval.frameworks.models import FrameworkNode, FrameworkVersion

if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]
else:  # ModelAdmin is generic only in the type stubs
    _ModelAdmin = admin.ModelAdmin


class _ReadOnly(_ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(_ReadOnly):
    list_display = ["code", "version", "name_id", "short_sha", "imported_at"]
    list_filter = ["code"]
    search_fields = ["code", "version", "name_id", "name_en"]
    exclude = ["document"]

    @admin.display(description=_("SHA-256"))
    def short_sha(self, obj: FrameworkVersion) -> str:
        return obj.content_sha256[:12]


@admin.register(FrameworkNode)
class FrameworkNodeAdmin(_ReadOnly):
    list_display = ["code", "version", "kind", "weight", "depth", "name_id", "verified"]
    list_filter = ["version", "kind", "verified"]
    search_fields = ["code", "name_id", "name_en"]
    list_select_related = ["version"]
