from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "cityeval.discussions"
    verbose_name = _("Diskusi butir")
