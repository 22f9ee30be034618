"""Build the national-scale data set: 514 regencies/cities × 3 published cycles (seeded)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from cityeval.evaluations.models import Cycle
from cityeval.operations.demo.national import NationalDataExists, build_national, steps_of


class Command(BaseCommand):
    help = (
        "Build the national-scale data set into an empty database: every regency and city, "
        "three published cycles of G100SC, assessor teams, peer groups (for benchmarks)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument(
            "--regions", type=int, default=None, help="build only this many regions (default all)"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when cycles already exist"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Cycle.objects.exists():
            self.stdout.write("data already present; nothing built")
            return
        if options["regions"] is not None and options["regions"] < 2:
            raise CommandError("--regions must be at least 2")
        started = time.perf_counter()
        try:
            with tqdm(total=steps_of(), desc="national", unit="step") as bar:

                def step(label: str, n: int) -> None:
                    bar.set_postfix_str(label)
                    bar.update(n)

                summary = build_national(
                    seed=options["seed"], regions=options["regions"], progress=step
                )
        except NationalDataExists as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{summary.regions} regions, {summary.cycles} cycles, {summary.evaluations} "
            f"evaluations, {summary.item_values} item values, {summary.snapshots} results "
            f"({summary.published} published), {summary.assessors} assessors "
            f"in {elapsed:.1f} s"
        )
