"""`cityeval score FILE --framework CODE@VERSION`: score a table of regions × items."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityeval.frameworks.convert import to_scoring
from cityeval.frameworks.models import FrameworkVersion
from cityeval.results.scoretable import as_text, score_table, write
from cityeval.results.sheets import SheetError, read_value_table
from scoring.errors import ScoringError


class Command(BaseCommand):
    help = (
        "Score a CSV or Excel table (first column: region; other columns: item codes) and "
        "print or write the indices, predicates and ranks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--framework", required=True, help="CODE@VERSION, e.g. G100SC@2022")
        parser.add_argument("--output", type=Path, help="write .csv, .json or .xlsx instead")

    def handle(self, *args: Any, **options: Any) -> None:
        ref: str = options["framework"]
        try:
            version = FrameworkVersion.objects.get_by_ref(ref)
        except (FrameworkVersion.DoesNotExist, ValueError):
            known = ", ".join(v.ref for v in FrameworkVersion.objects.order_by("code", "version"))
            raise CommandError(f"unknown framework {ref!r}; imported: {known or 'none'}") from None
        framework = to_scoring(version)
        output: Path | None = options["output"]
        if output is not None and output.suffix.lower() not in {".csv", ".json", ".xlsx"}:
            raise CommandError(f"cannot write {output.name}: use .csv, .json or .xlsx")
        try:
            table = score_table(framework, read_value_table(options["file"], framework))
        except (SheetError, ScoringError) as error:
            raise CommandError(str(error)) from None
        if output is None:
            self.stdout.write(as_text(table))
        else:
            write(table, output)
            self.stdout.write(f"wrote {len(table.rows)} regions to {output}")
