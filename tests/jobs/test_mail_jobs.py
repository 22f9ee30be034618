"""Every e-mail cityeval sends is a job: the request that causes it only queues it, a worker
sends it after commit, and running the job again (a worker that died, a lease handed out twice)
sends nothing twice. One case per mail kind of `CITYEVAL_JOB_HANDLERS`; a new kind without a
case here fails."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cityeval.accounts.models import Role
from cityeval.jobs import runner
from cityeval.jobs.models import Job, JobStatus
from cityeval.notifications.services import notify
from tests.world import World

pytestmark = pytest.mark.django_db


def invite(world: World) -> str:
    response = world.client("admin").post(
        reverse("person_invite"),
        {
            "full_name": "Budi Santoso",
            "username": "budi.jobs",
            "email": "budi.jobs@kukarkab.go.id",
            "role": Role.ASSESSOR,
        },
    )
    assert response.status_code == 302
    return "budi.jobs@kukarkab.go.id"


def invite_again(world: World) -> str:
    response = world.client("admin").post(reverse("person_resend", kwargs={"pk": world.invited.pk}))
    assert response.status_code == 302
    return world.invited.email


def reset_password(world: World) -> str:
    person = world.people["contributor_a"]
    person.set_password("sungai-mahakam-2026")  # Django mails a reset only to a usable password
    person.save(update_fields=["password"])
    email = person.email
    response = world.client("anonymous").post(reverse("password_reset"), {"email": email})
    assert response.status_code == 302
    return email


def notification(world: World) -> str:
    coordinator = world.people["coordinator_a"]
    notify(
        kind="published",
        recipients=[coordinator],
        params={"region": "A", "cycle": "2023"},
        url="/x/",
    )
    return coordinator.email


# kind -> the actions that queue it (each returns the address the mail must reach)
TRIGGERS: dict[str, list[Callable[[World], str]]] = {
    "invitation_mail": [invite, invite_again],
    "password_reset_mail": [reset_password],
    "notification_mail": [notification],
}
MAIL_KINDS = sorted(kind for kind in settings.CITYEVAL_JOB_HANDLERS if kind.endswith("_mail"))
CASES = [
    pytest.param(kind, trigger, id=f"{kind}-{trigger.__name__}")
    for kind, triggers in sorted(TRIGGERS.items())
    for trigger in triggers
]


@pytest.fixture
def rolled_back(shared_world: World) -> Iterator[World]:
    with transaction.atomic():
        yield shared_world
        transaction.set_rollback(True)


def test_every_mail_kind_has_a_case() -> None:
    assert sorted(TRIGGERS) == MAIL_KINDS


@pytest.mark.parametrize(("kind", "trigger"), CASES)
def test_a_mail_is_queued_by_the_request_and_sent_once_after_commit(
    rolled_back: World,
    kind: str,
    trigger: Callable[[World], str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    mail.outbox.clear()
    before = set(Job.objects.filter(kind=kind).values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=False) as at_commit:
        address = trigger(rolled_back)
    assert mail.outbox == []  # the request itself sent nothing
    (job,) = Job.objects.filter(kind=kind).exclude(pk__in=before)
    assert job.status == JobStatus.QUEUED
    for callback in at_commit:
        callback()
    assert [message.to for message in mail.outbox] == [[address]]
    job.refresh_from_db()
    assert job.status == JobStatus.DONE

    # Handed out again as if its worker had died after sending: no second mail.
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, lease_until=timezone.now() - timedelta(seconds=1)
    )
    runner.run_job.enqueue(job.pk)
    assert len(mail.outbox) == 1
    assert Job.objects.get(pk=job.pk).status == JobStatus.DONE
