"""Load the national province and regency/city list (idn-area-data from npm by default).

No progress bar: the 552 rows load in well under a second.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cityeval.regions.services import LoadSummary, RegionDataError, load_regions


def default_source() -> Path:
    return Path(settings.NODE_MODULES) / "idn-area-data" / "data"


class Command(BaseCommand):
    help = "Create or update provinces and regencies/cities from the idn-area-data CSV files."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--source",
            type=Path,
            default=None,
            help="folder with provinces.csv and regencies.csv (default: idn-area-data in "
            "node_modules)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["source"] or default_source()
        if not source.is_dir():
            hint = "run `npm ci` in the project folder" if options["source"] is None else ""
            raise CommandError(
                f"region data folder not found: {source}" + (f"; {hint}" if hint else "")
            )
        try:
            summary = load_regions(source_dir=source)
        except RegionDataError as error:
            raise CommandError(f"nothing was loaded: {error}") from error
        self._report(summary)

    def _report(self, summary: LoadSummary) -> None:
        self.stdout.write(
            f"Provinces: {summary.provinces_created} created, {summary.provinces_updated} "
            f"updated, {summary.provinces_unchanged} unchanged."
        )
        self.stdout.write(
            f"Regencies/cities: {summary.regions_created} created, {summary.regions_updated} "
            f"updated, {summary.regions_unchanged} unchanged."
        )
        if summary.missing_from_source:
            self.stderr.write(
                self.style.WARNING(
                    "Kept, but no longer in the source: " + ", ".join(summary.missing_from_source)
                )
            )
        self.stdout.write(self.style.SUCCESS(f"Source: {summary.attribution}"))
