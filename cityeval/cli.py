"""The `cityeval` command: Django's management commands under the project's own name.

`cityeval framework validate FILE` is the same as `python manage.py framework validate FILE`.
A configuration error (a missing or unusable environment variable) is one line that says what to
set, not a traceback.
"""

from __future__ import annotations

import os
import sys

# Commands that neither serve requests nor sign anything: they need no SECRET_KEY and run with a
# random key of their own process when none is set (see cityeval/settings.py). `runserver`,
# `shell` and anything unknown still need the real key.
SECRETLESS_COMMANDS = frozenset(
    {
        "audit",
        "backup",
        "check",
        "compiletranslations",
        "demo",
        "demo_logins",
        "demo_national",
        "framework",
        "help",
        "import_programs",
        "loadregions",
        "remind_deadlines",
        "migrate",
        "restore",
        "score",
        "scorecard_pdfs",
        "showmigrations",
        "uncertainty",
    }
)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityeval.settings")
    arguments = sys.argv[1:]
    if not arguments or arguments[0] in SECRETLESS_COMMANDS or arguments[0].startswith("-"):
        os.environ.setdefault("CITYEVAL_SECRETLESS_COMMAND", "1")
    from django.core.management import execute_from_command_line

    from cityeval.env import ConfigError

    try:
        execute_from_command_line(["cityeval", *arguments])
    except ConfigError as error:
        sys.exit(f"cityeval: configuration error: {error}")
