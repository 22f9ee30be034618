"""Writing a backup archive and restoring one, checking everything before changing anything."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import Storage
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from cityeval.evidence.storage import remote, remote_names
from cityeval.operations.backup import BackupError, database
from cityeval.operations.backup.manifest import (
    DATABASE,
    MANIFEST,
    MEDIA_PREFIX,
    SIGNATURE,
    Manifest,
    Member,
    applied_migrations,
    check_migrations,
    new_manifest,
)
from cityeval.operations.backup.reader import read_archive, signature_of, signing_key

# Backups hold password and token hashes: readable by the owner only, like the database.
ARCHIVE_MODE = 0o600
# Half-written uploads (evidence/storage.py) are not evidence yet.
PARTIAL_SUFFIX = ".part"
# A restore's working folder inside MEDIA_ROOT; never part of a backup.
STAGING_PREFIX = ".restore-"

Progress = Callable[[str, int, int], Any]  # (stage, done so far in this stage, stage total)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    rows: int
    files: int
    size: int


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    rows: int
    files: int


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


# ----------------------------------------------------------------------------- backup


def create_backup(output: Path, progress: Progress | None = None) -> BackupResult:
    """Write the archive under a temporary name beside `output`, then rename it into place."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    report = _reporter(progress)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".cityeval-backup-") as work:
        dump_path = Path(work) / DATABASE
        rows, counts = _dump_database(dump_path, report)
        manifest = new_manifest(counts)
        partial = Path(work) / "archive.tar.gz"
        storage = remote()
        files: list[tuple[str, Path | str]] = []
        files += media_files() if storage is None else remote_media_files()
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, ARCHIVE_MODE)
        os.fchmod(descriptor, ARCHIVE_MODE)  # whatever the umask
        with (
            os.fdopen(descriptor, "wb") as raw,
            tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as archive,
        ):
            manifest.members[DATABASE] = _add(archive, DATABASE, dump_path)
            total = len(files)
            for done, (name, path) in enumerate(files, start=1):
                if isinstance(path, Path):
                    manifest.members[name] = _add(archive, name, path)
                else:
                    assert storage is not None
                    manifest.members[name] = _add_remote(archive, name, path, storage)
                report("files", done, total)
            manifest_raw = manifest.to_json()
            _add_bytes(archive, MANIFEST, manifest_raw)
            key = signing_key()
            if key:
                _add_bytes(archive, SIGNATURE, signature_of(manifest_raw, key))
            archive.close()  # writes the end of the tar and of the gzip stream
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    _fsync_folder(output.parent)
    return BackupResult(path=output, rows=rows, files=len(files), size=output.stat().st_size)


def _dump_database(
    path: Path, report: Callable[[str, int, int], None]
) -> tuple[int, dict[str, int]]:
    """One transaction (a snapshot on PostgreSQL) so rows and counts agree."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        counts = database.row_counts()
        total = sum(counts.values())
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            report("database", done, total)

        with open(path, "wb") as out:
            rows = database.dump(out, progress=step)
    return rows, counts


def media_files() -> list[tuple[str, Path]]:
    """Every evidence file under MEDIA_ROOT, as (archive name, path), in a stable order."""
    root = media_root()
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0].startswith(STAGING_PREFIX):
            continue
        if path.is_file() and not path.is_symlink() and not path.name.endswith(PARTIAL_SUFFIX):
            found.append((MEDIA_PREFIX + relative.as_posix(), path))
    return found


def remote_media_files() -> list[tuple[str, str]]:
    """Every evidence object in the bucket, as (archive name, stored path): the same archive
    names as files under MEDIA_ROOT, so a backup restores onto either kind of storage."""
    storage = remote()
    if storage is None:
        return []
    return [(MEDIA_PREFIX + name, name) for name in remote_names(storage)]


def _add_remote(archive: tarfile.TarFile, name: str, key: str, storage: Storage) -> Member:
    info = tarfile.TarInfo(name)
    info.size, info.mode = storage.size(key), 0o600
    info.mtime = int(storage.get_modified_time(key).timestamp())
    with storage.open(key, "rb") as source:
        reader = _HashingReader(source)
        archive.addfile(info, reader)
    return Member(sha256=reader.digest.hexdigest(), size=reader.size)


class _HashingReader:
    """Hands the bytes of a file to tarfile while hashing exactly what it handed over."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add(archive: tarfile.TarFile, name: str, path: Path) -> Member:
    info = tarfile.TarInfo(name)
    stat = path.stat()
    info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
    with open(path, "rb") as source:
        reader = _HashingReader(source)
        archive.addfile(info, reader)
    return Member(sha256=reader.digest.hexdigest(), size=reader.size)


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(content), 0o600
    archive.addfile(info, io.BytesIO(content))


# ----------------------------------------------------------------------------- restore


def inspect_archive(path: Path, progress: Progress | None = None) -> Manifest:
    """Read the whole archive once: every member's name, type and checksum (`--check-only`)."""
    return read_archive(path, into=None, report=_reporter(progress))


def restore_backup(path: Path, *, replace: bool, progress: Progress | None = None) -> RestoreResult:
    """Verify the archive and this database's state, then replace rows and files together.

    The archive is read once, into a staging folder, by the same reader `--check-only` uses;
    rows and files are then loaded from those checked copies, never from the archive again.
    """
    if not path.is_file():
        raise BackupError(_("Berkas %(path)s tidak ada.") % {"path": path})
    report = _reporter(progress)
    # Inside MEDIA_ROOT: the same file system, so every move below is a rename, and MEDIA_ROOT
    # may be a mount point of shared storage (which cannot itself be renamed).
    root = media_root()
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root, prefix=STAGING_PREFIX))
    try:
        unpacked = staging / "unpacked"
        manifest = read_archive(path, into=unpacked, report=report)
        check_migrations(
            manifest.migrations, applied_migrations(), archive_version=manifest.app_version
        )
        empty, filled = database.database_is_empty()
        if not empty and not replace:
            raise BackupError(
                _(
                    "Basis data tidak kosong (antara lain %(tables)s). Pemulihan akan MENGGANTI "
                    "semua data dan berkas bukti; ulangi dengan --yes bila itu yang dimaksud."
                )
                % {"tables": ", ".join(filled[:5])}
            )
        files = sum(1 for name in manifest.members if name.startswith(MEDIA_PREFIX))
        rows = _replace_everything(unpacked, manifest, staging, report)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    ContentType.objects.clear_cache()
    # What the cache holds was rendered from the rows just replaced, under keys the restored
    # rows hand out again (audit ids as the public pages' marker, which the cache only lets grow;
    # boundary files by id): none of it may outlive them.
    cache.clear()
    return RestoreResult(manifest=manifest, rows=rows, files=files)


def _replace_everything(
    unpacked: Path, manifest: Manifest, staging: Path, report: Callable[[str, int, int], None]
) -> int:
    """One transaction for the rows; the evidence folder is swapped just before it commits."""
    moves: list[tuple[Path, Path]] = []
    storage = remote()
    uploaded: list[str] = []
    total = sum(manifest.row_counts.values())
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        report("database", done, total)

    new_media = unpacked / MEDIA_PREFIX.rstrip("/")
    new_media.mkdir(parents=True, exist_ok=True)
    try:
        with transaction.atomic():
            database.erase()
            with open(unpacked / DATABASE, "rb") as source:
                rows = database.load(source, progress=step)
            # Deferred foreign keys are checked now, while a failure can still roll back.
            try:
                connection.check_constraints()
            except DatabaseError as error:
                raise BackupError(
                    _("Data dalam arsip tidak konsisten: %(error)s") % {"error": error}
                ) from error
            if storage is None:
                _swap_media(new_media, staging, moves)
            else:
                _upload_media(new_media, storage, uploaded)
    except BaseException:
        _undo(moves)
        _delete_quietly(storage, uploaded)
        raise
    if storage is not None:
        # The rows now name only the restored objects: the others are no evidence any more.
        restored = {
            p.relative_to(new_media).as_posix() for p in new_media.rglob("*") if p.is_file()
        }
        _delete_quietly(storage, [key for key in remote_names(storage) if key not in restored])
    return rows


def _upload_media(new: Path, storage: Storage, uploaded: list[str]) -> None:
    """Put every restored file into the bucket under its stored path, noting the keys that were
    not there before so that a failed restore removes them again."""
    for path in sorted(new.rglob("*")):
        if not path.is_file():
            continue
        key = path.relative_to(new).as_posix()
        existed = storage.exists(key)
        with open(path, "rb") as source:
            storage.save(key, File(source))
        if not existed:
            uploaded.append(key)


def _delete_quietly(storage: Storage | None, keys: list[str]) -> None:
    if storage is None:
        return
    for key in keys:
        try:
            storage.delete(key)
        except Exception:  # noqa: S112 - a leftover object is harmless, a crash here is not
            continue


def _swap_media(new: Path, staging: Path, moves: list[tuple[Path, Path]]) -> None:
    """Move MEDIA_ROOT's entries out to `staging/old` and the restored ones in from `new`,
    noting every rename in `moves` so `_undo` can reverse even a swap that
    stopped half-way. Every move is a rename within one file system."""
    root = media_root()
    old = staging / "old"
    old.mkdir(exist_ok=True)
    for entry in _entries(root, staging):
        _move(entry, old / entry.name, moves)
    for entry in list(new.iterdir()):
        _move(entry, root / entry.name, moves)


def _move(source: Path, target: Path, moves: list[tuple[Path, Path]]) -> None:
    os.replace(source, target)
    moves.append((source, target))


def _undo(moves: list[tuple[Path, Path]]) -> None:
    for source, target in reversed(moves):
        os.replace(target, source)


def _entries(root: Path, staging: Path) -> list[Path]:
    return [entry for entry in root.iterdir() if entry != staging]


def _reporter(progress: Progress | None) -> Callable[[str, int, int], None]:
    def report(stage: str, done: int, total: int) -> None:
        if progress:
            progress(stage, done, total)

    return report


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
