"""`cityeval framework validate|import|import-shipped`: framework files from the command line.

Every file is handled even when an earlier one fails, so one run shows all the problems; the
exit code is 1 when any file failed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cityeval.frameworks.loader import FrameworkError, load_framework_file
from cityeval.frameworks.services import ImportOutcome, run_import, shipped_files


class Command(BaseCommand):
    help = "Validate framework files, or import them as immutable versions."
    # Validating a file needs no database, and the system checks would open one.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        validate = actions.add_parser("validate", help="check files and print every problem")
        validate.add_argument("files", nargs="+", metavar="FILE")
        importing = actions.add_parser("import", help="import files as new framework versions")
        importing.add_argument("files", nargs="+", metavar="FILE")
        actions.add_parser("import-shipped", help="import every file in settings.FRAMEWORKS_DIR")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "validate":
            failed = self._each(options["files"], self._validate)
        elif action == "import":
            failed = self._each(options["files"], self._import)
        else:
            files = [str(path) for path in shipped_files()]
            if not files:
                raise CommandError(_("Tidak ada berkas kerangka di FRAMEWORKS_DIR."))
            failed = self._each(files, self._import)
        if failed:
            raise CommandError(
                ngettext("%(count)d berkas gagal.", "%(count)d berkas gagal.", failed)
                % {"count": failed},
                returncode=1,
            )

    def _each(self, files: list[str], handle_one: Callable[[str], None]) -> int:
        failed = 0
        for file in files:
            try:
                handle_one(file)
            except FrameworkError as error:
                failed += 1
                for line in error.errors:
                    self.stderr.write(line)
        return failed

    def _validate(self, file: str) -> None:
        document = load_framework_file(Path(file))
        count = len(document.indicators())
        self.stdout.write(
            self.style.SUCCESS(_("OK %(file)s: %(ref)s, %(count)d indikator"))
            % {"file": file, "ref": document.ref, "count": count}
        )

    def _import(self, file: str) -> None:
        outcome: ImportOutcome = run_import(path=file)
        version = outcome.version
        count = version.nodes.exclude(kind="group").count()
        if outcome.created:
            text = _("Diimpor %(file)s: %(ref)s, %(count)d indikator")
        else:
            text = _("Sudah ada dengan isi yang sama, tidak diubah: %(file)s: %(ref)s")
        self.stdout.write(
            self.style.SUCCESS(text % {"file": file, "ref": version.ref, "count": count})
        )
