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
from cityeval.frameworks.models import FrameworkNode
from cityeval.frameworks.tags import dimension_names
from cityeval.results.standings import Standing, published_standings

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
    smart = list(dimension_names(version))
    standings = published_standings(cycle)
    if not standings:
        raise Http404  # nothing published: the cycle's results do not exist for the public
    tree = list(FrameworkNode.objects.filter(version=version).order_by("sequence", "pk"))
    chosen = standings[paging.offset : paging.offset + paging.limit]
    return {
        "cycle_id": cycle.pk,
        "count": len(standings),
        "limit": paging.limit,
        "offset": paging.offset,
        "results": [
            {
                "evaluation_id": s.evaluation_id,
                "region": {"id": s.region_id, "code": s.region_code, "full_name": s.region},
                "province": s.province,
                "rank": s.rank,
                "index": _text(s.index),
                "predicate": s.predicate,
                "dimensions": {code: _text(s.tag_index(code)) for code in smart},
                "nodes": _nodes(tree, s),
            }
            for s in chosen
        ],
    }


def _nodes(tree: list[FrameworkNode], standing: Standing) -> list[dict[str, Any]]:
    codes = {row.pk: row.code for row in tree}
    return [
        {
            "code": row.code,
            "name": row.name,
            "level": row.depth,
            "parent": codes.get(row.parent_id) if row.parent_id else None,
            "index": _text(standing.node_index(row.code)),
        }
        for row in tree
    ]


def _text(value: object) -> str | None:
    return None if value is None else format(value, "f")
