"""`cityeval backup [--output FILE]`: the database and every evidence file in one archive."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from cityeval.core.management.progress import StageProgress
from cityeval.operations.backup import BackupError
from cityeval.operations.backup.archive import create_backup


class Command(BaseCommand):
    help = "Write the database and the evidence files into one verified .tar.gz archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="archive to write (default: DATA_DIR/backups/cityeval-YYYYmmdd-HHMMSS.tar.gz)",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bars")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"] or default_output()
        with StageProgress(disable=options["quiet"]) as progress:
            try:
                result = create_backup(output, progress=progress)
            except (BackupError, OSError) as error:
                raise CommandError(_("Cadangan gagal: %(error)s") % {"error": error}) from error
        self.stdout.write(
            _("Cadangan ditulis: %(path)s (%(size)s, %(rows)d baris, %(files)d berkas)")
            % {
                "path": result.path,
                "size": filesizeformat(result.size),
                "rows": result.rows,
                "files": result.files,
            }
        )


def default_output() -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")  # the operator's local time
    return Path(settings.DATA_DIR) / "backups" / f"cityeval-{stamp}.tar.gz"
