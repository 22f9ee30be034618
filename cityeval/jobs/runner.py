"""The one way work is queued and run: `enqueue`, the task every worker runs, and recovery.

`enqueue(kind=, key=, params=)` writes a `Job` in the caller's transaction (nothing is queued if
it rolls back) and hands it to django-tasks after commit. A key already queued or done is not
queued again: a re-run, a double click or two servers publishing at once do the work once.

`run_job` (the django-tasks task) claims the job with a lease (`CITYEVAL_JOB_LEASE_SECONDS`,
renewed by a heartbeat while it runs), calls its handler (`settings.CITYEVAL_JOB_HANDLERS`:
kind → dotted path, so this ground-floor app imports no higher app) and marks it done. A worker
killed mid-job leaves the job RUNNING with a lease that runs out; `recover()` (called by every
`jobs_worker` a few times a lease) queues it again, and the next claim runs it on whichever
worker is alive. A handler that fails is tried again after a lease, up to
`CITYEVAL_JOB_MAX_ATTEMPTS`, then left FAILED with its error, and its kept upload (`kept.py`)
removed. Handlers are written to be run
twice safely: a PDF is written to a temporary file and renamed into place; an e-mail is sent
inside the transaction that records it (`send_once`).
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cityeval.jobs import kept
from cityeval.jobs.models import Job, JobBatch, JobStatus, SentMail

logger = logging.getLogger(__name__)

JSONValue = Any  # plain JSON values only: the params are stored in a JSONField
Handler = Callable[[Job], None]


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.CITYEVAL_JOB_LEASE_SECONDS)


def handler_for(kind: str) -> Handler:
    path = settings.CITYEVAL_JOB_HANDLERS.get(kind)
    if path is None:
        raise ValueError(f"unknown job kind {kind!r}: add it to CITYEVAL_JOB_HANDLERS")
    handler: Handler = import_string(path)
    return handler


def enqueue(
    *,
    kind: str,
    key: str,
    params: Mapping[str, JSONValue] | None = None,
    batch: JobBatch | None = None,
) -> Job:
    """Queue `kind` once per `key` (after the caller's transaction commits)."""
    handler_for(kind)  # an unknown kind fails here, in the caller, not later in a worker
    job, created = Job.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "params": dict(params or {}),
            "batch": batch,
            "lease_until": timezone.now() + _lease(),
        },
    )
    if created:
        transaction.on_commit(lambda: _dispatch(job.pk))
    return job


def start_batch(
    *, title: str, jobs: Sequence[tuple[str, str, Mapping[str, JSONValue]]]
) -> JobBatch:
    """Queue many (kind, key, params) as one batch whose progress is done/total."""
    with transaction.atomic():
        batch = JobBatch.objects.create(title=title, total=len(jobs))
        for kind, key, params in jobs:
            enqueue(kind=kind, key=key, params=params, batch=batch)
    return batch


@dataclass(frozen=True)
class Progress:
    done: int
    failed: int
    total: int

    @property
    def finished(self) -> bool:
        return self.done + self.failed >= self.total


def progress(batch: JobBatch) -> Progress:
    """Done/total of a batch. A key queued earlier by another batch counts once it is done."""
    keys = Job.objects.filter(batch=batch).values("key")
    done = Job.objects.filter(key__in=keys, status=JobStatus.DONE).count()
    failed = Job.objects.filter(key__in=keys, status=JobStatus.FAILED).count()
    return Progress(done=done, failed=failed, total=batch.total)


def _dispatch(job_id: int) -> None:
    run_job.enqueue(job_id)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(job_id: int) -> Job | None:
    """Take the job if it is queued, or running under a lease that ran out; else None."""
    now = timezone.now()
    takeable = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_until__lt=now)
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(takeable, pk=job_id).first()
        if job is None:
            return None
        gave_up = job.attempts >= settings.CITYEVAL_JOB_MAX_ATTEMPTS
        if gave_up:
            job.status = JobStatus.FAILED
            job.error = f"gave up after {job.attempts} attempts (each worker died or timed out)"
            job.finished_at = now
            job.save(update_fields=["status", "error", "finished_at"])
        else:
            job.status = JobStatus.RUNNING
            job.attempts += 1
            job.worker = worker_name()
            job.lease_until = now + _lease()
            job.save(update_fields=["status", "attempts", "worker", "lease_until"])
    if gave_up:
        kept.discard(job.params)  # nobody will read the job's kept upload now
        return None
    return job


def hold(job: Job) -> bool:
    """Lock the job's row for the caller's transaction; False if it is no longer this worker's
    (its lease ran out and another worker claimed it, or it is done). A handler whose work and
    done mark are one transaction calls this first: a second claim then waits for the commit
    and finds the job done, so the work is never done twice."""
    return (
        Job.objects.select_for_update()
        .filter(pk=job.pk, status=JobStatus.RUNNING, worker=job.worker)
        .exists()
    )


def mark_done(job: Job) -> None:
    """Mark the job done (call inside the handler's own transaction to make both one). Only the
    worker that holds the job does: a stalled one whose job was taken over changes nothing."""
    Job.objects.filter(pk=job.pk, worker=job.worker).update(
        status=JobStatus.DONE, finished_at=timezone.now(), error=""
    )


@task()
def run_job(job_id: int) -> None:
    job = claim(job_id)
    if job is None:
        return
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(job, stop), daemon=True)
    beat.start()
    try:
        handler_for(job.kind)(job)
    except Exception as error:  # recorded on the job; the worker goes on with the next one
        logger.exception("job %s failed", job.key)
        again = job.attempts < settings.CITYEVAL_JOB_MAX_ATTEMPTS
        # Tried again once its lease has run out (`recover`), up to the last attempt.
        failed = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.QUEUED if again else JobStatus.FAILED,
            finished_at=None if again else timezone.now(),
            lease_until=timezone.now() + _lease(),
            error=f"{type(error).__name__}: {error}",
        )
        if failed and not again:
            kept.discard(job.params)  # nobody will read the job's kept upload now
        return
    finally:
        stop.set()
        beat.join()
    mark_done(job)


def _heartbeat(job: Job, stop: threading.Event) -> None:
    """Renew the lease while the handler runs, so a slow job is not taken for a dead one."""
    every = settings.CITYEVAL_JOB_LEASE_SECONDS / 3
    try:
        while not stop.wait(every):
            Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, worker=job.worker).update(
                lease_until=timezone.now() + _lease()
            )
    finally:
        connection.close()


def send_once(job: Job, key: str, send: Callable[[], object]) -> bool:
    """Send one e-mail at most once per `key`: the record of the sent mail, the send and the
    job's done mark are one transaction. A worker killed before the commit leaves no record and
    the job runs again; one killed after it finds the record. Returns whether it sent."""
    with transaction.atomic():
        if SentMail.objects.select_for_update().filter(key=key).exists():
            mark_done(job)
            return False
        send()
        SentMail.objects.create(key=key)
        mark_done(job)
    return True


def recover() -> int:
    """Queue again every job whose lease ran out (its worker died, or its hand-off was lost)."""
    now = timezone.now()
    stale = Job.objects.filter(
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING], lease_until__lt=now
    )
    recovered = 0
    for job_id in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            moved = Job.objects.filter(
                Q(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]),
                pk=job_id,
                lease_until__lt=now,
            ).update(status=JobStatus.QUEUED, lease_until=now + _lease())
            if moved:
                transaction.on_commit(partial(_dispatch, job_id))
                recovered += moved
    # The library's own record of the dead worker's task stays RUNNING forever; close it so its
    # admin does not show a task still running (every task here is a short `run_job`).
    DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - 2 * _lease()
    ).update(status=TaskResultStatus.FAILED, finished_at=now)
    if recovered:
        logger.warning("recovered %d job(s) whose worker stopped", recovered)
    return recovered


def run_schedule(today: datetime.date | None = None) -> None:
    """Queue the day's scheduled jobs (`CITYEVAL_JOB_SCHEDULE`: kinds run once a day). The key
    names the day, so any number of workers queue each one once."""
    day = today or timezone.localdate()
    for kind in settings.CITYEVAL_JOB_SCHEDULE:
        with transaction.atomic():
            enqueue(kind=kind, key=f"schedule:{kind}:{day.isoformat()}")
