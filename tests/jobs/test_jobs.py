"""The one way to queue work (`cityeval.jobs.runner`): keyed once, after commit, recoverable.

These run the jobs in the test's own process (`CITYEVAL_JOBS=immediate`); the real worker and a
killed one are `test_killed_worker.py`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from cityeval.jobs import runner
from cityeval.jobs.models import Job, JobStatus, SentMail
from cityeval.notifications.services import notify
from tests.world import World

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


def counting_handler(job: Job) -> None:
    CALLS.append(job.key)


def failing_handler(job: Job) -> None:
    raise OSError("the mail server is away")


@pytest.fixture
def kinds(settings: Any) -> None:
    CALLS.clear()
    settings.CITYEVAL_JOB_HANDLERS = {
        **settings.CITYEVAL_JOB_HANDLERS,
        "count": f"{__name__}.counting_handler",
        "fail": f"{__name__}.failing_handler",
    }


def test_a_key_is_done_once_however_often_it_is_queued(
    kinds: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = runner.enqueue(kind="count", key="k1", params={"n": 1})
        again = runner.enqueue(kind="count", key="k1", params={"n": 2})
    with django_capture_on_commit_callbacks(execute=True):
        runner.enqueue(kind="count", key="k1")
    assert first.pk == again.pk
    assert CALLS == ["k1"]
    job = Job.objects.get(key="k1")
    assert (job.status, job.attempts, job.params) == (JobStatus.DONE, 1, {"n": 1})


def test_a_rolled_back_transaction_queues_nothing(
    kinds: None, django_capture_on_commit_callbacks: Any
) -> None:
    def change_that_fails() -> None:
        with transaction.atomic():
            runner.enqueue(kind="count", key="lost")
            raise RuntimeError("the change fails")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        change_that_fails()
    assert CALLS == []
    assert not Job.objects.filter(key="lost").exists()


def test_an_unknown_kind_is_refused_where_it_is_queued() -> None:
    with pytest.raises(ValueError, match="unknown job kind 'nope'"):
        runner.enqueue(kind="nope", key="x")
    assert not Job.objects.exists()


def test_a_failing_job_is_tried_again_then_left_failed_with_its_error(
    kinds: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.CITYEVAL_JOB_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        runner.enqueue(kind="fail", key="f")
    job = Job.objects.get(key="f")
    assert (job.status, job.attempts) == (JobStatus.QUEUED, 1)
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert runner.recover() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 2)
    assert "the mail server is away" in job.error


def test_a_job_whose_worker_died_runs_again_and_a_live_lease_is_left_alone(
    kinds: None, django_capture_on_commit_callbacks: Any
) -> None:
    now = timezone.now()
    dead = Job.objects.create(
        kind="count", key="dead", status=JobStatus.RUNNING, attempts=1,
        lease_until=now - timedelta(seconds=1),
    )  # fmt: skip
    alive = Job.objects.create(
        kind="count", key="alive", status=JobStatus.RUNNING, attempts=1,
        lease_until=now + timedelta(minutes=5),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert runner.recover() == 1
    runner.run_job.call(alive.pk)  # a stray second hand-off of a job another worker holds
    assert CALLS == ["dead"]
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, dead.attempts) == (JobStatus.DONE, 2)
    assert alive.status == JobStatus.RUNNING


def test_a_batch_shows_done_of_total(kinds: None, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False) as queued:
        batch = runner.start_batch(title="three", jobs=[("count", f"b{n}", {}) for n in range(3)])
    assert runner.progress(batch) == runner.Progress(done=0, failed=0, total=3)
    queued[0]()
    assert runner.progress(batch) == runner.Progress(done=1, failed=0, total=3)
    for callback in queued[1:]:
        callback()
    assert runner.progress(batch).finished


def test_the_daily_schedule_queues_each_kind_once_a_day(
    kinds: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.CITYEVAL_JOB_SCHEDULE = ["count"]
    with django_capture_on_commit_callbacks(execute=True):
        runner.run_schedule(date(2031, 3, 1))
        runner.run_schedule(date(2031, 3, 1))
        runner.run_schedule(date(2031, 3, 2))
    assert CALLS == ["schedule:count:2031-03-01", "schedule:count:2031-03-02"]


def test_the_deadline_reminders_are_a_scheduled_job(settings: Any) -> None:
    assert "remind_deadlines" in settings.CITYEVAL_JOB_SCHEDULE
    assert runner.handler_for("remind_deadlines").__name__ == "remind_job"


def test_a_notification_is_mailed_by_a_job_once_even_when_the_job_runs_again(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    coordinator = world.people["coordinator_a"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        (created,) = notify(
            kind="published",
            recipients=[coordinator],
            params={"region": "Kutai", "cycle": "2023"},
            url="/x/",
        )
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    job = Job.objects.get(key=f"mail:notification:{created.pk}")
    assert job.status == JobStatus.DONE
    assert SentMail.objects.filter(key=job.key).count() == 1
    # The job handed out again (its lease ran out while a slow worker held it): no second mail.
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, lease_until=timezone.now() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        runner.recover()
    assert len(mail.outbox) == 1
    assert Job.objects.get(pk=job.pk).status == JobStatus.DONE


def test_a_rolled_back_change_mails_nobody(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    before = Job.objects.count()
    mail.outbox.clear()

    def publication_that_fails() -> None:
        with transaction.atomic():
            notify(
                kind="published",
                recipients=[world.people["coordinator_a"]],
                params={"region": "Kutai", "cycle": "2023"},
                url="/x/",
            )
            raise RuntimeError("the publication fails")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        publication_that_fails()
    assert mail.outbox == []
    assert Job.objects.count() == before
