from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """The top layer: demonstration data and backup/restore, which reach into every other app."""

    name = "cityeval.operations"
    verbose_name = _("Operasi")
