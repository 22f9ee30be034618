"""Reads the item pages, the thread page and the home page share (a fixed number of queries)."""

from __future__ import annotations

from django.db.models import Count, Prefetch

from cityeval.accounts.access import AnyUser, scope_of
from cityeval.discussions.access import visible_threads
from cityeval.discussions.models import DataRequest, Post, Thread
from cityeval.evaluations.models import Evaluation, ItemValue


def posts() -> Prefetch:  # type: ignore[type-arg]
    return Prefetch(
        "posts",
        queryset=Post.objects.select_related("author", "attachment").annotate(
            edits=Count("revisions")
        ),
    )


def item_threads(user: AnyUser, evaluation: Evaluation, item: ItemValue) -> list[Thread]:
    """The threads of one item this person may read, open ones first, with their posts.

    The page already holds the item and its evaluation: they are set on each thread rather
    than joined again (with the indicator's rubrics) for every thread."""
    threads = list(
        visible_threads(user, evaluation)
        .filter(item=item)
        .select_related("data_request__to_opd")
        .prefetch_related(posts())
        .order_by("resolved_at", "-created_at", "-pk")
    )
    for thread in threads:
        thread.item, thread.evaluation = item, evaluation
    return threads


def open_requests_for(user: AnyUser) -> list[DataRequest]:
    """Open data requests addressed to the person's OPDs, the nearest due date first."""
    opds = scope_of(user).contributor_opds
    if not opds:
        return []
    return list(
        DataRequest.objects.open()
        .filter(to_opd_id__in=opds)
        .select_related(
            "from_opd", "to_opd", "thread__item__indicator", "thread__evaluation__region"
        )
        .order_by("due_on", "pk")
    )
