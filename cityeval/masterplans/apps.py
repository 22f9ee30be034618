from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MasterplansConfig(AppConfig):
    name = "cityeval.masterplans"
    verbose_name = _("Masterplan smart city")
