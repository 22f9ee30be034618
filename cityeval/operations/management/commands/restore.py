"""`cityeval restore FILE [--yes]`: verify an archive completely, then replace everything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from cityeval.audit.verify import verify_chain
from cityeval.core.management.progress import StageProgress
from cityeval.operations.backup import BackupError
from cityeval.operations.backup.archive import inspect_archive, restore_backup
from cityeval.operations.backup.manifest import manifest_summary


class Command(BaseCommand):
    help = "Restore an archive written by `cityeval backup` (checks every member first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, metavar="FILE")
        parser.add_argument(
            "--yes",
            "--replace",
            dest="replace",
            action="store_true",
            help="replace the data of a database that is not empty",
        )
        parser.add_argument(
            "--check-only", action="store_true", help="verify the archive, change nothing"
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bars")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["archive"]
        with StageProgress(disable=options["quiet"]) as progress:
            try:
                if options["check_only"]:
                    manifest = inspect_archive(path, progress=progress)
                    self.stdout.write(
                        _("Arsip utuh: %(summary)s") % {"summary": manifest_summary(manifest)}
                    )
                    return
                result = restore_backup(path, replace=options["replace"], progress=progress)
            except BackupError as error:
                raise CommandError(
                    _("Pemulihan ditolak, tidak ada yang diubah: %(error)s") % {"error": error}
                ) from error
        self.stdout.write(
            _("Dipulihkan dari %(path)s (dibuat %(created)s): %(rows)d baris, %(files)d berkas.")
            % {
                "path": path,
                "created": result.manifest.created_at,
                "rows": result.rows,
                "files": result.files,
            }
        )
        verdict = verify_chain()
        if verdict.broken is not None:
            self.stderr.write(
                _("Peringatan: rantai audit dalam arsip rusak. %(problem)s")
                % {"problem": verdict.broken.describe()}
            )
        else:
            self.stdout.write(_("Rantai audit utuh: %(count)d entri.") % {"count": verdict.checked})
