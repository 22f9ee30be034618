"""Small helpers the review views share."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from cityeval.evaluations.access import items_for
from cityeval.evaluations.models import Evaluation, ItemValue


def item_of(request: HttpRequest, evaluation: Evaluation, item_pk: int) -> ItemValue:
    """One item of the evaluation that this person sees; 404 otherwise."""
    for item in items_for(request.user, evaluation):
        if item.pk == item_pk:
            return item
    raise Http404
