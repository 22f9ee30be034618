"""`{% item_discussion %}`: the discussion panel beside the rubric of an item page.

A template tag keeps the item pages of `evaluations` and `reviews` free of an import of this
app (it sits above them); the panel reads with a fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from django import template

from cityeval.discussions.access import may_ask_data, may_upload_starting, rights_on
from cityeval.discussions.forms import ThreadForm
from cityeval.discussions.queries import item_threads
from cityeval.evaluations.models import Evaluation, ItemValue

register = template.Library()


@register.inclusion_tag("discussions/_panel.html", takes_context=True)
def item_discussion(
    context: template.Context, evaluation: Evaluation, item: ItemValue, assessor: bool = False
) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    rights = rights_on(user, evaluation)
    # An assessor's page opens shared threads only; the region chooses.
    may_start = rights.post_shared if assessor else rights.starts
    asks_data = not assessor and may_ask_data(user, evaluation, item)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "evaluation": evaluation,
        "item": item,
        "threads": item_threads(user, evaluation, item),
        "rights": rights,
        "assessor": assessor,
        "start_form": ThreadForm(
            item=item, uploads=not assessor and may_upload_starting(user, evaluation, item)
        )
        if may_start
        else None,
        "asks_data": asks_data,
        "next": request.get_full_path(),
    }
