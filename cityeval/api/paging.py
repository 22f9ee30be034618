"""Limit/offset pages with the total count, over a queryset with a stable order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models

from cityeval.api.schemas import Paging

M = TypeVar("M", bound=models.Model)


def page(
    rows: models.QuerySet[M], paging: Paging, present: Callable[[M], dict[str, Any]]
) -> dict[str, Any]:
    # The queryset is ordered by its callers, always ending with the primary key, so that a
    # row never appears on two pages or on none.
    count = rows.count()
    chosen = rows[paging.offset : paging.offset + paging.limit]
    return {
        "count": count,
        "limit": paging.limit,
        "offset": paging.offset,
        "results": [present(row) for row in chosen],
    }
