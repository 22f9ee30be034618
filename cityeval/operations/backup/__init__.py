"""Backup and restore of the whole installation: the database and the evidence files.

One `.tar.gz` archive holds `database.jsonl` (every row of every model, Django's JSON Lines
serialisation, so an archive made on SQLite restores on PostgreSQL and back), every file under
MEDIA_ROOT as `media/<path>`, and `manifest.json` last: format version, application version,
creation time, database vendor, applied migrations, row counts, and SHA-256 + size of every
member. Restore checks all of it before it touches anything.
"""

from __future__ import annotations


class BackupError(Exception):
    """The archive cannot be written or restored; the message says which member and why."""
