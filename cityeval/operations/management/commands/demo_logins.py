"""Print the demonstration logins (only those that exist in this database)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cityeval.accounts.models import User
from cityeval.operations.demo.people import DEMO_PASSWORD, DEMO_PEOPLE


class Command(BaseCommand):
    help = "List the demonstration users and their password."

    def handle(self, *args: Any, **options: Any) -> None:
        present = set(User.objects.values_list("username", flat=True))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for person in DEMO_PEOPLE:
            if person.username in present:
                scope = person.opd_code or person.region_code or "national"
                self.stdout.write(f"  {person.username:<24} {person.role.label:<22} {scope}")
