from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "cityeval.evaluations"
    verbose_name = _("Evaluasi")

    def ready(self) -> None:
        from cityeval.accounts.access import register_assessed_regions
        from cityeval.evaluations.models import AssessorAssignment

        def assessed(user_id: int) -> frozenset[int]:
            rows = AssessorAssignment.objects.filter(user_id=user_id)
            return frozenset(rows.values_list("region_id", flat=True))

        register_assessed_regions(assessed)
