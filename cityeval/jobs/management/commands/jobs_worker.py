"""`manage.py jobs_worker`: a django-tasks database worker that also recovers and schedules.

It is django-tasks-db's `db_worker` (same options) plus one thread that, every third of a lease,
queues again the jobs whose worker died (`runner.recover`) and the day's scheduled jobs
(`runner.run_schedule`). Run as many as the machine has cores; each is one process.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from cityeval.jobs.runner import recover, run_schedule

logger = logging.getLogger(__name__)


def _housekeeping(stop: threading.Event, every: float) -> None:
    while not stop.is_set():
        close_old_connections()
        try:
            recover()
            run_schedule()
        except Exception:  # a locked database or a restart: try again next round
            logger.exception("job housekeeping failed")
        stop.wait(every)
    connection.close()


class Command(DbWorkerCommand):
    help = "Run queued jobs (django-tasks db_worker), recovering those of dead workers."

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        every = max(0.5, settings.CITYEVAL_JOB_LEASE_SECONDS / 3)
        keeper = threading.Thread(target=_housekeeping, args=(stop, every), daemon=True)
        keeper.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
