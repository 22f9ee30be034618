"""Import a region's program sheet from the command line, with the same all-or-nothing service
as the upload page (`services.import_programs`): every row valid, or nothing written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityeval.accounts.models import User
from cityeval.masterplans.importing import ImportRejected
from cityeval.masterplans.models import Masterplan
from cityeval.masterplans.services import import_programs
from cityeval.masterplans.upload import UploadRefused
from cityeval.regions.models import Region


class Command(BaseCommand):
    help = (
        "Import programs and yearly statuses from an Excel sheet (the masterplan page's "
        "template) into a region's current masterplan. All rows valid, or nothing written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .xlsx file")
        parser.add_argument("--region", required=True, help="Kemendagri code, e.g. 64.02")
        parser.add_argument(
            "--user", help="username recorded as the actor in the audit log (default: none)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file ({error.strerror})") from None
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(f"--region {options['region']}: no region has this code")
        masterplan = Masterplan.objects.current_of(region.pk)
        if masterplan is None:
            raise CommandError(f"{region}: the region has no masterplan yet; create it first")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"--user {options['user']}: no such user")
        try:
            outcome = import_programs(
                masterplan=masterplan, user=user, content=content, filename=path.name
            )
        except UploadRefused as refused:
            raise CommandError(f"{path}: {refused}") from None
        except ImportRejected as rejected:
            for problem in rejected.errors:
                where = f"sheet {problem.sheet}"
                if problem.row is not None:
                    where += f", row {problem.row}"
                if problem.column:
                    where += f", column {problem.column}"
                self.stderr.write(f"{path}: {where}: {problem.problem}")
            raise CommandError(f"{path}: {rejected}") from None
        self.stdout.write(
            f"{region}: {len(outcome.created)} programs created, {len(outcome.updated)} "
            f"updated, {outcome.years} yearly statuses"
        )
