"""Small helpers the review views share."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from cityeval.evaluations.access import items_for
from cityeval.evaluations.models import Evaluation, ItemValue


def item_of(request: HttpRequest, evaluation: Evaluation, item_pk: int) -> ItemValue:
    """One item of the evaluation that this person sees; 404 otherwise."""
    for item in items_for(request.user, evaluation):
        if item.pk == item_pk:
            return item
    raise Http404


def back_to(request: HttpRequest, fallback: str) -> str:
    """The page the form came from (same site only), else `fallback`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
