"""Data of the small review panel on the self-assessment item page (evaluations app)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django import template

from cityeval.evaluations.models import ItemValue
from cityeval.reviews.models import ClarificationItem, Verdict

register = template.Library()


@register.simple_tag
def review_panel_data(item: ItemValue, kinds: Collection[str]) -> dict[str, Any]:
    """The item's verdicts of the kinds this person reads and the clarification thread.

    `kinds` comes from `evaluations.visibility.verdict_kinds`: flags for the team only,
    accepted and adjusted values once the result is published (or for the ministry side).
    """
    verdicts = Verdict.objects.filter(item=item, kind__in=list(kinds)).select_related("created_by")
    thread = (
        ClarificationItem.objects.filter(item=item)
        .select_related("request__requested_by", "request__answered_by")
        .order_by("request__requested_at", "pk")
    )
    return {"verdicts": list(verdicts.order_by("created_at", "pk")), "thread": list(thread)}
