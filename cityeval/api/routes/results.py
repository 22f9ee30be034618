"""Published results of a cycle: public data, open to any valid token.

Official ranks count published results only, on the figure as published (docs/decisions.md),
exactly as the public results page and the open-data exports rank them.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Path, Query, Router

from cityeval.api.auth import read_auth
from cityeval.api.errors import documented
from cityeval.api.schemas import MAX_ID, Paging, ResultPage
from cityeval.evaluations.models import Cycle
from cityeval.exports.builder import published_figure, rounding_places
from cityeval.frameworks.models import FrameworkNode
from cityeval.frameworks.tags import dimension_names
from cityeval.results.models import ResultSnapshot
from scoring.rank import competition_ranks

router = Router(auth=read_auth, tags=["hasil"])

Id = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get(
    "/cycles/{cycle_id}/results",
    summary="Hasil terbit satu siklus",
    response={200: ResultPage, **documented(404, 422)},
)
def list_results(request: HttpRequest, cycle_id: Id, paging: Query[Paging]) -> dict[str, Any]:
    """Hasil yang sudah dipublikasikan, urut peringkat resmi (lalu kode daerah)."""
    cycle = Cycle.objects.select_related("framework_version").filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404
    version = cycle.framework_version
    places = rounding_places(version)
    smart = list(dimension_names(version))
    snapshots = list(
        ResultSnapshot.objects.published()
        .filter(evaluation__cycle=cycle)
        .select_related("evaluation__region__province")
    )
    if not snapshots:
        raise Http404  # nothing published: the cycle's results do not exist for the public
    tree = list(FrameworkNode.objects.filter(version=version).order_by("sequence", "pk"))
    figures = {s.pk: published_figure(s.index, places) for s in snapshots}
    ranks = competition_ranks(figures)
    ordered = sorted(
        snapshots, key=lambda s: (ranks[s.pk] or 10**9, s.evaluation.region.code, s.pk)
    )
    chosen = ordered[paging.offset : paging.offset + paging.limit]
    return {
        "cycle_id": cycle.pk,
        "count": len(ordered),
        "limit": paging.limit,
        "offset": paging.offset,
        "results": [
            {
                "evaluation_id": s.evaluation_id,
                "region": {
                    "id": s.evaluation.region.pk,
                    "code": s.evaluation.region.code,
                    "full_name": s.evaluation.region.full_name,
                },
                "province": s.evaluation.region.province.name,
                "rank": ranks[s.pk],
                "index": _text(figures[s.pk]),
                "predicate": s.predicate,
                "dimensions": {
                    code: _text(published_figure(s.tag_indices.get(code), places)) for code in smart
                },
                "nodes": _nodes(tree, s.node_indices, places),
            }
            for s in chosen
        ],
    }


def _nodes(tree: list[FrameworkNode], stored: dict[str, Any], places: int) -> list[dict[str, Any]]:
    codes = {row.pk: row.code for row in tree}
    return [
        {
            "code": row.code,
            "name": row.name,
            "level": row.depth,
            "parent": codes.get(row.parent_id) if row.parent_id else None,
            "index": _text(published_figure(stored.get(row.code), places)),
        }
        for row in tree
    ]


def _text(value: object) -> str | None:
    return None if value is None else format(value, "f")
