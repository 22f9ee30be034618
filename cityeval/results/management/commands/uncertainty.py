"""`cityeval uncertainty --cycle YEAR [--round ROUND]`: recompute a cycle's rank intervals.

The same service publishing calls (`refresh_rank_intervals`), in one transaction; prints what
moves ranks most. Useful after a change of peer groups, or to check a stored analysis.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cityeval.evaluations.models import Cycle, Round
from cityeval.results.models import RankAnalysis
from cityeval.results.uncertainty import refresh_rank_intervals


class Command(BaseCommand):
    help = "Recompute the Monte Carlo rank intervals of a cycle's published results."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cycle", type=int, required=True, help="the cycle's year")
        parser.add_argument(
            "--round", choices=Round.values, help="the round, when the year has several"
        )
        parser.add_argument("--program", help="the program code, when several run that year")

    def handle(self, *args: Any, **options: Any) -> None:
        cycle = _cycle(options["cycle"], options["round"], options["program"])
        started = time.perf_counter()
        with transaction.atomic():
            analysis = refresh_rank_intervals(cycle=cycle, user=None)
        seconds = time.perf_counter() - started
        if analysis is None:
            self.stdout.write(f"{cycle}: no published results; stored analysis removed.")
            return
        self.stdout.write(summary(analysis, seconds))


def summary(analysis: RankAnalysis, seconds: float) -> str:
    lines = [
        f"{analysis.cycle}: {analysis.regions} published results, {analysis.draws} draws, "
        f"seed {analysis.seed}, {seconds:.2f} s",
        f"mean absolute rank shift, every choice at once: {analysis.mean_shift:.2f}",
        "one at a time (mean / largest rank shift), the most influential first:",
    ]
    for entry in analysis.sensitivity:
        lines.append(f"  {entry['input']:<28} {entry['mean_shift']:8.2f} {entry['max_shift']:6d}")
    return "\n".join(lines)


def _cycle(year: int, round_: str | None, program: str | None) -> Cycle:
    cycles = Cycle.objects.filter(year=year).select_related("framework_version")
    if round_:
        cycles = cycles.filter(round=round_)
    if program:
        cycles = cycles.filter(program=program)
    found = list(cycles)
    if not found:
        known = ", ".join(str(c) for c in Cycle.objects.order_by("year", "round"))
        raise CommandError(f"no cycle {year} {round_ or ''}; cycles: {known or 'none'}".strip())
    if len(found) > 1:
        names = ", ".join(f"{c} (--round {c.round} --program {c.program})" for c in found)
        raise CommandError(f"several cycles in {year}: {names}; choose one")
    return found[0]
