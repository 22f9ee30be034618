"""Who may download and upload a region's self-assessment workbook."""

from __future__ import annotations

import pytest
from django.test import Client

from cityeval.evaluations.models import ItemValue
from tests.evaluations.workbook_helpers import client_for, download, edited, fill, upload
from tests.world import TeamWorld as World

pytestmark = pytest.mark.django_db

# Filling is for the region's coordinator and contributors; viewers and assessors read only.
EXPECTED = {
    "coordinator": 200,
    "contributor": 200,
    "roads_contributor": 200,
    "viewer": 403,
    "national_viewer": 403,
    "lead": 403,
    "admin": 403,
    "other_coordinator": 404,
    "other_contributor": 404,
    "stranger_assessor": 404,
}


@pytest.mark.parametrize("url", ["workbook.xlsx", "workbook/"])
@pytest.mark.parametrize(("who", "status"), EXPECTED.items())
def test_who_may_open_the_workbook(world: World, url: str, who: str, status: int) -> None:
    response = client_for(world.people[who]).get(f"/evaluations/{world.evaluation.pk}/{url}")
    assert response.status_code == status


@pytest.mark.parametrize("url", ["workbook.xlsx", "workbook/"])
def test_a_stranger_is_asked_to_sign_in(world: World, url: str) -> None:
    response = Client().get(f"/evaluations/{world.evaluation.pk}/{url}")
    assert response.status_code == 302
    assert "/login" in response["Location"] or "masuk" in response["Location"]


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("other_coordinator", 404)])
def test_only_fillers_may_upload_or_confirm(world: World, who: str, status: int) -> None:
    workbook = download(client_for(world.people["coordinator"]), world.evaluation)
    client = client_for(world.people[who])
    assert upload(client, world.evaluation, workbook).status_code == status
    confirm = client.post(f"/evaluations/{world.evaluation.pk}/workbook/confirm/", {"token": "x"})
    assert confirm.status_code == status


def test_another_regions_coordinator_cannot_confirm_a_preview_made_here(world: World) -> None:
    # The preview lives in the coordinator's session; the other coordinator's post is a 404.
    client = client_for(world.people["coordinator"])
    item = ItemValue.objects.filter(evaluation=world.evaluation, indicator__kind="maturity").first()
    assert item is not None
    response = upload(
        client,
        world.evaluation,
        edited(download(client, world.evaluation), fill(item.indicator.code, 2)),
    )
    other = client_for(world.people["other_coordinator"])
    url = f"/evaluations/{world.evaluation.pk}/workbook/confirm/"
    assert other.post(url, {"token": response.context["token"]}).status_code == 404
    assert ItemValue.objects.get(pk=item.pk).self_value is None


@pytest.mark.parametrize(("who", "shown"), [("coordinator", True), ("viewer", False)])
def test_the_overview_and_item_list_link_the_workbook(world: World, who: str, shown: bool) -> None:
    client = client_for(world.people[who])
    for page in ("", "items/"):
        content = client.get(f"/evaluations/{world.evaluation.pk}/{page}").content
        assert (b'data-testid="workbook"' in content) is shown
