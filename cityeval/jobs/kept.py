"""Uploads kept for a job: the file a queued import or preview reads in the worker.

One folder, `MEDIA_ROOT/imports/`, never served; each file has a random name and is written
atomically (a `.part` file renamed into place), so a worker never reads half a file. The job's
params hold only the name; `kept_path` takes the base name of what it is given, so a tampered
param cannot point outside the folder.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings


def folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def keep_upload(content: bytes) -> str:
    """Write the upload into the folder under a new random name and return that name."""
    where = folder()
    where.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.xlsx"
    part = where / f".{name}.part"
    part.write_bytes(content)
    os.replace(part, where / name)
    return name


def kept_path(name: object) -> Path:
    """The kept file of this name (its base name only)."""
    return folder() / Path(str(name)).name
