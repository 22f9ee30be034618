"""Good-practice search on the database itself, the approach of the FAQ (`help/search.py`).

PostgreSQL: full-text search (`simple` configuration: no Indonesian stemmer ships with it) over
the narrative, the item's name and the region's name, ranked. SQLite: every word must appear in
one of them (LIKE); the library holds hundreds of practices, not millions.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

from cityeval.library.models import GoodPracticeQuerySet

MAX_WORDS = 12


def search(practices: GoodPracticeQuerySet, query: str) -> GoodPracticeQuerySet:
    words = query.split()[:MAX_WORDS]
    if not words:
        return practices
    if connection.vendor == "postgresql":
        vector = (
            SearchVector("narrative", weight="A", config="simple")
            + SearchVector("indicator__name_id", weight="B", config="simple")
            + SearchVector("indicator__name_en", weight="B", config="simple")
            + SearchVector("region__full_name", weight="B", config="simple")
        )
        tsquery = SearchQuery(" ".join(words), search_type="websearch", config="simple")
        return (
            practices.annotate(document=vector, rank=SearchRank(vector, tsquery))
            .filter(document=tsquery)
            .order_by("-rank", "-shared_at", "-id")
        )
    for word in words:
        practices = practices.filter(
            Q(narrative__icontains=word)
            | Q(indicator__name_id__icontains=word)
            | Q(indicator__name_en__icontains=word)
            | Q(region__full_name__icontains=word)
        )
    return practices
