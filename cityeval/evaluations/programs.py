"""Items computed from the masterplan's program registry, never typed in twice.

A percentage indicator with `data_source == "programs"` takes the share of the region's
masterplan programs of its smart dimension that run in the cycle's year
(`cityeval.masterplans.shares`). The value is refreshed on request and frozen at submission.
"""

from __future__ import annotations

from django.db import transaction

from cityeval.accounts.access import Actor
from cityeval.audit.log import record
from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.masterplans.shares import program_shares


@transaction.atomic
def sync_program_items(*, evaluation: Evaluation, user: Actor) -> int:
    """Write the registry's current shares into the evaluation's program items; count changes."""
    shares = program_shares(region=evaluation.region, year=evaluation.cycle.year)
    items = (
        ItemValue.objects.select_for_update(of=("self",))
        .filter(evaluation=evaluation, indicator__data_source="programs")
        .select_related("indicator")
    )
    changed = 0
    for item in items:
        value = shares.get(item.indicator.dimension)
        if value == item.self_value:
            continue
        before = {"self_value": item.self_value}
        item.self_value = value
        item.version += 1
        item.updated_by = user
        item.save(update_fields=["self_value", "version", "updated_by", "updated_at"])
        record(
            actor=user,
            action="item.from_programs",
            target=item,
            before=before,
            after={"self_value": value},
            evaluation_id=evaluation.pk,
            region_id=evaluation.region_id,
        )
        changed += 1
    return changed
