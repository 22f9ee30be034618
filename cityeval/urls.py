"""URL routes. Each app owns its own `urls.py`; this module only mounts them."""

from django.contrib import admin
from django.urls import include, path

# A database error outside a view (e.g. saving the session) still gets the 503 page.
handler500 = "cityeval.core.database_errors.server_error"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/tokens/", include("cityeval.api.ui_urls")),
    path("accounts/", include("cityeval.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("masterplan/", include("cityeval.masterplans.urls")),
    path("evaluations/", include("cityeval.evaluations.urls")),
    path("evidence/", include("cityeval.evidence.urls")),
    path("review/", include("cityeval.reviews.urls")),
    path("reports/", include("cityeval.reports.urls")),
    path("scorecard/", include("cityeval.scorecards.urls")),
    path("data/", include("cityeval.exports.urls")),
    path("dashboard/", include("cityeval.dashboard.urls")),
    path("api/v1/", include("cityeval.api.urls")),
    path("", include("cityeval.core.urls")),
]
