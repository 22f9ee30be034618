"""The open-data files of a published cycle are rendered by jobs at publication and served as
files: byte for byte what the view renders for the same state, with the same headers; never a
file of another state; after a reopening only what an unpublished cycle answers today.

The real worker killed mid-write is in `tests/jobs/test_killed_worker.py`.
"""

from __future__ import annotations

import gzip
import json
import shutil
import zipfile
from contextlib import AbstractContextManager
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any, Protocol

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, reverse

from cityeval.exports import stored, urls, views
from cityeval.exports.files import BY_NAME, FILES
from cityeval.jobs.models import Job, JobBatch, JobStatus
from cityeval.jobs.runner import progress
from cityeval.reports.services import publish_evaluation, reopen_evaluation
from cityeval.results.publication import publication, publication_marker
from tests.world import World, build_world

pytestmark = pytest.mark.django_db

URL_NAMES = {
    "results.xlsx": "exports:xlsx",
    "regions.csv": "exports:regions_csv",
    "items.csv": "exports:items_csv",
    "results.json": "exports:json",
}
# What the file views answer with, kept or rendered alike.
SAME_HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control", "Vary", "Last-Modified")


class Capture(Protocol):
    def __call__(self, *, execute: bool = ...) -> AbstractContextManager[Any]: ...


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def reader(language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    return client


def body(response: HttpResponseBase) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined,no-any-return]


def url(world: World, name: str) -> str:
    return reverse(URL_NAMES[name], args=[world.published_cycle.pk])


def kept_folder(world: World, language: str) -> Path:
    return stored.state_folder(world.published_cycle.pk, language, publication_marker())


@pytest.fixture
def world(db: None, media: Path) -> World:
    """The shared test world (`tests/world.py`), not this app's smaller one: its publish and
    reopen go through the real services, which queue the jobs under test."""
    return build_world()


@pytest.fixture
def at_publish(settings: Any) -> None:
    settings.CITYEVAL_OPEN_DATA_AT_PUBLISH = True


def publish_b(world: World, capture: Capture) -> None:
    with capture(execute=True):  # the jobs run as the commit would hand them over
        publish_evaluation(evaluation=world.finalised_b, user=world.people["admin"])


def no_rendering(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("a kept open-data file must not be rendered per request")


def test_every_file_view_is_in_the_registry() -> None:
    """The files a cycle offers are the registry's: a new one is kept like the others."""
    files = {
        str(pattern.pattern).removeprefix("<int:cycle_id>/")
        for pattern in urls.urlpatterns
        if isinstance(pattern, URLPattern) and str(pattern.pattern).startswith("<int:cycle_id>/")
    }
    assert files - {"datapackage.json"} == set(BY_NAME) == set(URL_NAMES)


def test_publishing_keeps_every_file_and_anonymous_readers_get_the_same_bytes_and_headers(
    world: World,
    at_publish: None,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    publish_b(world, django_capture_on_commit_callbacks)
    batch = JobBatch.objects.get(title__startswith="Data")
    assert progress(batch).done == progress(batch).total == len(languages())
    for language in languages():
        assert sorted(p.name for p in kept_folder(world, language).iterdir()) == sorted(
            file.name for file in FILES
        )

    kept: dict[tuple[str, str], tuple[HttpResponseBase, bytes]] = {}
    monkeypatch.setattr(views, "_render", no_rendering)
    for language in languages():
        for file in FILES:
            response = reader(language).get(url(world, file.name))
            assert response.status_code == 200, (language, file.name)
            content = body(response)  # the kept file, not a rendering (`_render` fails)
            kept[language, file.name] = response, content
            assert content == (kept_folder(world, language) / file.name).read_bytes()
            # A browser that has it gets 304; one that takes gzip gets the compressed copy.
            again = reader(language).get(url(world, file.name), HTTP_IF_NONE_MATCH=response["ETag"])
            assert again.status_code == 304
            packed = reader(language).get(url(world, file.name), HTTP_ACCEPT_ENCODING="gzip")
            if file.content_type.startswith(("text/", "application/json")):
                assert packed["Content-Encoding"] == "gzip"
                assert packed["ETag"] == f"W/{response['ETag']}"
                assert gzip.decompress(body(packed)) == content
            else:
                assert not packed.has_header("Content-Encoding")
    monkeypatch.undo()

    # Without the kept files (no job yet), the view renders: the same bytes, the same headers.
    monkeypatch.setattr(views, "stored_file", lambda *args: None)
    for (language, name), (served, content) in kept.items():
        cache.clear()
        rendered = reader(language).get(url(world, name))
        assert body(rendered) == content, (language, name)
        for header in SAME_HEADERS:
            assert rendered.get(header) == served.get(header), (language, name, header)
    # Both state the publication's time, not the clock's: the same state, the same bytes.
    stated = json.loads(kept["id", "results.json"][1])["generated_at"]
    assert stated == publication().at.isoformat(timespec="seconds")  # type: ignore[union-attr]
    # Each language speaks its own: the README sheet's first label.
    labels = {language: _first_label(kept[language, "results.xlsx"][1]) for language in languages()}
    assert len(set(labels.values())) == len(languages())


def _first_label(workbook: bytes) -> bytes:
    with zipfile.ZipFile(BytesIO(workbook)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")[:2000]


def test_a_signed_in_reader_gets_their_own_rendering_not_the_kept_file(
    world: World,
    at_publish: None,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    b = world.finalised_b
    with django_capture_on_commit_callbacks(execute=True):
        reopen_evaluation(evaluation=world.published, user=world.people["admin"], reason="x")
    # A is under review again: B alone is published after this.
    publish_b(world, django_capture_on_commit_callbacks)
    kept = (kept_folder(world, "id") / "regions.csv").read_text(encoding="utf-8-sig")
    assert b.region.code in kept
    assert world.published.region.code not in kept
    # A's coordinator sees A's own (unpublished) row: never the public file.
    own = world.client("coordinator_a").get(url(world, "regions.csv"))
    assert own.status_code == 200
    assert not own.streaming
    assert world.published.region.code in own.content.decode("utf-8-sig")


def test_a_file_of_an_older_state_is_not_served_and_a_reopened_cycle_answers_as_today(
    world: World,
    settings: Any,
    at_publish: None,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    publish_b(world, django_capture_on_commit_callbacks)
    first = {language: kept_folder(world, language) for language in languages()}
    admin = world.people["admin"]
    # Another state whose jobs have not run (no worker yet): the old files are left unserved.
    settings.CITYEVAL_OPEN_DATA_AT_PUBLISH = False
    with django_capture_on_commit_callbacks(execute=True):
        reopen_evaluation(evaluation=world.finalised_b, user=admin, reason="Salah hitung.")
    assert all((folder / "regions.csv").is_file() for folder in first.values())
    for file in FILES:
        response = Client().get(url(world, file.name))
        assert response.status_code == 200  # rendered for the state now published, A alone
    table = Client().get(url(world, "regions.csv")).content.decode("utf-8-sig")
    assert world.finalised_b.region.code not in table

    # The last published result reopened, with the jobs on: nothing kept, every file 404 as
    # for any unpublished cycle, and the older state's files are gone.
    settings.CITYEVAL_OPEN_DATA_AT_PUBLISH = True
    with django_capture_on_commit_callbacks(execute=True):
        reopen_evaluation(evaluation=world.published, user=admin, reason="Salah hitung.")
    assert not any(folder.exists() for folder in first.values())
    assert not list(stored.cycle_folder(world.published_cycle.pk).rglob("*.csv"))
    for file in FILES:
        assert Client().get(url(world, file.name)).status_code == 404


def test_a_publication_in_any_cycle_keeps_the_files_of_every_published_cycle(
    world: World,
    settings: Any,
    at_publish: None,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    """The folders name the one publication marker, which a change in any cycle moves: the
    job of a change elsewhere keeps the published cycle's files for the new marker too."""
    settings.CITYEVAL_OPEN_DATA_AT_PUBLISH = False
    publish_b(world, django_capture_on_commit_callbacks)  # the marker moves, nothing kept
    assert not any(kept_folder(world, language).exists() for language in languages())
    change_elsewhere = Job(kind="publication_open_data", params={"cycle": world.review_cycle.pk})
    with django_capture_on_commit_callbacks(execute=True):
        stored.queue_publication_files(change_elsewhere)
    monkeypatch.setattr(views, "_render", no_rendering)
    for language in languages():
        assert (kept_folder(world, language) / "regions.csv").is_file()
        response = reader(language).get(url(world, "regions.csv"))
        assert response.status_code == 200
        assert body(response) == (kept_folder(world, language) / "regions.csv").read_bytes()


def test_a_superseded_job_renders_nothing(world: World) -> None:
    job = Job.objects.create(
        kind="open_data_files",
        key="old",
        status=JobStatus.RUNNING,
        params={"cycle": world.published_cycle.pk, "language": "id", "marker": -1},
    )
    stored.render_stored_files(job)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert not stored.cycle_folder(world.published_cycle.pk).exists()


@pytest.fixture
def command_commits(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Capture
) -> None:
    """The test's transaction never commits: the command's queued jobs run as a commit would."""
    from cityeval.exports.management.commands import open_data_files

    def queue_and_commit(cycle: Any, **kwargs: Any) -> JobBatch:
        with django_capture_on_commit_callbacks(execute=True):
            return stored.queue_cycle_files(cycle, **kwargs)

    monkeypatch.setattr(open_data_files, "queue_cycle_files", queue_and_commit)


def test_the_command_renders_the_files_again_and_shows_done_of_total(
    world: World, command_commits: None
) -> None:
    out = StringIO()
    call_command(
        "open_data_files", cycle=str(world.published_cycle.pk), stdout=out, stderr=StringIO()
    )
    count = len(languages())
    assert f"{count}/{count} done, 0 failed" in out.getvalue()
    for language in languages():
        assert (kept_folder(world, language) / "results.xlsx").is_file()


def test_the_command_renders_files_lost_after_an_earlier_rendering_of_the_same_state(
    world: World, command_commits: None
) -> None:
    # The state's jobs exist already (the publication rendered it): running the command for
    # the same state must render again, and its batch must finish (not wait forever at 0/n).
    cycle = str(world.published_cycle.pk)
    call_command("open_data_files", cycle=cycle, no_wait=True, stdout=StringIO())
    for language in languages():
        assert (kept_folder(world, language) / "results.xlsx").is_file()
    shutil.rmtree(stored.cycle_folder(world.published_cycle.pk))  # the files were lost
    call_command("open_data_files", cycle=cycle, no_wait=True, stdout=StringIO())
    again = JobBatch.objects.latest("pk")
    assert progress(again).done == progress(again).total == len(languages())
    for language in languages():
        assert (kept_folder(world, language) / "results.xlsx").is_file()
