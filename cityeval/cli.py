"""The `cityeval` command: Django's management commands under the project's own name.

`cityeval framework validate FILE` is the same as `python manage.py framework validate FILE`.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityeval.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cityeval", *sys.argv[1:]])
