from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ScorecardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cityeval.scorecards"
    verbose_name = gettext_lazy("Kartu skor")
