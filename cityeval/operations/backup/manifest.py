"""The manifest of a backup archive and the checks a restore makes against it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from cityeval.operations.backup import BackupError

FORMAT = "cityeval-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# HMAC-SHA256 of manifest.json with BACKUP_SIGNING_KEY, written when that key is set.
SIGNATURE = "manifest.sig"
DATABASE = "database.jsonl"
MEDIA_PREFIX = "media/"
# A manifest is a few hundred bytes per file; refuse to read anything absurd into memory.
MANIFEST_MAX_BYTES = 64 * 1024 * 1024

Migrations = dict[str, list[str]]


@dataclass(frozen=True)
class Member:
    sha256: str
    size: int


@dataclass
class Manifest:
    created_at: str
    app_version: str
    database_vendor: str
    migrations: Migrations
    row_counts: dict[str, int]
    members: dict[str, Member] = field(default_factory=dict)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        document = {
            "format": self.format,
            "format_version": self.format_version,
            "app_version": self.app_version,
            "created_at": self.created_at,
            "database_vendor": self.database_vendor,
            "migrations": self.migrations,
            "row_counts": self.row_counts,
            "members": {
                name: {"sha256": m.sha256, "size": m.size} for name, m in self.members.items()
            },
        }
        return json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True).encode()


def new_manifest(row_counts: dict[str, int]) -> Manifest:
    return Manifest(
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        app_version=app_version(),
        database_vendor=connection.vendor,
        migrations=applied_migrations(),
        row_counts=row_counts,
    )


def parse_manifest(raw: bytes) -> Manifest:
    """Read a manifest, refusing anything that is not a cityeval backup of a known format."""
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(
            _("%(name)s bukan JSON yang sah: %(error)s") % {"name": MANIFEST, "error": error}
        ) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(
            _("%(name)s bukan manifes cadangan cityeval (format %(found)r).")
            % {
                "name": MANIFEST,
                "found": document.get("format") if isinstance(document, dict) else None,
            }
        )
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            _(
                "Versi format arsip %(found)r tidak didukung; cityeval ini membaca versi "
                "%(supported)d."
            )
            % {"found": version, "supported": FORMAT_VERSION}
        )
    try:
        members = {
            str(name): Member(sha256=str(m["sha256"]), size=int(m["size"]))
            for name, m in document["members"].items()
        }
        return Manifest(
            created_at=str(document["created_at"]),
            app_version=str(document["app_version"]),
            database_vendor=str(document["database_vendor"]),
            migrations={str(k): [str(n) for n in v] for k, v in document["migrations"].items()},
            row_counts={str(k): int(v) for k, v in document["row_counts"].items()},
            members=members,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise BackupError(
            _("%(name)s tidak lengkap atau rusak: %(error)r") % {"name": MANIFEST, "error": error}
        ) from error


def app_version() -> str:
    try:
        return metadata.version("cityeval")
    except metadata.PackageNotFoundError:
        return "unknown"


def applied_migrations() -> Migrations:
    """Applied migrations per app, as recorded in this database."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    applied: Migrations = {}
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def check_migrations(archived: Migrations, current: Migrations, *, archive_version: str) -> None:
    """The database must be at exactly the migration state the archive was made at."""
    if not current:
        raise BackupError(
            _("Basis data belum dimigrasi. Jalankan `cityeval migrate` dahulu, lalu pulihkan.")
        )
    newer = _difference(archived, current)
    older = _difference(current, archived)
    if newer:
        raise BackupError(
            _(
                "Arsip dibuat oleh versi cityeval yang lebih baru: migrasi %(names)s tidak "
                "dikenal atau belum diterapkan di sini. Perbarui cityeval dan jalankan migrate, "
                "lalu pulihkan."
            )
            % {"names": ", ".join(newer[:10]) + (" …" if len(newer) > 10 else "")}
        )
    if older:
        raise BackupError(
            _(
                "Arsip dibuat pada keadaan migrasi yang lebih lama: migrasi %(names)s belum ada "
                "di arsip. Pulihkan dengan versi cityeval yang membuat arsip (%(version)s), lalu "
                "perbarui dan jalankan migrate."
            )
            % {
                "names": ", ".join(older[:10]) + (" …" if len(older) > 10 else ""),
                "version": archive_version,
            }
        )


def _difference(left: Migrations, right: Migrations) -> list[str]:
    right_set = {(app, name) for app, names in right.items() for name in names}
    return [
        f"{app}.{name}"
        for app, names in sorted(left.items())
        for name in names
        if (app, name) not in right_set
    ]


def check_members(manifest: Manifest, found: dict[str, Member]) -> None:
    """Every member listed must be present with its checksum; nothing unlisted may be added."""
    for name, expected in manifest.members.items():
        actual = found.get(name)
        if actual is None:
            raise BackupError(
                _("Anggota %(name)s tercantum di manifes tetapi tidak ada di arsip.")
                % {"name": name}
            )
        if actual.size != expected.size:
            raise BackupError(
                _(
                    "Anggota %(name)s berukuran %(actual)d bita, manifes mencatat %(expected)d: "
                    "arsip rusak atau diubah."
                )
                % {"name": name, "actual": actual.size, "expected": expected.size}
            )
        if actual.sha256 != expected.sha256:
            raise BackupError(
                _(
                    "Checksum SHA-256 anggota %(name)s tidak cocok dengan manifes: arsip rusak "
                    "atau diubah."
                )
                % {"name": name}
            )
    for name in found:
        if name not in manifest.members:
            raise BackupError(
                _("Anggota %(name)s tidak tercantum di manifes: arsip diubah.") % {"name": name}
            )
    if DATABASE not in manifest.members:
        raise BackupError(_("Arsip tidak berisi %(name)s.") % {"name": DATABASE})


def manifest_summary(manifest: Manifest) -> dict[str, Any]:
    return {
        "created_at": manifest.created_at,
        "app_version": manifest.app_version,
        "database_vendor": manifest.database_vendor,
        "rows": sum(manifest.row_counts.values()),
        "files": sum(1 for name in manifest.members if name.startswith(MEDIA_PREFIX)),
    }
