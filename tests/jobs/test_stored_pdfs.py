"""Published scorecard PDFs are rendered by jobs at publication, kept with the result, served as
files; a reopened result's kept PDF is never served, and the PDF of another state is not either."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cityeval.jobs.models import Job, JobBatch, JobStatus
from cityeval.jobs.runner import progress
from cityeval.operations.backup.archive import media_files
from cityeval.operations.backup.database import backed_up_models
from cityeval.reports.services import publish_evaluation, reopen_evaluation
from cityeval.scorecards import pdf_views
from cityeval.scorecards.models import StoredScorecardPdf
from tests.world import World

pytestmark = pytest.mark.django_db


def no_rendering(*args: Any, **kwargs: Any) -> bytes:
    raise AssertionError("a published PDF with a kept file must not be rendered per request")


def test_publishing_renders_every_published_pdf_once_and_readers_get_the_file(
    world: World,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.CITYEVAL_PDFS_AT_PUBLISH = True
    admin = world.people["admin"]
    with django_capture_on_commit_callbacks(execute=True):
        publish_evaluation(evaluation=world.finalised_b, user=admin)
    # Both published results of the cycle (B's ranks moved A's), in every language.
    kept = list(StoredScorecardPdf.objects.select_related("snapshot"))
    languages = sorted(code for code, _name in settings.LANGUAGES)
    assert sorted((row.snapshot.evaluation_id, row.language) for row in kept) == sorted(
        (pk, lang) for pk in (world.published.pk, world.finalised_b.pk) for lang in languages
    )
    batch = JobBatch.objects.get()
    assert progress(batch).done == progress(batch).total == len(kept)
    media = Path(settings.MEDIA_ROOT)
    for row in kept:
        assert (media / row.path).read_bytes().startswith(b"%PDF-")
    backed_up = {name for name, _path in media_files()}
    assert {f"media/{row.path}" for row in kept} <= backed_up
    assert StoredScorecardPdf in backed_up_models()

    monkeypatch.setattr(pdf_views, "render_scorecard_pdf", no_rendering)
    for reader in (Client(), world.client("coordinator_b"), world.client("admin")):
        response = reader.get(reverse("scorecards:pdf", args=[world.finalised_b.pk]) + "?lang=id")
        assert response.status_code == 200
        row = next(
            r
            for r in kept
            if r.snapshot.evaluation_id == world.finalised_b.pk and r.language == "id"
        )
        assert b"".join(response.streaming_content) == (media / row.path).read_bytes()  # type: ignore[attr-defined]

    # Reopened: nobody is served the kept file; the admin gets a fresh rendering of the draft.
    with django_capture_on_commit_callbacks(execute=True):
        reopen_evaluation(evaluation=world.finalised_b, user=admin, reason="Salah hitung.")
    monkeypatch.setattr(pdf_views, "render_scorecard_pdf", lambda *a, **k: b"%PDF-draft")
    url = reverse("scorecards:pdf", args=[world.finalised_b.pk]) + "?lang=id"
    answer = Client().get(url)  # the "under review" page, not the old file
    assert answer["Content-Type"].startswith("text/html")
    response = world.client("admin").get(url)
    assert response.status_code == 200
    assert response.content == b"%PDF-draft"


def test_a_pdf_of_an_older_published_state_is_not_served(
    world: World,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.CITYEVAL_PDFS_AT_PUBLISH = True
    with django_capture_on_commit_callbacks(execute=True):
        publish_evaluation(evaluation=world.finalised_b, user=world.people["admin"])
    # Another publication changes the ranks; its jobs have not run yet (no worker).
    settings.CITYEVAL_PDFS_AT_PUBLISH = False
    with django_capture_on_commit_callbacks(execute=True):
        reopen_evaluation(evaluation=world.finalised_b, user=world.people["admin"], reason="x")
    monkeypatch.setattr(pdf_views, "render_scorecard_pdf", lambda *a, **k: b"%PDF-live")
    response = Client().get(reverse("scorecards:pdf", args=[world.published.pk]) + "?lang=en")
    assert response.status_code == 200
    assert response.content == b"%PDF-live"


def test_a_published_pdf_without_a_kept_file_is_rendered_once_per_state_for_anonymous_readers(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    """No kept file (the jobs are off here, as when a later publication moved the marker and no
    worker has run yet): an anonymous PDF costs one rendering per state, not one per request;
    a signed-in reader's is rendered for them; the next state renders anew."""
    from django.core.cache import cache

    cache.clear()
    rendered: list[str] = []

    def render(evaluation: Any, language: str) -> bytes:
        rendered.append(language)
        return f"%PDF-{len(rendered)}".encode()

    monkeypatch.setattr(pdf_views, "render_scorecard_pdf", render)
    url = reverse("scorecards:pdf", args=[world.published.pk]) + "?lang=id"
    first, second = Client().get(url), Client().get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content == b"%PDF-1"
    assert first["Content-Disposition"] == second["Content-Disposition"]
    assert first["Content-Disposition"].startswith("attachment;")
    assert rendered == ["id"]
    assert Client().get(url.replace("lang=id", "lang=en")).content == b"%PDF-2"
    own = world.client("coordinator_a").get(url)
    assert own.content == b"%PDF-3"  # rendered for the signed-in reader, not the cached copy
    with django_capture_on_commit_callbacks(execute=True):
        publish_evaluation(evaluation=world.finalised_b, user=world.people["admin"])
    assert Client().get(url).content == b"%PDF-4"  # B's publication moved A's ranks
    cache.clear()


def test_a_superseded_job_renders_nothing(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from cityeval.scorecards.stored import render_stored_pdf

    snapshot = world.published.snapshots.get(is_current=True)
    job = Job.objects.create(
        kind="scorecard_pdf",
        key="old",
        status=JobStatus.RUNNING,
        params={"snapshot": snapshot.pk, "language": "id", "marker": -1},
    )
    render_stored_pdf(job)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert not StoredScorecardPdf.objects.exists()


def test_the_batch_command_queues_the_published_pdfs_and_shows_done_of_total(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    from cityeval.jobs.models import JobBatch as Batch
    from cityeval.scorecards import stored
    from cityeval.scorecards.management.commands import scorecard_pdfs

    monkeypatch.setattr(stored, "html_to_pdf", lambda html: b"%PDF-1.7 test\n%%EOF")

    def queue_and_commit(cycle: Any, **kwargs: Any) -> Batch:
        # The test's transaction never commits: run the queued jobs as a commit would.
        with django_capture_on_commit_callbacks(execute=True):
            return stored.queue_cycle_pdfs(cycle, **kwargs)

    monkeypatch.setattr(scorecard_pdfs, "queue_cycle_pdfs", queue_and_commit)
    out = StringIO()
    call_command(
        "scorecard_pdfs", cycle=str(world.published_cycle.pk), queue=True, stdout=out,
        stderr=StringIO(),
    )  # fmt: skip
    languages = len(settings.LANGUAGES)
    assert f"{languages}/{languages} done, 0 failed" in out.getvalue()
    assert StoredScorecardPdf.objects.count() == languages  # A only: B is not published

    # Again for the same state (its jobs ran: the files since lost, say): it renders again and
    # its batch finishes, instead of waiting for ever at 0/n on keys already taken.
    StoredScorecardPdf.objects.all().delete()
    again = StringIO()
    call_command(
        "scorecard_pdfs", cycle=str(world.published_cycle.pk), queue=True, stdout=again,
        stderr=StringIO(),
    )  # fmt: skip
    assert f"{languages}/{languages} done, 0 failed" in again.getvalue()
    assert StoredScorecardPdf.objects.count() == languages


def test_only_a_program_admin_sees_the_batches_page(world: World) -> None:
    JobBatch.objects.create(title="PDF 2023", total=4)
    url = reverse("jobs:batches")
    page = world.client("admin").get(url)
    assert page.status_code == 200
    assert "0/4" in page.content.decode()
    for persona in ("coordinator_a", "national_viewer", "lead_a"):
        assert world.client(persona).get(url).status_code == 403
    assert Client().get(url).status_code == 302
