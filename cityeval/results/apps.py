from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "cityeval.results"
    verbose_name = _("Hasil")

    def ready(self) -> None:
        from cityeval.results import publication  # noqa: F401 - connects the marker's receiver
