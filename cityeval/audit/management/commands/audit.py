"""`cityeval audit verify`: check the audit log's hash chain from the first entry to the last."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from cityeval.audit.models import AuditEntry
from cityeval.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit code 1 names the first broken entry."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        verify = actions.add_parser("verify", help="walk the chain and name the first break")
        verify.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        total = AuditEntry.objects.count()
        with tqdm(total=total, unit=" entri", disable=bool(options["quiet"])) as bar:
            verdict = verify_chain(progress=bar.update)
        if verdict.broken is not None:
            raise CommandError(
                _("RUSAK setelah %(count)d entri yang utuh. %(problem)s")
                % {"count": verdict.checked, "problem": verdict.broken.describe()},
                returncode=1,
            )
        self.stdout.write(_("OK: %(count)d entri, rantai utuh.") % {"count": verdict.checked})
