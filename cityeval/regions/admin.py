"""Admin pages for the national region list, cohorts, peer groups and OPDs."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cityeval.regions.models import OPD, Cohort, PeerGroup, Province, Region, RegionSource


class LoadedFromSourceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Provinces and regions come from `loadregions`; an admin edit would be overwritten by the
    next load, and adding or deleting one here would diverge from the Kemendagri list."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Province)
class ProvinceAdmin(LoadedFromSourceAdmin):
    list_display = ["code", "name", "region_count"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Province]:
        return Province.objects.with_region_counts()

    @admin.display(description=_("jumlah kabupaten/kota"), ordering="region_count")
    def region_count(self, province: Province) -> int:
        return int(getattr(province, "region_count", 0))


@admin.register(Region)
class RegionAdmin(LoadedFromSourceAdmin):
    list_display = ["code", "full_name", "kind", "province", "cohort", "population"]
    list_filter = ["kind", "cohort", "province"]
    list_select_related = ["province", "cohort"]
    search_fields = ["code", "name", "full_name"]
    # Cohort and population are ours to set; everything else belongs to the source.
    readonly_fields = ["code", "name", "full_name", "kind", "province"]
    fields = [*readonly_fields, "cohort", "population", "population_year"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["year", "name", "region_count"]
    search_fields = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Cohort]:
        return Cohort.objects.annotate(region_count=Count("regions"))

    @admin.display(description=_("jumlah kabupaten/kota"), ordering="region_count")
    def region_count(self, cohort: Cohort) -> int:
        return int(getattr(cohort, "region_count", 0))


@admin.register(PeerGroup)
class PeerGroupAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "name_en", "automatic", "region_count"]
    list_filter = ["automatic"]
    search_fields = ["code", "name", "name_en"]
    autocomplete_fields = ["regions"]
    readonly_fields = ["automatic"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PeerGroup]:
        return PeerGroup.objects.annotate(region_count=Count("regions"))

    @admin.display(description=_("jumlah kabupaten/kota"), ordering="region_count")
    def region_count(self, group: PeerGroup) -> int:
        return int(getattr(group, "region_count", 0))


@admin.register(OPD)
class OPDAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "short_name", "name", "region", "active"]
    list_filter = ["active", "region__kind", "region__province"]
    list_select_related = ["region"]
    search_fields = ["code", "name", "short_name", "region__code", "region__full_name"]
    autocomplete_fields = ["region"]


@admin.register(RegionSource)
class RegionSourceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "version", "author", "licence", "loaded_at"]
    search_fields = ["name"]
    readonly_fields = ["name", "version", "author", "licence", "url", "checksum", "loaded_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
