"""Build the demonstration data set (deterministic, seeded)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from cityeval.evaluations.models import Cycle
from cityeval.operations.demo.build import DEMO_YEARS, build_demo


class Command(BaseCommand):
    help = "Build the demonstration data: 100 program regions, cycles 2018–2020, demo users."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when cycles already exist"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Cycle.objects.exists():
            self.stdout.write("demonstration data already present")
            return
        with tqdm(total=3 + len(DEMO_YEARS), desc="demo", unit="step") as bar:

            def step(label: str, n: int) -> None:
                bar.set_postfix_str(label)
                bar.update(n)

            summary = build_demo(seed=options["seed"], progress=step)
        self.stdout.write(
            f"{summary.regions} regions ({summary.program_regions} in the program), "
            f"{summary.cycles} cycles, {summary.evaluations} evaluations, "
            f"{summary.item_values} item values, {summary.snapshots} results, "
            f"{summary.users} demo users"
        )
