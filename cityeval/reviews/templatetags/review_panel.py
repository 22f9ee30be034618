"""Data of the small review panel on the self-assessment item page (evaluations app)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django import template

from cityeval.evaluations.models import ItemValue
from cityeval.reviews.models import ClarificationItem, Verdict, VerdictKind

register = template.Library()


@register.simple_tag
def review_panel_data(item: ItemValue, can: Collection[str]) -> dict[str, Any]:
    """The item's verdicts and clarification thread, oldest first.

    A flag is the assessor's own note until the clarification request is sent, so only
    assessors see it.
    """
    verdicts = Verdict.objects.filter(item=item).select_related("created_by")
    if "review" not in can:
        verdicts = verdicts.exclude(kind=VerdictKind.FLAG)
    thread = (
        ClarificationItem.objects.filter(item=item)
        .select_related("request__requested_by", "request__answered_by")
        .order_by("request__requested_at", "pk")
    )
    return {"verdicts": list(verdicts.order_by("created_at", "pk")), "thread": list(thread)}
