from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cityeval.notifications"
    verbose_name = _("Notifikasi")

    def ready(self) -> None:
        from cityeval.notifications import checks  # noqa: F401  (registers the deploy check)
