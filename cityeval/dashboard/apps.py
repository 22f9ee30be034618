from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class DashboardConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cityeval.dashboard"
    verbose_name = gettext_lazy("Dasbor nasional")
