"""FAQ search on the database itself, no external service.

PostgreSQL: its full-text search (`to_tsvector`/`websearch_to_tsquery`, the `simple`
configuration: PostgreSQL ships no Indonesian stemmer, and `simple` lowercases and splits words
the same for both languages), ranked. SQLite: every word of the query must appear in the question
or the answer (LIKE); an FAQ holds tens to hundreds of entries per program, where an FTS5 table
with its triggers would cost more than it saves.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

from cityeval.help.models import FaqEntryQuerySet

MAX_WORDS = 12


def search(entries: FaqEntryQuerySet, query: str) -> FaqEntryQuerySet:
    words = query.split()[:MAX_WORDS]
    if not words:
        return entries
    if connection.vendor == "postgresql":
        vector = SearchVector("question", weight="A", config="simple") + SearchVector(
            "answer", weight="B", config="simple"
        )
        tsquery = SearchQuery(" ".join(words), search_type="websearch", config="simple")
        return (
            entries.annotate(document=vector, rank=SearchRank(vector, tsquery))
            .filter(document=tsquery)
            .order_by("-rank", "-published_at", "-id")
        )
    for word in words:
        entries = entries.filter(Q(question__icontains=word) | Q(answer__icontains=word))
    return entries
