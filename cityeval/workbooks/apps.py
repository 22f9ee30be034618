from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbooksConfig(AppConfig):
    """The offline workbook: reads evaluations and evidence, so it sits above both."""

    name = "cityeval.workbooks"
    verbose_name = _("Buku kerja luring")
