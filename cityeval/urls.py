"""URL routes. Each app owns its own `urls.py`; this module only mounts them."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from cityeval.core.language import choose_language
from cityeval.dashboard import home
from cityeval.evaluations import urls as evaluation_urls
from cityeval.workbooks import urls as workbook_urls

# A database error outside a view (e.g. saving the session) still gets the 503 page.
handler500 = "cityeval.core.database_errors.server_error"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("i18n/choose/", choose_language, name="choose_language"),
    path("admin/", admin.site.urls),
    path("accounts/tokens/", include("cityeval.api.ui_urls")),
    path("accounts/", include("cityeval.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("masterplan/", include("cityeval.masterplans.urls")),
    # The offline workbook lives in its own app (above evidence) but keeps its URL names.
    path(
        "evaluations/",
        include((evaluation_urls.urlpatterns + workbook_urls.urlpatterns, "evaluations")),
    ),
    path("evidence/", include("cityeval.evidence.urls")),
    path("review/", include("cityeval.reviews.urls")),
    path("reports/", include("cityeval.reports.urls")),
    path("mentoring/", include("cityeval.mentoring.urls")),
    path("discussions/", include("cityeval.discussions.urls")),
    path("scorecard/", include("cityeval.scorecards.urls")),
    path("data/", include("cityeval.exports.urls")),
    path("dashboard/", include("cityeval.dashboard.urls")),
    path("api/v1/", include("cityeval.api.urls")),
    path("bantuan/", include("cityeval.help.urls")),
    path("pustaka/", include("cityeval.library.urls")),
    # The English and the short addresses lead to the Indonesian canonical ones.
    path(
        "help/",
        RedirectView.as_view(pattern_name="help:centre", query_string=True),
        name="help_redirect",
    ),
    path(
        "faq/",
        RedirectView.as_view(pattern_name="help:faq", query_string=True),
        name="faq_redirect",
    ),
    path("notifications/", include("cityeval.notifications.urls")),
    path("jobs/", include("cityeval.operations.jobs_urls")),
    path("", home.home, name="home"),
]
