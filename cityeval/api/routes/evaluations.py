"""Evaluations the caller sees and their items, through the same access helpers as the UI."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from cityeval.api import present
from cityeval.api.auth import read_auth
from cityeval.api.errors import documented
from cityeval.api.paging import page
from cityeval.api.schemas import (
    MAX_ID,
    EvaluationDetailOut,
    EvaluationFilter,
    EvaluationPage,
    ItemOut,
)
from cityeval.evaluations.access import (
    capabilities,
    evaluation_for,
    item_for,
    items_for,
    visible_evaluations,
)

router = Router(auth=read_auth, tags=["evaluasi"])

Id = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get(
    "/evaluations", summary="Daftar evaluasi", response={200: EvaluationPage, **documented(422)}
)
def list_evaluations(request: HttpRequest, filters: Query[EvaluationFilter]) -> dict[str, Any]:
    """Evaluasi yang boleh dilihat pemanggil, disaring per siklus, daerah atau status."""
    evaluations = visible_evaluations(request.user).order_by(
        "-cycle__year", "cycle__round", "cycle__program", "region__code", "pk"
    )
    if filters.cycle is not None:
        evaluations = evaluations.filter(cycle_id=filters.cycle)
    if filters.region:
        evaluations = evaluations.filter(region__code=filters.region)
    if filters.status:
        evaluations = evaluations.filter(status=filters.status)
    return page(evaluations, filters, present.evaluation)


@router.get(
    "/evaluations/{evaluation_id}",
    summary="Satu evaluasi dengan butirnya",
    response={200: EvaluationDetailOut, **documented(404, 422)},
)
def get_evaluation(request: HttpRequest, evaluation_id: Id) -> dict[str, Any]:
    """Satu evaluasi dengan butir yang boleh dilihat pemanggil (kontributor: butir OPD-nya)."""
    evaluation = evaluation_for(request.user, evaluation_id)
    visible = items_for(request.user, evaluation)
    return {
        **present.evaluation(evaluation),
        "capabilities": sorted(can.value for can in capabilities(request.user, evaluation)),
        "items": present.items(request.user, evaluation, visible),
    }


@router.get(
    "/items/{item_id}", summary="Satu butir", response={200: ItemOut, **documented(404, 422)}
)
def get_item(request: HttpRequest, item_id: Id) -> dict[str, Any]:
    """Satu butir, dengan versinya (kirim kembali versi ini saat mengubah)."""
    evaluation, item = item_for(request.user, item_id)
    return present.items(request.user, evaluation, [item])[0]
