"""`cityeval remind_deadlines --days N`: remind people with unfinished items of a near deadline."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from cityeval.evaluations.reminders import remind_deadlines


class Command(BaseCommand):
    help = (
        "Mail and notify coordinators and contributors with empty items when the "
        "self-assessment deadline is at most N days away; at most once per person per day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="days before the deadline")

    def handle(self, *args: Any, **options: Any) -> None:
        days = int(options["days"])
        if days < 0:
            raise CommandError(_("--days tidak boleh negatif."))
        sent = remind_deadlines(days=days)
        self.stdout.write(
            _("%(people)d orang diingatkan (%(evaluations)d evaluasi); %(skipped)d sudah hari ini.")
            % {"people": sent.people, "evaluations": sent.evaluations, "skipped": sent.skipped}
        )
