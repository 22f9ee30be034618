"""The page's program import runs as a job (`masterplans/queued.py`): the request keeps the file
and answers at once, a page shows the job's state, and a job that dies or runs again imports
the sheet exactly once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cityeval.audit.models import AuditEntry
from cityeval.jobs import runner
from cityeval.jobs.models import Job, JobStatus
from cityeval.masterplans import queued
from cityeval.masterplans.models import Masterplan, Program
from cityeval.masterplans.template import template_workbook
from cityeval.regions.models import Region
from tests.masterplans.conftest import Opds, People
from tests.masterplans.helpers import open_bytes, workbook_bytes

pytestmark = pytest.mark.django_db

ROW = ["GOV-01", "Mal Pelayanan Publik", "", "GOV", "GOV-PS", "KOMINFO", "ya", 1, 2019, 2022]


@pytest.fixture
def sheet(masterplan: Masterplan, opds: Opds, tmp_path: Path, settings: Any) -> bytes:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    book = open_bytes(template_workbook(masterplan=masterplan))
    book["Program"].append(ROW)
    return workbook_bytes(book)


def upload(client: Client, region: Region, content: bytes) -> str:
    response = client.post(
        reverse("masterplans:import", args=[region.pk]),
        {"file": SimpleUploadedFile("program.xlsx", content)},
    )
    assert response.status_code == 302, response.content.decode()
    return str(response["Location"])


def kept_files() -> list[Path]:
    return [p for p in (Path(settings.MEDIA_ROOT) / "imports").glob("*") if p.is_file()]


def test_the_request_only_queues_and_the_page_shows_the_state_then_the_counts(
    client: Client,
    people: People,
    region: Region,
    sheet: bytes,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(people.coordinator)
    with django_capture_on_commit_callbacks(execute=False) as at_commit:
        page = upload(client, region, sheet)
    assert not Program.objects.exists()  # nothing imported inside the request
    assert len(kept_files()) == 1
    waiting = client.get(page).content.decode()
    assert 'data-import-state="queued"' in waiting
    assert 'http-equiv="refresh"' in waiting
    for callback in at_commit:
        callback()
    done = client.get(page).content.decode()
    assert 'data-import-state="done"' in done
    assert "Impor selesai: 1 program baru, 0 diperbarui, 0 status tahunan." in done
    assert 'http-equiv="refresh"' not in done
    assert list(Program.objects.values_list("code", flat=True)) == ["GOV-01"]
    assert AuditEntry.objects.get(action="masterplan.import_programs").actor == people.coordinator
    assert kept_files() == []


def test_another_region_and_lesser_roles_do_not_see_the_import(
    client: Client, people: People, region: Region, other_region: Region, sheet: bytes
) -> None:
    client.force_login(people.coordinator)
    page = upload(client, region, sheet)
    job = Job.objects.get(kind="masterplan_import")
    statuses = {}
    for name in ("other_coordinator", "contributor", "viewer", "outsider"):
        client.force_login(getattr(people, name))
        statuses[name] = client.get(page).status_code
    assert statuses == {
        "other_coordinator": 404,
        "contributor": 403,
        "viewer": 403,
        "outsider": 404,
    }
    # The other region's own coordinator, asking under their own region: still 404.
    client.force_login(people.other_coordinator)
    elsewhere = reverse("masterplans:import_job", args=[other_region.pk, job.pk])
    assert client.get(elsewhere).status_code == 404
    client.logout()
    assert client.get(page).status_code == 302  # to the sign-in page


def test_a_job_that_dies_mid_import_leaves_nothing_and_runs_again_once(
    client: Client,
    people: People,
    region: Region,
    sheet: bytes,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(people.coordinator)
    with django_capture_on_commit_callbacks(execute=False) as at_commit:
        page = upload(client, region, sheet)

    def die(job: Job) -> None:
        raise RuntimeError("the worker stops after writing the programs")

    # Dies after the programs are written, before the job is marked done: one transaction.
    monkeypatch.setattr("cityeval.masterplans.queued.mark_done", die)
    for callback in at_commit:
        callback()
    job = Job.objects.get(kind="masterplan_import")
    assert (job.status, job.attempts) == (JobStatus.QUEUED, 1)
    assert not Program.objects.exists()
    assert not AuditEntry.objects.filter(action="masterplan.import_programs").exists()
    assert len(kept_files()) == 1  # kept for the next attempt

    monkeypatch.undo()
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert runner.recover() == 1
    runner.run_job.enqueue(job.pk)  # handed out once more: the sheet is not imported twice
    assert Program.objects.count() == 1
    assert AuditEntry.objects.filter(action="masterplan.import_programs").count() == 1
    assert 'data-import-state="done"' in client.get(page).content.decode()


def test_a_worker_whose_job_was_taken_over_writes_nothing(
    client: Client,
    people: People,
    region: Region,
    sheet: bytes,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(people.coordinator)
    upload(client, region, sheet)
    job = Job.objects.get(kind="masterplan_import")
    stale = runner.claim(job.pk)
    assert stale is not None
    # Its lease ran out (the worker stalled) and another worker took the job over.
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        runner.run_job.enqueue(job.pk)
    queued.run_import(stale)  # the stalled worker wakes up
    assert Program.objects.count() == 1
    assert AuditEntry.objects.filter(action="masterplan.import_programs").count() == 1
