"""The good-practice library (issue #12 §4): a coordinator shares an item of a PUBLISHED result,
every signed-in person finds it, wrong hands get 404/403, an admin hides, a reopened result
takes its practices off the list; the program library and the peer comparison."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import Evaluation, EvaluationStatus, ItemValue
from cityeval.evidence.models import Evidence
from cityeval.library.models import GoodPractice
from cityeval.library.services import hide_practice, share_practice, withdraw_practice
from cityeval.masterplans.models import Program, ProgramYear
from cityeval.notifications.models import Notification
from cityeval.regions.models import PeerGroup
from cityeval.reports.services import reopen_evaluation
from cityeval.results.models import ResultSnapshot
from tests.world import World, stored_file

pytestmark = pytest.mark.django_db

NARRATIVE = "Mal pelayanan publik terpadu TENGGARONGQZ dengan antrean daring."


def published_items(w: World, evaluation: Evaluation | None = None) -> list[ItemValue]:
    return list(
        ItemValue.objects.filter(evaluation=evaluation or w.published, indicator__kind="maturity")
        .select_related("indicator", "evaluation__region")
        .order_by("indicator__sequence")
    )


def shared(
    w: World, item: ItemValue | None = None, files: list[Evidence] | None = None
) -> GoodPractice:
    item = item or published_items(w)[0]
    return share_practice(
        item=item,
        narrative=NARRATIVE,
        evidence_ids=[e.pk for e in files or []],
        user=w.people["coordinator_a"],
    )


# ----- sharing: the coordinator, a published result, the item's own evidence -----


def test_coordinator_shares_an_item_through_the_page(shared_world: World) -> None:
    w = shared_world
    item = published_items(w)[0]
    evidence = stored_file(item)
    page = w.client("coordinator_a").get(reverse("library:share", args=[item.pk]))
    assert page.status_code == 200
    assert 'data-testid="share-form"' in page.content.decode()
    response = w.client("coordinator_a").post(
        reverse("library:share", args=[item.pk]),
        {"narrative": NARRATIVE, "evidence": [str(evidence.pk)]},
    )
    practice = GoodPractice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("library:detail", args=[practice.pk])
    snapshot = ResultSnapshot.objects.published().get(evaluation=w.published)
    assert practice.snapshot == snapshot
    assert practice.level == Decimal(str(snapshot.inputs[item.indicator.code]))
    assert practice.dimension
    assert practice.dimension_name
    assert list(practice.evidence.all()) == [evidence]
    entry = AuditEntry.objects.get(action="library.practice.shared")
    assert entry.after is not None
    assert entry.after["evidence"] == [evidence.pk]
    assert entry.region_id == w.region_a.pk


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator_b", 404),  # another region's item does not exist for them
        ("assessor_b", 404),
        ("contributor_a", 403),  # a contributor of the region does not opt in
        ("viewer_a", 403),
        ("admin", 403),  # the region opts in, not the ministry
        ("anonymous", 302),
    ],
)
def test_wrong_hands_cannot_share(shared_world: World, persona: str, status: int) -> None:
    w = shared_world
    item = published_items(w)[0]
    ItemValue.objects.filter(pk=item.pk).update(opd=w.health)  # contributor_a's own item
    response = w.client(persona).post(
        reverse("library:share", args=[item.pk]), {"narrative": NARRATIVE}
    )
    assert response.status_code == status
    assert not GoodPractice.objects.exists()


def test_an_unpublished_result_cannot_be_shared(shared_world: World) -> None:
    w = shared_world
    for evaluation in (w.reviewing, w.running):
        item = published_items(w, evaluation)[0]
        page = w.client("coordinator_a").get(reverse("library:share", args=[item.pk]))
        assert 'data-testid="not-published"' in page.content.decode()
        w.client("coordinator_a").post(
            reverse("library:share", args=[item.pk]), {"narrative": NARRATIVE}
        )
        with pytest.raises(WorkflowError):
            shared(w, item)
    # B's 2023 result is final but not published: its coordinator cannot share it either.
    item_b = published_items(w, w.finalised_b)[0]
    response = w.client("coordinator_b").post(
        reverse("library:share", args=[item_b.pk]), {"narrative": NARRATIVE}
    )
    assert response.status_code == 200
    assert not GoodPractice.objects.exists()


def test_only_the_items_own_evidence_can_be_shared(shared_world: World) -> None:
    w = shared_world
    first, second = published_items(w)[:2]
    elsewhere = stored_file(second)
    with pytest.raises(WorkflowError):
        shared(w, first, [elsewhere])
    with pytest.raises(WorkflowError):
        shared(w, first, [w.evidence_file])  # another evaluation's item
    assert not GoodPractice.objects.exists()


def test_an_item_is_shared_once_and_an_empty_narrative_is_refused(shared_world: World) -> None:
    w = shared_world
    item = published_items(w)[0]
    with pytest.raises(WorkflowError):
        share_practice(item=item, narrative="  ", evidence_ids=[], user=w.people["coordinator_a"])
    shared(w, item)
    with pytest.raises(WorkflowError):
        shared(w, item)
    assert GoodPractice.objects.count() == 1


# ----- finding it: every signed-in person; hidden, withdrawn and reopened are not listed -----


def test_another_region_finds_the_practice_and_its_file(shared_world: World) -> None:
    w = shared_world
    item = published_items(w)[0]
    evidence = stored_file(item)
    practice = shared(w, item, [evidence])
    client = w.client("coordinator_b")
    page = client.get(reverse("library:index"), {"item": item.indicator.code})
    assert NARRATIVE[:40] in page.content.decode()
    detail = client.get(reverse("library:detail", args=[practice.pk]))
    assert detail.status_code == 200
    download = client.get(reverse("library:file", args=[practice.pk, evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    # The same file through the evidence download stays A's own: B gets 404 there.
    assert client.get(reverse("evidence:download", args=[evidence.pk])).status_code == 404


def test_a_file_not_chosen_is_not_served_through_the_library(shared_world: World) -> None:
    w = shared_world
    item = published_items(w)[0]
    chosen, kept = stored_file(item, "dipilih.pdf"), stored_file(item, "tidak.pdf")
    practice = shared(w, item, [chosen])
    client = w.client("coordinator_b")
    assert client.get(reverse("library:file", args=[practice.pk, kept.pk])).status_code == 404
    assert (
        client.get(reverse("library:file", args=[practice.pk, w.evidence_file.pk])).status_code
        == 404
    )


def test_anonymous_is_sent_to_sign_in(shared_world: World) -> None:
    w = shared_world
    practice = shared(w)
    for url in (
        reverse("library:index"),
        reverse("library:detail", args=[practice.pk]),
        reverse("library:programs"),
        reverse("library:peers", args=[w.region_a.pk]),
    ):
        assert w.client("anonymous").get(url).status_code == 302


def _listed_for(w: World, persona: str) -> str:
    return w.client(persona).get(reverse("library:index")).content.decode()


def test_admin_hides_with_a_reason_and_the_region_hears_of_it(shared_world: World) -> None:
    w = shared_world
    practice = shared(w)
    url = reverse("library:hide", args=[practice.pk])
    assert w.client("coordinator_a").post(url, {"reason": "x"}).status_code == 403
    assert w.client("coordinator_b").post(url, {"reason": "x"}).status_code == 403
    w.client("admin").post(url, {"reason": ""})
    practice.refresh_from_db()
    assert practice.hidden_at is None  # no reason, nothing hidden
    w.client("admin").post(url, {"reason": "Memuat data pribadi warga."})
    practice.refresh_from_db()
    assert practice.hidden_reason == "Memuat data pribadi warga."
    entry = AuditEntry.objects.get(action="library.practice.hidden")
    assert entry.note == "Memuat data pribadi warga."
    assert Notification.objects.filter(
        kind="practice_hidden", recipient=w.people["coordinator_a"]
    ).exists()
    for persona in ("coordinator_b", "viewer_b", "national_viewer", "contributor_a"):
        assert NARRATIVE[:40] not in _listed_for(w, persona), persona
        detail = w.client(persona).get(reverse("library:detail", args=[practice.pk]))
        assert detail.status_code == 404, persona
    # Its own coordinator and the admin still read it, marked as hidden.
    for persona in ("coordinator_a", "admin"):
        detail = w.client(persona).get(reverse("library:detail", args=[practice.pk]))
        assert 'data-testid="not-listed"' in detail.content.decode()


def test_hiding_is_the_admins_in_the_service_too(shared_world: World) -> None:
    w = shared_world
    practice = shared(w)
    with pytest.raises(WorkflowError):
        hide_practice(practice=practice, reason="r", user=w.people["coordinator_a"])


def test_the_coordinator_withdraws_and_others_cannot(shared_world: World) -> None:
    w = shared_world
    practice = shared(w)
    url = reverse("library:withdraw", args=[practice.pk])
    assert w.client("contributor_a").post(url).status_code == 403
    assert w.client("coordinator_b").post(url).status_code == 403
    assert w.client("coordinator_a").post(url).status_code == 302
    practice.refresh_from_db()
    assert practice.withdrawn_at is not None
    assert AuditEntry.objects.filter(action="library.practice.withdrawn").exists()
    assert NARRATIVE[:40] not in _listed_for(w, "coordinator_b")
    with pytest.raises(WorkflowError):
        withdraw_practice(practice=practice, user=w.people["coordinator_a"])
    shared(w)  # shared again after withdrawing


def test_a_reopened_result_takes_its_practices_off_the_list(shared_world: World) -> None:
    w = shared_world
    practice = shared(w)
    assert NARRATIVE[:40] in _listed_for(w, "coordinator_b")
    reopen_evaluation(evaluation=w.published, user=w.people["admin"], reason="Periksa ulang.")
    assert not GoodPractice.objects.listed().exists()
    assert NARRATIVE[:40] not in _listed_for(w, "coordinator_b")
    assert (
        w.client("coordinator_b").get(reverse("library:detail", args=[practice.pk])).status_code
        == 404
    )


# ----- search and filters, on SQLite and PostgreSQL -----


def test_search_and_filters_find_the_practice(shared_world: World) -> None:
    w = shared_world
    item = published_items(w)[0]
    practice = shared(w, item)
    level = int(practice.level or 0)
    found = {
        "q": "tenggarongqz antrean",
        "item": item.indicator.code,
        "dimension": practice.dimension,
        "level": str(level),
        "kind": "kabupaten",
        "province": w.region_a.province.code,
        "region": w.region_a.code,
    }
    missed = {
        "q": "tenggarongqz tidakadaqz",
        "item": "X-0",
        "dimension": "NOPE",
        "level": str(level + 1 if level < 5 else level - 1),
        "kind": "kota",
        "province": w.region_b.province.code,
        "region": w.region_b.code,
    }
    client = w.client("viewer_b")
    for key, value in found.items():
        assert (
            NARRATIVE[:40] in client.get(reverse("library:index"), {key: value}).content.decode()
        ), key
    for key, value in missed.items():
        assert (
            NARRATIVE[:40]
            not in client.get(reverse("library:index"), {key: value}).content.decode()
        ), key
    group = PeerGroup.objects.create(code="uji-kab", name="Kabupaten uji")
    group.regions.add(w.region_a)
    other = PeerGroup.objects.create(code="uji-kota", name="Kota uji")
    other.regions.add(w.region_b)
    assert (
        NARRATIVE[:40]
        in client.get(reverse("library:index"), {"peer_group": "uji-kab"}).content.decode()
    )
    assert (
        NARRATIVE[:40]
        not in client.get(reverse("library:index"), {"peer_group": "uji-kota"}).content.decode()
    )


def test_each_rubric_level_links_to_the_library_at_that_level(shared_world: World) -> None:
    w = shared_world
    item = w.item
    page = w.client("contributor_a").get(reverse("evaluations:item", args=[w.running.pk, item.pk]))
    html = page.content.decode()
    for level in item.indicator.levels:
        assert f"/pustaka/?item={item.indicator.code}&amp;level={level}" in html


def test_the_item_page_offers_sharing_to_the_coordinator_of_a_published_result(
    shared_world: World,
) -> None:
    w = shared_world
    item = published_items(w)[0]
    url = reverse("evaluations:item", args=[w.published.pk, item.pk])
    assert 'data-testid="share-practice"' in w.client("coordinator_a").get(url).content.decode()
    assert 'data-testid="share-practice"' not in w.client("viewer_a").get(url).content.decode()
    running = reverse("evaluations:item", args=[w.running.pk, w.item.pk])
    assert (
        'data-testid="share-practice"'
        not in w.client("coordinator_a").get(running).content.decode()
    )


# ----- constant query counts at two sizes -----


def _queries(w: World, url: str) -> int:
    client = w.client("coordinator_b")
    client.get(url)  # warm caches (session, framework)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_library_reads_a_constant_number_of_queries(shared_world: World) -> None:
    w = shared_world
    items = published_items(w)
    for item in items[:2]:
        shared(w, item, [stored_file(item)])
    small = _queries(w, reverse("library:index"))
    for item in items[2:14]:
        shared(w, item, [stored_file(item)])
    assert GoodPractice.objects.listed().count() == 14
    assert _queries(w, reverse("library:index")) == small


def test_the_program_library_reads_a_constant_number_of_queries(shared_world: World) -> None:
    w = shared_world
    small = _queries(w, reverse("library:programs"))
    for number in range(12):
        program = Program.objects.create(
            masterplan=w.masterplan,
            code=f"UJI-{number}",
            name=f"Program uji {number}",
            dimension="GOV",
            element="GOV-PS",
            owner=w.health,
            budget=Decimal(10) ** (6 + number % 6),
            start_year=2021,
            end_year=2024,
        )
        ProgramYear.objects.create(program=program, year=2023, status="running")
    assert _queries(w, reverse("library:programs")) == small


# ----- the program library -----


def test_the_program_library_shows_bands_not_budgets_and_filters(shared_world: World) -> None:
    w = shared_world
    ProgramYear.objects.create(program=w.program, year=2023, status="running", progress=40)
    client = w.client("coordinator_b")
    html = client.get(reverse("library:programs")).content.decode()
    assert "Layanan publik terpadu" in html
    assert "1.000.000.000" not in html
    assert "1000000000" not in html
    assert "Rp 1–10 miliar" in html
    assert "Berjalan" in html
    for query, present in [
        ({"status": "running"}, True),
        ({"status": "planned"}, False),
        ({"band": "1-10"}, True),
        ({"band": "lt1"}, False),
        ({"q": "publik"}, True),
        ({"quick_win": "1"}, False),
        ({"kind": "kota"}, False),
        ({"dimension": "GOV"}, True),
    ]:
        found = client.get(reverse("library:programs"), query).content.decode()
        assert ("Layanan publik terpadu" in found) is present, query


# ----- peer comparison: published figures only -----


def _peer_group(w: World) -> PeerGroup:
    group = PeerGroup.objects.create(code="uji", name="Kelompok uji")
    group.regions.add(w.region_a, w.region_b)
    return group


def test_peers_show_published_figures_only(shared_world: World) -> None:
    w = shared_world
    _peer_group(w)
    a = ResultSnapshot.objects.published().get(evaluation=w.published)
    b = ResultSnapshot.objects.current().get(evaluation=w.finalised_b)  # final, not published
    url = reverse("library:peers", args=[w.region_a.pk])
    for persona in ("coordinator_a", "contributor_a", "lead_a", "admin"):
        html = w.client(persona).get(url, {"cycle": w.published_cycle.pk}).content.decode()
        places = 2
        shown_a = f"{a.index:.{places}f}".replace(".", ",")
        shown_b = f"{b.index:.{places}f}".replace(".", ",")
        assert shown_a in html, persona
        # B's unpublished result, even for the ministry: its row says so and shows no figure.
        rows = [row for row in html.split("<tr") if "Kota Semarang" in row]
        assert rows, persona
        for row in rows:
            assert "belum dipublikasikan" in row, persona
            assert shown_b not in row, persona
            assert "<td>" not in row.split("</td>", 1)[1], persona


# An assessor of another team reads region A's own pages no more than its masterplan.
@pytest.mark.parametrize("persona", ["coordinator_b", "contributor_b", "viewer_b", "assessor_b"])
def test_another_region_does_not_open_a_regions_comparison(
    shared_world: World, persona: str
) -> None:
    w = shared_world
    assert w.client(persona).get(reverse("library:peers", args=[w.region_a.pk])).status_code == 404


def test_regions_that_improved_most_link_to_their_practices(shared_world: World) -> None:
    w = shared_world
    _peer_group(w)
    # Set-up: B's 2023 result published, and a better published 2024 Tahap I result.
    Evaluation.objects.filter(pk=w.finalised_b.pk).update(status=EvaluationStatus.PUBLISHED)
    before = ResultSnapshot.objects.published().get(evaluation=w.finalised_b)
    ResultSnapshot.objects.create(
        evaluation=w.reviewing_b,
        framework_version=before.framework_version,
        index=before.index + Decimal("0.5"),
        predicate=before.predicate,
        node_indices=before.node_indices,
        tag_indices=before.tag_indices,
        inputs=before.inputs,
    )
    Evaluation.objects.filter(pk=w.reviewing_b.pk).update(status=EvaluationStatus.PUBLISHED)
    item_b = published_items(w, w.finalised_b)[0]
    share_practice(
        item=item_b, narrative="Praktik Semarang.", evidence_ids=[], user=w.people["coordinator_b"]
    )
    html = (
        w.client("coordinator_a")
        .get(reverse("library:peers", args=[w.region_a.pk]), {"cycle": w.review_cycle.pk})
        .content.decode()
    )
    improved = html.split('data-testid="most-improved"')[1]
    assert "Kota Semarang" in improved
    assert "+0,50" in improved
    assert f"/pustaka/?region={w.region_b.code}" in improved


def test_chosen_regions_replace_the_peer_group(shared_world: World) -> None:
    w = shared_world
    html = (
        w.client("coordinator_a")
        .get(
            reverse("library:peers", args=[w.region_a.pk]),
            {"cycle": str(w.published_cycle.pk), "regions": w.region_b.code},
        )
        .content.decode()
    )
    assert "Kota Semarang" in html
    assert "Dibandingkan dengan daerah pilihan" in html
