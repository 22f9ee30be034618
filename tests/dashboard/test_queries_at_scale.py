"""At national scale the pages' query counts stay fixed: the same builder as `demo_national`
(three published cycles) at 6 and at 40 regions gives the same counts on the internal and the
public dashboard (with and without filters) and on a published scorecard (read anonymously and
by the national viewer). `test_queries.py` and the scorecard tests hold the same at small,
hand-made sizes; this one uses realistic results (all items, engine scores, peer groups, teams).
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cityeval.accounts.models import User
from cityeval.evaluations.models import Evaluation
from cityeval.operations.demo.national import build_national
from cityeval.operations.demo.people import KUKAR

SMALL, LARGE = 6, 40


def queries(client: Client, url: str, params: dict[str, str] | None = None) -> int:
    client.get(url, params or {})  # session and language middleware warm up outside the count
    cache.clear()  # the count of a page drawn, not of one served from the cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def counts_at(size: int) -> dict[str, int]:
    """Build the set with `size` regions, count each page's queries, then roll the set back."""
    with transaction.atomic():
        summary = build_national(seed=5, regions=size)
        assert summary.regions == size
        viewer = Client()
        viewer.force_login(User.objects.get(username="pemantau.nasional"))
        anonymous = Client()
        card = reverse(
            "scorecards:scorecard",
            args=[Evaluation.objects.get(cycle__year=2020, region__code=KUKAR).pk],
        )
        filters = {"kind": "kabupaten", "peer_group": "auto-kabupaten"}
        found = {
            "internal dashboard": queries(viewer, reverse("dashboard:national")),
            "internal dashboard, filtered": queries(viewer, reverse("dashboard:national"), filters),
            "public dashboard": queries(anonymous, reverse("dashboard:public")),
            "public dashboard, filtered": queries(anonymous, reverse("dashboard:public"), filters),
            "scorecard, anonymous": queries(anonymous, card),
            "scorecard, national viewer": queries(viewer, card),
        }
        transaction.set_rollback(True)
    return found


@pytest.mark.django_db
def test_the_pages_make_as_many_queries_for_40_regions_as_for_6() -> None:
    few = counts_at(SMALL)
    many = counts_at(LARGE)

    assert few == many
    assert min(few.values()) > 0
