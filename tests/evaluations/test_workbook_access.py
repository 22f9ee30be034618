"""Who may download and upload a region's self-assessment workbook."""

from __future__ import annotations

import pytest

from cityeval.evaluations.models import ItemValue
from tests.evaluations.workbook_helpers import client_for, download, edited, fill, upload
from tests.matrix import Row, check
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


ROWS = [
    Row(f"evaluations:{name}", lambda w: [w.evaluation.pk], {**EXPECTED, "anonymous": 302})
    for name in ["workbook_download", "workbook"]
]


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_who_may_open_the_workbook(world: World, row: Row) -> None:
    """Every persona, the stranger asked to sign in (tests/matrix.py)."""
    check(row, world, [*EXPECTED, "anonymous"])


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
