"""`manage.py open_data_files --cycle 2023`: render a cycle's public open-data files again.

They are rendered by the job queue at each publication or reopening (`exports/stored.py`); this
queues the same batch for the state published now (after a region was renamed, say, or files
were lost) and shows its done/total until the workers finish it.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityeval.evaluations.cycles import CycleNotFound, find_cycle
from cityeval.exports.stored import queue_cycle_files
from cityeval.jobs.follow import follow_batch


class Command(BaseCommand):
    help = (
        "Render the public open-data files (Excel, CSV, JSON) of a cycle through the job queue, "
        "in every language, for the results published now, and show the batch's done/total."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cycle", required=True, help="the cycle's year, or its id")
        parser.add_argument("--no-wait", action="store_true", help="queue the batch and return")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            cycle = find_cycle(str(options["cycle"]))
        except CycleNotFound as error:
            raise CommandError(str(error)) from None
        batch = queue_cycle_files(cycle, again=True)
        self.stdout.write(f"queued batch {batch.pk}: {batch.title} ({batch.total} jobs)")
        if options["no_wait"]:
            return
        stream = getattr(self.stderr, "_out", sys.stderr)
        shown = follow_batch(batch, stream=stream, label=str(cycle.year), unit="job")
        self.stdout.write(f"{shown.done}/{shown.total} done, {shown.failed} failed")
        if shown.failed:
            raise CommandError(f"{shown.failed} of {shown.total} jobs failed (see /jobs/)")
