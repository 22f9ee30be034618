from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "cityeval.reviews"
    verbose_name = _("Reviu asesor")

    def ready(self) -> None:
        # evaluations lists "changed since review" but may not import reviews (layers).
        from cityeval.evaluations.completeness import register_changed_rule
        from cityeval.reviews.changes import changed_since_review

        register_changed_rule(changed_since_review)
