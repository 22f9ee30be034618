"""Writes through the API: the UI's services, access rules, locks and optimistic versions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cityeval.api.models import TokenScope
from cityeval.audit.models import AuditEntry
from cityeval.evaluations.models import Evaluation, EvaluationStatus, ItemValue, ReviewStatus
from cityeval.evidence.models import Evidence
from tests.world import TeamWorld as World


def _save(world: World, persona: str, item: ItemValue, **body: Any) -> Any:
    payload = {"value": 3, "narrative": "Sudah berjalan.", "version": item.version, **body}
    return world.api(persona).put(f"/items/{item.pk}/self-assessment", payload)


def test_a_contributor_saves_a_value_of_their_opd(world: World) -> None:
    item = world.item(world.health)
    response = _save(world, "contributor", item, value="4", narrative="Empat kecamatan.")
    assert response.status_code == 200
    body = response.json()
    assert body["self_value"] == "4"
    assert body["version"] == item.version + 1
    saved = world.fresh(item)
    assert saved.self_value == 4
    assert saved.narrative == "Empat kecamatan."
    assert saved.updated_by == world.people["contributor"]


def test_a_stale_version_is_409_with_the_current_value(world: World) -> None:
    item = world.item(world.health)
    assert _save(world, "coordinator", item, value=2).status_code == 200
    response = _save(world, "contributor", item, value=5)  # still the old version
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "stale_version"
    assert error["details"]["current_version"] == item.version + 1
    assert error["details"]["current"]["self_value"] == "2"
    assert world.fresh(item).self_value == 2


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("roads_contributor", 404),  # another OPD's item does not exist for them
        ("other_coordinator", 404),  # another region
        ("other_contributor", 404),
        ("viewer", 403),  # sees the item, may not fill
        ("lead", 403),
        ("national_viewer", 403),
    ],
)
def test_who_may_not_fill_gets_404_or_403(world: World, persona: str, status: int) -> None:
    item = world.item(world.health)
    response = _save(world, persona, item)
    assert response.status_code == status
    assert world.fresh(item).self_value is None


def test_a_submitted_evaluation_is_locked_409(in_review: World) -> None:
    item = in_review.item(in_review.health)
    response = _save(in_review, "contributor", item, value=5)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "workflow_refused"
    assert "Terkunci" in error["message"]


@pytest.mark.parametrize(
    ("value", "field"),
    [(7, "value"), ("2.5", "value"), ("abc", "value"), ([3], "value"), ("NaN", "value")],
)
def test_an_impossible_value_is_422(world: World, value: object, field: str) -> None:
    item = world.item(world.health)
    response = _save(world, "contributor", item, value=value)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"]["errors"][0]["loc"][-1] == field
    assert world.fresh(item).self_value is None


@pytest.mark.parametrize(
    "body",
    [
        {"value": 3, "narrative": ""},  # no version
        {"value": 3, "narrative": "", "version": "one"},
        {"value": 3, "narrative": 42, "version": 1},
        {"value": 3, "narrative": "a\x00b", "version": 1},
        {"value": 3, "narrative": "", "version": 1, "unexpected": True},
        [1, 2, 3],
        "just a string",
    ],
)
def test_wrong_types_are_422_in_the_error_shape(world: World, body: object) -> None:
    item = world.item(world.health)
    response = world.api("contributor").put(f"/items/{item.pk}/self-assessment", body)
    assert response.status_code == 422
    assert set(response.json()["error"]) == {"code", "message", "details"}


@pytest.mark.parametrize("raw", ["{", "{'value': 3}", "not json", '{"value": 3,}'])
def test_malformed_json_is_400_in_the_error_shape(world: World, raw: str) -> None:
    item = world.item(world.health)
    response = world.api("contributor").put(f"/items/{item.pk}/self-assessment", raw=raw)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_the_api_and_the_ui_write_the_same_audit_entry(world: World) -> None:
    by_api, by_ui = (
        world.item(world.health),
        list(ItemValue.objects.filter(opd=world.health).order_by("id"))[1],
    )
    assert _save(world, "contributor", by_api, value=4, narrative="N").status_code == 200
    browser = Client()
    browser.force_login(world.people["contributor"])
    response = browser.post(
        f"/evaluations/{world.evaluation.pk}/items/{by_ui.pk}/",
        {"value": "4", "narrative": "N", "version": by_ui.version},
    )
    assert response.status_code == 302
    api_entry = AuditEntry.objects.for_target(by_api).get(action="item.self_assessment")
    ui_entry = AuditEntry.objects.for_target(by_ui).get(action="item.self_assessment")
    fields = ["actor_id", "action", "before", "after", "evaluation_id", "region_id", "note"]
    assert [getattr(api_entry, f) for f in fields] == [getattr(ui_entry, f) for f in fields]


# ----- evidence links -----


def test_a_contributor_adds_and_removes_a_link(world: World) -> None:
    item = world.item(world.health)
    client = world.api("contributor")
    added = client.post(
        f"/items/{item.pk}/evidence-links",
        {"url": "https://kukarkab.go.id/perda", "description": "Perda"},
    )
    assert added.status_code == 201
    evidence_id = added.json()["id"]
    assert added.json()["kind"] == "link"
    listed = client.get(f"/items/{item.pk}").json()["evidence"]
    assert [row["id"] for row in listed] == [evidence_id]
    again = client.post(f"/items/{item.pk}/evidence-links", {"url": "https://kukarkab.go.id/perda"})
    assert again.status_code == 409
    removed = client.delete(f"/evidence/{evidence_id}")
    assert removed.status_code == 200
    assert removed.json()["removed_at"] is not None
    assert client.delete(f"/evidence/{evidence_id}").status_code == 409
    actions = list(
        AuditEntry.objects.filter(target_type="evidence.evidence", target_id=str(evidence_id))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["evidence.add", "evidence.remove"]


@pytest.mark.parametrize("url", ["ftp://x.id/a", "javascript:alert(1)", "kukarkab.go.id", ""])
def test_a_bad_link_is_422(world: World, url: str) -> None:
    item = world.item(world.health)
    response = world.api("contributor").post(f"/items/{item.pk}/evidence-links", {"url": url})
    assert response.status_code == 422
    assert not Evidence.objects.exists()


def test_evidence_of_another_region_is_404(world: World) -> None:
    theirs = world.item(evaluation=world.other)
    added = world.api("other_coordinator").post(
        f"/items/{theirs.pk}/evidence-links", {"url": "https://semarangkota.go.id/"}
    )
    assert added.status_code == 201
    assert world.api("coordinator").delete(f"/evidence/{added.json()['id']}").status_code == 404
    assert (
        world.api("coordinator")
        .post(f"/items/{theirs.pk}/evidence-links", {"url": "https://a.id/"})
        .status_code
        == 404
    )


def test_a_viewer_may_not_add_evidence(world: World) -> None:
    item = world.item(world.health)
    response = world.api("viewer").post(
        f"/items/{item.pk}/evidence-links", {"url": "https://a.id/"}
    )
    assert response.status_code == 403


# ----- verdicts -----


def _verdict(world: World, persona: str, item: ItemValue, **body: Any) -> Any:
    payload = {"decision": "accept", "version": item.version, **body}
    return world.api(persona).post(f"/items/{item.pk}/verdict", payload)


def test_the_lead_accepts_and_a_member_adjusts(in_review: World) -> None:
    first, second = list(
        ItemValue.objects.filter(evaluation=in_review.evaluation, self_value__isnull=False)
        .select_related("indicator")
        .order_by("id")
    )[:2]
    accepted = _verdict(in_review, "lead", first)
    assert accepted.status_code == 200
    assert accepted.json()["review_status"] == ReviewStatus.ACCEPTED
    assert accepted.json()["verified_value"] == "3"
    adjusted = _verdict(
        in_review, "member", second, decision="adjust", verified_value=2, reason="Baru rencana."
    )
    assert adjusted.status_code == 200
    assert in_review.fresh(second).verified_value == 2
    assert in_review.fresh(second).review_note == "Baru rencana."
    audit = AuditEntry.objects.for_target(second).get(action="item.review.adjust")
    assert audit.actor == in_review.people["member"]


def test_a_stale_verdict_is_409(in_review: World) -> None:
    item = ItemValue.objects.filter(
        evaluation=in_review.evaluation, self_value__isnull=False
    ).first()
    assert item is not None
    assert _verdict(in_review, "lead", item).status_code == 200
    stale = _verdict(
        in_review, "member", item, decision="adjust", verified_value=1, reason="Tidak ada bukti."
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["details"]["current"]["review_status"] == "accepted"
    assert in_review.fresh(item).verified_value == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "adjust", "reason": "x"}, "verified_value"),
        ({"decision": "adjust", "verified_value": 2, "reason": "  "}, "reason"),
        ({"decision": "adjust", "verified_value": 9, "reason": "x"}, "verified_value"),
        ({"decision": "maybe"}, "decision"),
    ],
)
def test_an_incomplete_verdict_is_422(in_review: World, body: dict[str, Any], field: str) -> None:
    item = ItemValue.objects.filter(
        evaluation=in_review.evaluation, self_value__isnull=False
    ).first()
    assert item is not None
    response = _verdict(in_review, "lead", item, **body)
    assert response.status_code == 422
    assert response.json()["error"]["details"]["errors"][0]["loc"][-1] == field
    assert in_review.fresh(item).review_status == ReviewStatus.PENDING


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 403), ("viewer", 403), ("stranger_assessor", 404), ("contributor", 403)],
)
def test_only_the_team_gives_verdicts(in_review: World, persona: str, status: int) -> None:
    item = in_review.item(in_review.health)
    assert _verdict(in_review, persona, item).status_code == status


def test_a_verdict_outside_the_review_is_409(world: World) -> None:
    item = world.item(world.health)
    ItemValue.objects.filter(pk=item.pk).update(self_value=3)
    response = _verdict(world, "lead", world.fresh(item))
    assert response.status_code == 409
    assert world.evaluation.status == EvaluationStatus.SELF_ASSESSMENT


def test_an_api_verdict_and_a_ui_verdict_leave_the_same_audit_entry(in_review: World) -> None:
    by_api, by_ui = list(
        ItemValue.objects.filter(evaluation=in_review.evaluation, self_value__isnull=False)
        .select_related("indicator")
        .order_by("id")
    )[:2]
    body = {"decision": "adjust", "verified_value": 2, "reason": "Baru rencana."}
    assert _verdict(in_review, "lead", by_api, **body).status_code == 200
    browser = Client()
    browser.force_login(in_review.people["lead"])
    response = browser.post(
        f"/review/{in_review.evaluation.pk}/items/{by_ui.pk}/",
        {"action": "adjust", "value": "2", "reason": "Baru rencana.", "version": by_ui.version},
    )
    assert response.status_code == 302
    api_entry = AuditEntry.objects.for_target(by_api).get(action="item.review.adjust")
    ui_entry = AuditEntry.objects.for_target(by_ui).get(action="item.review.adjust")
    fields = ["actor_id", "action", "before", "after", "evaluation_id", "region_id", "note"]
    assert [getattr(api_entry, f) for f in fields] == [getattr(ui_entry, f) for f in fields]


# ----- submitting the self-assessment -----


def _submit(world: World, persona: str, scope: TokenScope = TokenScope.READ_WRITE) -> Any:
    return world.api(persona, scope).post(f"/evaluations/{world.evaluation.pk}/submit")


def test_the_coordinator_submits_through_the_pages_service(world: World) -> None:
    response = _submit(world, "coordinator")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == world.evaluation.pk
    assert body["status"] == EvaluationStatus.SUBMITTED
    assert body["submitted_at"] is not None
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == EvaluationStatus.SUBMITTED
    entry = AuditEntry.objects.get(
        evaluation=world.evaluation, action="evaluation.status.submitted"
    )
    assert entry.actor == world.people["coordinator"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("contributor", 403),
        ("viewer", 403),
        ("lead", 403),
        ("admin", 403),
        ("other_coordinator", 404),
        ("other_contributor", 404),
        ("stranger_assessor", 404),
        ("anonymous", 401),
    ],
)
def test_only_the_regions_coordinator_may_submit(world: World, persona: str, status: int) -> None:
    response = _submit(world, persona)
    assert response.status_code == status
    assert response.json()["error"]["code"]
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == EvaluationStatus.SELF_ASSESSMENT


def test_a_read_only_token_may_not_submit(world: World) -> None:
    response = _submit(world, "coordinator", TokenScope.READ)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == EvaluationStatus.SELF_ASSESSMENT


def test_submitting_twice_is_a_refused_transition(world: World) -> None:
    assert _submit(world, "coordinator").status_code == 200
    submitted_at = Evaluation.objects.get(pk=world.evaluation.pk).submitted_at
    response = _submit(world, "coordinator")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "workflow_refused"
    assert error["message"]
    assert Evaluation.objects.get(pk=world.evaluation.pk).submitted_at == submitted_at


def test_submit_takes_post_only(world: World) -> None:
    response = world.api("coordinator").get(f"/evaluations/{world.evaluation.pk}/submit")
    assert response.status_code == 405
