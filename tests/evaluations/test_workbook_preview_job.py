"""The workbook's preview runs as a job (`workbooks/queued.py`): the request keeps the file and
answers at once, the preview page shows the job's state and then the preview, only its uploader
sees it, and the kept file goes once it is confirmed, replaced, refused or the job failed."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client, TestCase

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.models import ItemValue
from cityeval.evaluations.services import save_self_assessment
from cityeval.jobs import kept, runner
from cityeval.jobs.models import Job, JobStatus
from cityeval.masterplans.upload import MAX_UPLOAD_BYTES
from cityeval.workbooks import queued
from tests.evaluations.workbook_helpers import (
    client_for,
    confirm,
    download,
    edited,
    fill,
    refusals,
    upload,
)
from tests.world import TeamWorld as World

pytestmark = pytest.mark.django_db


def kept_files() -> list[Path]:
    return [p for p in (Path(settings.MEDIA_ROOT) / "imports").glob("*") if p.is_file()]


def item_of(world: World) -> ItemValue:
    item = ItemValue.objects.filter(evaluation=world.evaluation, indicator__kind="maturity").first()
    assert item is not None
    return item


def filled(client: Client, world: World, item: ItemValue, value: int = 2) -> bytes:
    return edited(download(client, world.evaluation), fill(item.indicator.code, value))


def post(client: Client, world: World, content: bytes) -> Any:
    file = io.BytesIO(content)
    file.name = "isian.xlsx"
    return client.post(f"/evaluations/{world.evaluation.pk}/workbook/", {"file": file})


def queue_only(client: Client, world: World, content: bytes) -> tuple[str, list[Callable[[], Any]]]:
    """Upload without running the job: (the preview page, the callbacks that run it)."""
    with TestCase.captureOnCommitCallbacks(execute=False) as at_commit:
        response = post(client, world, content)
    assert response.status_code == 302, response
    return str(response["Location"]), list(at_commit)


def test_the_upload_only_queues_and_the_page_shows_the_state_then_the_preview(
    world: World,
) -> None:
    client = client_for(world.people["coordinator"])
    item = item_of(world)
    page, at_commit = queue_only(client, world, filled(client, world, item))
    job = Job.objects.get(kind=queued.KIND)
    assert job.status == JobStatus.QUEUED
    assert job.result == {}
    assert len(kept_files()) == 1
    waiting = client.get(page)
    assert waiting.context["preview"] is None
    assert waiting.context["token"] == ""
    assert 'data-preview-state="queued"' in waiting.content.decode()
    assert 'http-equiv="refresh"' in waiting.content.decode()
    for callback in at_commit:
        callback()
    shown = client.get(page)
    assert 'http-equiv="refresh"' not in shown.content.decode()
    assert [c.item.pk for c in shown.context["preview"].changes] == [item.pk]
    assert shown.context["token"]
    assert len(kept_files()) == 1  # kept until the preview is confirmed
    done = confirm(client, world.evaluation, shown.context["token"])
    assert done.status_code == 302
    assert ItemValue.objects.get(pk=item.pk).self_value == 2
    assert Job.objects.get(pk=job.pk).result["used"] is True
    assert kept_files() == []
    assert client.get(page).context["token"] == ""  # a used preview offers no confirm


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("contributor", 404),  # fills this evaluation too, but did not upload this file
        ("other_coordinator", 404),
        ("viewer", 403),
    ],
)
def test_the_preview_page_is_the_uploaders_alone(world: World, who: str, status: int) -> None:
    client = client_for(world.people["coordinator"])
    shown = upload(client, world.evaluation, filled(client, world, item_of(world)))
    assert shown.status_code == 200
    assert shown.context["token"]
    page = shown.request["PATH_INFO"]
    assert client_for(world.people[who]).get(page).status_code == status
    assert Client().get(page).status_code == 302  # anonymous: asked to sign in


def test_another_kind_of_job_is_not_a_preview(world: World) -> None:
    client = client_for(world.people["coordinator"])
    job = Job.objects.create(
        kind="masterplan_import",
        key="import:masterplan:x",
        status=JobStatus.DONE,
        params={"evaluation": world.evaluation.pk, "user": world.people["coordinator"].pk},
    )
    url = f"/evaluations/{world.evaluation.pk}/workbook/preview/{job.pk}/"
    assert client.get(url).status_code == 404


def test_another_persons_token_does_not_confirm_their_preview(world: World) -> None:
    coordinator = client_for(world.people["coordinator"])
    item = item_of(world)
    shown = upload(coordinator, world.evaluation, filled(coordinator, world, item))
    colleague = client_for(world.people["contributor"])
    done = confirm(colleague, world.evaluation, shown.context["token"])
    assert done.status_code == 302
    assert ItemValue.objects.get(pk=item.pk).self_value is None
    assert shown.context["job"].pk == Job.objects.get(kind=queued.KIND).pk
    assert Job.objects.get(kind=queued.KIND).result["used"] is False


def test_a_newer_upload_replaces_the_earlier_preview(world: World) -> None:
    client = client_for(world.people["coordinator"])
    item = item_of(world)
    first = upload(client, world.evaluation, filled(client, world, item, 2))
    second = upload(client, world.evaluation, filled(client, world, item, 3))
    assert len(kept_files()) == 1  # the first file went with its preview
    assert client.get(first.request["PATH_INFO"]).context["token"] == ""
    confirm(client, world.evaluation, first.context["token"])
    assert ItemValue.objects.get(pk=item.pk).self_value is None
    confirm(client, world.evaluation, second.context["token"])
    assert ItemValue.objects.get(pk=item.pk).self_value == 3
    assert kept_files() == []


def test_a_stale_confirm_is_refused_and_the_preview_is_used(world: World) -> None:
    client = client_for(world.people["coordinator"])
    item = item_of(world)
    shown = upload(client, world.evaluation, filled(client, world, item))
    save_self_assessment(
        item=item,
        user=world.people["contributor"],
        value=Decimal(4),
        narrative="",
        expected_version=item.version,
    )
    done = confirm(client, world.evaluation, shown.context["token"])
    assert done.status_code == 302
    assert done["Location"].endswith("/workbook/")
    assert ItemValue.objects.get(pk=item.pk).self_value == 4
    assert not AuditEntry.objects.filter(action="evaluation.workbook_import").exists()
    assert Job.objects.get(kind=queued.KIND).result["used"] is True
    assert kept_files() == []


@pytest.mark.parametrize("spoil", ["not_excel", "another_region", "no_change"])
def test_a_file_with_nothing_to_confirm_is_not_kept(world: World, spoil: str) -> None:
    client = client_for(world.people["coordinator"])
    if spoil == "not_excel":
        content = b"PK\x03\x04 not really a zip"
    elif spoil == "another_region":
        content = download(client_for(world.people["other_coordinator"]), world.other)
    else:
        content = download(client, world.evaluation)
    shown = upload(client, world.evaluation, content)
    assert shown.status_code == 200
    assert shown.context["token"] == ""
    if spoil == "not_excel":
        assert refusals(shown)
    elif spoil == "another_region":
        assert shown.context["rejected"]
        assert shown.context["problems"]
    else:
        assert shown.context["preview"].changes == []
    assert kept_files() == []


def test_an_oversized_file_is_refused_at_once_and_nothing_is_queued(world: World) -> None:
    client = client_for(world.people["coordinator"])
    response = post(client, world, b"PK\x03\x04" + b"0" * MAX_UPLOAD_BYTES)
    assert response.status_code == 200
    assert "Berkas terlalu besar" in refusals(response)[0]
    assert not Job.objects.filter(kind=queued.KIND).exists()
    assert kept_files() == []


def test_the_job_checks_the_uploaders_rights_again(world: World) -> None:
    client = client_for(world.people["contributor"])
    _page, at_commit = queue_only(client, world, download(client, world.evaluation))
    world.people["contributor"].is_active = False
    world.people["contributor"].save(update_fields=["is_active"])
    for callback in at_commit:
        callback()
    job = Job.objects.get(kind=queued.KIND)
    assert job.status == JobStatus.DONE
    assert "changes" not in job.result
    assert job.result["refused"]
    assert kept_files() == []


def test_a_failed_job_shows_it_and_keeps_no_file(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CITYEVAL_JOB_MAX_ATTEMPTS = 1

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(queued, "read_workbook", broken)
    client = client_for(world.people["coordinator"])
    page, at_commit = queue_only(client, world, filled(client, world, item_of(world)))
    for callback in at_commit:
        callback()
    assert Job.objects.get(kind=queued.KIND).status == JobStatus.FAILED
    assert kept_files() == []  # removed by the job's run, before anyone opens the page
    shown = client.get(page)
    assert 'data-preview-state="failed"' in shown.content.decode()
    assert 'http-equiv="refresh"' not in shown.content.decode()
    assert shown.context["token"] == ""
    assert kept_files() == []


def test_a_preview_handed_out_again_or_run_by_a_stalled_worker_keeps_its_token(
    world: World,
) -> None:
    client = client_for(world.people["coordinator"])
    shown = upload(client, world.evaluation, filled(client, world, item_of(world)))
    job = Job.objects.get(kind=queued.KIND)
    result = job.result
    runner.run_job.enqueue(job.pk)  # handed out once more: done, nothing is read again
    # A stalled worker wakes after another took the job over and finished it.
    stale = Job.objects.get(pk=job.pk)
    stale.status = JobStatus.RUNNING
    stale.worker = "stalled:1"
    queued.run_preview(stale)
    assert Job.objects.get(pk=job.pk).result == result
    assert client.get(shown.request["PATH_INFO"]).context["token"] == shown.context["token"]
    assert len(kept_files()) == 1  # the file waits for the confirm


@pytest.mark.parametrize("who", ["viewer", "other_coordinator"])
def test_queueing_a_preview_checks_the_persons_rights_itself(world: World, who: str) -> None:
    content = download(client_for(world.people["coordinator"]), world.evaluation)
    with pytest.raises(PermissionDenied):
        queued.queue_preview(
            evaluation=world.evaluation, user=world.people[who], content=content, filename="a"
        )
    assert not Job.objects.filter(kind=queued.KIND).exists()
    assert kept_files() == []


def test_a_job_given_up_after_its_workers_died_keeps_no_file(world: World, settings: Any) -> None:
    client = client_for(world.people["coordinator"])
    _page, _at_commit = queue_only(client, world, filled(client, world, item_of(world)))
    job = Job.objects.get(kind=queued.KIND)
    Job.objects.filter(pk=job.pk).update(attempts=settings.CITYEVAL_JOB_MAX_ATTEMPTS)
    runner.run_job.call(job.pk)
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED
    assert kept_files() == []


def test_opening_a_failed_previews_page_changes_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A GET has no side effect: a failed job's file (were it still there) stays."""
    client = client_for(world.people["coordinator"])
    page, _at_commit = queue_only(client, world, filled(client, world, item_of(world)))
    Job.objects.filter(kind=queued.KIND).update(status=JobStatus.FAILED, error="x")
    before = kept_files()
    assert len(before) == 1
    assert 'data-preview-state="failed"' in client.get(page).content.decode()
    assert kept_files() == before


def aged(path: Path, days: float) -> Path:
    then = time.time() - days * 86400
    os.utime(path, (then, then))
    return path


def test_the_daily_sweep_removes_kept_files_older_than_a_day_that_no_job_waits_for(
    world: World, settings: Any
) -> None:
    client = client_for(world.people["coordinator"])
    unconfirmed = upload(client, world.evaluation, filled(client, world, item_of(world)))
    assert unconfirmed.context["token"]
    (old,) = kept_files()
    aged(old, 1.5)
    # Another person's upload still queued (a backlog of the workers): kept whatever its age.
    waiting = aged(kept.folder() / kept.keep_upload(b"waiting"), 3)
    Job.objects.create(kind=queued.KIND, key="preview:waiting", params={"file": waiting.name})
    fresh = aged(kept.folder() / kept.keep_upload(b"fresh"), 0.5)
    half = kept.folder() / ".left-by-a-killed-request.xlsx.part"
    half.write_bytes(b"half")
    aged(half, 2)
    assert "sweep_kept_uploads" in settings.CITYEVAL_JOB_SCHEDULE
    with TestCase.captureOnCommitCallbacks(execute=True):
        runner.run_schedule()
    assert Job.objects.get(kind="sweep_kept_uploads").status == JobStatus.DONE
    assert sorted(kept_files()) == sorted([waiting, fresh])
    # The unconfirmed preview is still confirmed from its job (the file is not read again).
    assert confirm(client, world.evaluation, unconfirmed.context["token"]).status_code == 302
