"""Template helpers of the evidence panel, which is included in another app's item page."""

from __future__ import annotations

from typing import Any

from django import template

from cityeval.evaluations.models import ItemValue
from cityeval.evidence.filetypes import EVIDENCE_TYPES, accept_attribute, label_for, labels
from cityeval.evidence.models import Evidence
from cityeval.evidence.uploads import max_bytes, take_description_draft

register = template.Library()


@register.simple_tag
def current_evidence(item: ItemValue) -> list[Evidence]:
    return list(Evidence.objects.filter(item=item).current().for_panel())


@register.simple_tag
def evidence_accept() -> str:
    return accept_attribute(EVIDENCE_TYPES)


@register.simple_tag
def evidence_types() -> str:
    return labels(EVIDENCE_TYPES)


@register.simple_tag
def evidence_max_bytes() -> int:
    return max_bytes()


@register.filter
def type_label(content_type: str) -> str:
    return label_for(content_type)


@register.simple_tag(takes_context=True)
def evidence_description_draft(context: dict[str, Any], item: ItemValue) -> str:
    """The description typed with an upload the server could not store (shown once)."""
    request = context.get("request")
    return take_description_draft(request, item.pk) if request is not None else ""
