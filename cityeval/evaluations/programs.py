"""Items computed from the masterplan's program registry, never typed in twice.

A percentage indicator with `data_source == "programs"` takes the share of the region's
masterplan programs of its smart dimension that run in the cycle's year
(`cityeval.masterplans.shares`). The value is refreshed on request and frozen at submission.
"""

from __future__ import annotations

from django.db import transaction

from cityeval.accounts.access import Actor
from cityeval.audit.log import Changes, audited
from cityeval.evaluations.models import Evaluation
from cityeval.masterplans.shares import program_shares


@transaction.atomic
def sync_program_items(*, evaluation: Evaluation, user: Actor) -> int:
    """Write the registry's current shares into the evaluation's program items; count changes."""
    shares = program_shares(region=evaluation.region, year=evaluation.cycle.year)
    # Through the evaluation's manager: each item knows its evaluation, its audit scope.
    items = (
        evaluation.items.select_for_update(of=("self",))
        .filter(indicator__data_source="programs")
        .select_related("indicator")
    )
    changed = 0
    for item in items:
        value = shares.get(item.indicator.dimension)
        if value == item.self_value:
            continue
        changes = Changes(item, ["self_value"])
        item.self_value = value
        item.version += 1
        item.updated_by = user
        item.save(update_fields=["self_value", "version", "updated_by", "updated_at"])
        audited(actor=user, action="item.from_programs", target=item, changes=changes)
        changed += 1
    return changed
