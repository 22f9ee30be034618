"""`manage.py open_data_files --cycle 2023`: render a cycle's public open-data files again.

They are rendered by the job queue at each publication or reopening (`exports/stored.py`); this
queues the same batch for the state published now (after a region was renamed, say, or files
were lost) and shows its done/total until the workers finish it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityeval.evaluations.cycles import CycleNotFound, find_cycle
from cityeval.exports.stored import queue_cycle_files
from cityeval.jobs.follow import report_batch


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
        report_batch(self, batch, label=str(cycle.year), unit="job", wait=not options["no_wait"])
