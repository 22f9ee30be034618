"""The public open-data files of a cycle, rendered by jobs at publication and served as files.

At national scale the workbook takes some 10 s to write (openpyxl, ≈ 360 000 cells) and the CSV
and JSON files up to a second or so: the first visitor after a publication would wait for them,
and every server of a farm would render them again. So publishing or reopening
(`reports.services.queue_publication_files`) queues `publication_open_data` for the cycle; that
job reads the publication marker (`results.publication`) and queues one `open_data_files` job per
language as one batch (done/total on `/jobs/`), keyed by cycle, language and marker. That job
renders every file of `files.FILES` for an anonymous reader (the one visibility policy: published
results only) and writes each under

    MEDIA_ROOT/opendata/<cycle>/<language>/<marker>/<name>

through a temporary file and a rename (`write_atomically`): a worker killed mid-render leaves a
`.part` file that is never served, the job runs again on another worker. The folder names the
marker, so a file of an older state is never served for a newer one; once every file of the new
state is in place, the folders of older states of that cycle and language are removed. A job
whose marker is no longer current renders nothing (the newer publication queued its own).

`stored_file` answers the views (`views.py`) on a miss of the public pages' cache: the kept file
for the current marker, if it is there, whose bytes the cache then keeps like any public page (so
a hit costs no query, and the cache compresses it once); otherwise the view renders as before.
Only anonymous readers get it: a signed-in person may see more rows (their own region's, an
admin's) than the public files hold.
"""

from __future__ import annotations

import shutil
import uuid
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.utils import translation

from cityeval.core.atomic import write_atomically
from cityeval.evaluations.models import Cycle
from cityeval.exports.access import public_cycles
from cityeval.exports.files import FILES, OpenDataFile, public_export
from cityeval.exports.harvest import public_cycle
from cityeval.jobs.models import Job, JobBatch
from cityeval.jobs.runner import mark_done, start_batch
from cityeval.results.publication import publication

FOLDER = "opendata"


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def cycle_folder(cycle_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER / str(cycle_id)


def state_folder(cycle_id: int, language: str, marker: int) -> Path:
    return cycle_folder(cycle_id) / language / str(marker)


def queue_cycle_files(cycle: Cycle, *, again: bool = False) -> JobBatch:
    """One batch rendering the cycle's public files for the state published now, per language.

    A job's key names the state, so a publication's jobs run once; `again` (the command) gives
    the keys a fresh suffix: the state's jobs may have run already (the files since lost or
    out of date), and a key already taken queues nothing and never counts in the new batch."""
    marker = publication().marker
    fresh = f":{uuid.uuid4().hex}" if again else ""
    jobs = [
        (
            "open_data_files",
            f"open-data:{cycle.pk}:{language}:{marker}{fresh}",
            {"cycle": cycle.pk, "language": language, "marker": marker},
        )
        for language in languages()
    ]
    return start_batch(title=f"Data {cycle} #{marker}", jobs=jobs)


def queue_publication_files(job: Job) -> None:
    """The job queued by a publication or reopening: a batch for the state now, for the cycle
    that changed and every other cycle with published results. The folders name the one
    publication marker, which any cycle's publication moves, so the other cycles' kept files
    are out of date too (their content is not, and it is rendered again, a worker-minute)."""
    changed = list(Cycle.objects.filter(pk=job.params["cycle"]))
    for cycle in changed + [c for c in public_cycles() if c not in changed]:
        queue_cycle_files(cycle)


def render_stored_files(job: Job) -> None:
    """Render and keep every public file of the cycle in one language, for the job's marker."""
    marker = int(job.params["marker"])
    language = str(job.params["language"])
    cycle_id = int(job.params["cycle"])
    state = publication()
    if marker != state.marker:
        mark_done(job)  # superseded: the newer publication's batch renders its own state
        return
    folder = state_folder(cycle_id, language, marker)
    with translation.override(language):
        try:
            cycle = public_cycle(cycle_id)
        except Http404:
            cycle = None  # nothing published any more: no file, only the old ones to remove
        if cycle is not None:
            write_files(cycle, folder, state.at)
    if publication().marker != marker:
        # Superseded while rendering: the newer state's job may have swept already.
        shutil.rmtree(folder, ignore_errors=True)
    remove_older_states(cycle_id, language, marker)
    mark_done(job)


def write_files(cycle: Cycle, folder: Path, published_at: datetime | None) -> None:
    """Every file of `FILES` for an anonymous reader, each written atomically into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    export = public_export(cycle, published_at)
    for file in FILES:
        data = file.write(export)
        write_atomically(folder / file.name, data)


def remove_older_states(cycle_id: int, language: str, marker: int) -> None:
    """Remove the folders of states older than `marker` (a newer one's, if any, stays)."""
    parent = cycle_folder(cycle_id) / language
    if not parent.is_dir():
        return
    for child in parent.iterdir():
        if child.name.isdigit() and int(child.name) < marker:
            shutil.rmtree(child, ignore_errors=True)


def stored_file(cycle_id: int, file: OpenDataFile, language: str) -> Path | None:
    """The kept public file for the current publication state, if a job has written it."""
    if language not in languages():
        return None
    path = state_folder(cycle_id, language, publication().marker) / file.name
    return path if path.is_file() else None
