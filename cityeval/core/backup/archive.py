"""Writing a backup archive and restoring one, checking everything before changing anything."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from cityeval.core.backup import BackupError, database
from cityeval.core.backup.manifest import (
    DATABASE,
    MANIFEST,
    MANIFEST_MAX_BYTES,
    MEDIA_PREFIX,
    Manifest,
    Member,
    applied_migrations,
    check_members,
    check_migrations,
    new_manifest,
    parse_manifest,
)

READ_SIZE = 1024 * 1024
# What a damaged or cut-off tar.gz raises while it is read.
DAMAGED = (tarfile.ReadError, EOFError, zlib.error, gzip.BadGzipFile)
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
        files = media_files()
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            manifest.members[DATABASE] = _add(archive, DATABASE, dump_path)
            total = len(files)
            for done, (name, path) in enumerate(files, start=1):
                manifest.members[name] = _add(archive, name, path)
                report("files", done, total)
            _add_bytes(archive, MANIFEST, manifest.to_json())
        with open(partial, "rb") as written:
            os.fsync(written.fileno())
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
    """Read the whole archive once: every member's checksum against the manifest."""
    report = _reporter(progress)
    found: dict[str, Member] = {}
    manifest_raw: bytes | None = None
    total = path.stat().st_size if path.exists() else 0
    with _open(path) as archive:
        for info in _members(archive):
            if info.name == MANIFEST:
                if info.size > MANIFEST_MAX_BYTES:
                    raise BackupError(_("%(name)s terlalu besar.") % {"name": MANIFEST})
                manifest_raw = _read_member(archive, info)
                continue
            found[info.name] = _hash_member(archive, info)
            report("verify", _position(archive), total)
    if manifest_raw is None:
        raise BackupError(
            _("Arsip tidak berisi %(name)s: bukan cadangan cityeval, atau terpotong.")
            % {"name": MANIFEST}
        )
    manifest = parse_manifest(manifest_raw)
    check_members(manifest, found)
    return manifest


def restore_backup(path: Path, *, replace: bool, progress: Progress | None = None) -> RestoreResult:
    """Verify the archive and this database's state, then replace rows and files together."""
    if not path.is_file():
        raise BackupError(_("Berkas %(path)s tidak ada.") % {"path": path})
    manifest = inspect_archive(path, progress)
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
    report = _reporter(progress)
    # Inside MEDIA_ROOT: the same file system, so every move below is a rename, and MEDIA_ROOT
    # may be a mount point of shared storage (which cannot itself be renamed).
    root = media_root()
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root, prefix=STAGING_PREFIX))
    try:
        files = _extract_media(path, manifest, staging / "new", report)
        rows = _replace_everything(path, manifest, staging, report)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    ContentType.objects.clear_cache()
    return RestoreResult(manifest=manifest, rows=rows, files=files)


def _extract_media(
    path: Path, manifest: Manifest, target: Path, report: Callable[[str, int, int], None]
) -> int:
    """Write the files into a staging folder beside MEDIA_ROOT, checking each hash again."""
    target.mkdir(parents=True)
    expected = {n: m for n, m in manifest.members.items() if n.startswith(MEDIA_PREFIX)}
    done = 0
    with _open(path) as archive:
        for info in _members(archive):
            if info.name not in expected:
                continue
            destination = target / info.name[len(MEDIA_PREFIX) :]
            destination.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(info)
            assert source is not None  # _members yields regular files only
            digest = hashlib.sha256()
            with open(destination, "wb") as out:
                while chunk := _read(source, info):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != expected[info.name].sha256:
                raise BackupError(
                    _("Checksum anggota %(name)s berubah saat dibaca ulang.") % {"name": info.name}
                )
            done += 1
            report("files", done, len(expected))
    return done


def _replace_everything(
    path: Path, manifest: Manifest, staging: Path, report: Callable[[str, int, int], None]
) -> int:
    """One transaction for the rows; the evidence folder is swapped just before it commits."""
    moves: list[tuple[Path, Path]] = []
    total = sum(manifest.row_counts.values())
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        report("database", done, total)

    try:
        with transaction.atomic():
            database.erase()
            with _open(path) as archive:
                source = _member_stream(archive, DATABASE)
                rows = database.load(source, progress=step)
            # Deferred foreign keys are checked now, while a failure can still roll back.
            try:
                connection.check_constraints()
            except DatabaseError as error:
                raise BackupError(
                    _("Data dalam arsip tidak konsisten: %(error)s") % {"error": error}
                ) from error
            _swap_media(staging, moves)
    except BaseException:
        _undo(moves)
        raise
    return rows


def _swap_media(staging: Path, moves: list[tuple[Path, Path]]) -> None:
    """Move MEDIA_ROOT's entries out to `staging/old` and the restored ones in from
    `staging/new`, noting every rename in `moves` so `_undo` can reverse even a swap that
    stopped half-way. Every move is a rename within one file system."""
    root = media_root()
    old = staging / "old"
    old.mkdir(exist_ok=True)
    for entry in _entries(root, staging):
        _move(entry, old / entry.name, moves)
    for entry in list((staging / "new").iterdir()):
        _move(entry, root / entry.name, moves)


def _move(source: Path, target: Path, moves: list[tuple[Path, Path]]) -> None:
    os.replace(source, target)
    moves.append((source, target))


def _undo(moves: list[tuple[Path, Path]]) -> None:
    for source, target in reversed(moves):
        os.replace(target, source)


def _entries(root: Path, staging: Path) -> list[Path]:
    return [entry for entry in root.iterdir() if entry != staging]


# ----------------------------------------------------------------------------- tar helpers


@contextmanager
def _open(path: Path) -> Iterator[tarfile.TarFile]:
    try:
        with tarfile.open(path, "r:gz") as archive:
            yield archive
    except DAMAGED as error:
        raise BackupError(
            _(
                "%(path)s bukan arsip cadangan yang dapat dibaca (bukan tar.gz, atau terpotong): "
                "%(error)s"
            )
            % {"path": path.name, "error": error}
        ) from error


def _members(archive: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    """Regular members only, with safe names; a truncated archive names the member it cut."""
    last = _("(awal arsip)")
    while True:
        try:
            info = archive.next()
        except DAMAGED as error:
            raise BackupError(
                _("Arsip terpotong atau rusak setelah anggota %(name)s: %(error)s")
                % {"name": last, "error": error or type(error).__name__}
            ) from error
        if info is None:
            return
        name = PurePosixPath(info.name)
        if not info.isfile() or name.is_absolute() or ".." in name.parts:
            raise BackupError(
                _("Anggota %(name)s tidak diizinkan dalam arsip cadangan.") % {"name": info.name}
            )
        last = info.name
        yield info


def _hash_member(archive: tarfile.TarFile, info: tarfile.TarInfo) -> Member:
    source = archive.extractfile(info)
    assert source is not None
    digest = hashlib.sha256()
    size = 0
    while chunk := _read(source, info):
        digest.update(chunk)
        size += len(chunk)
    return Member(sha256=digest.hexdigest(), size=size)


def _read(source: IO[bytes], info: tarfile.TarInfo) -> bytes:
    try:
        return source.read(READ_SIZE)
    except DAMAGED as error:
        raise BackupError(
            _("Arsip terpotong atau rusak di dalam anggota %(name)s: %(error)s")
            % {"name": info.name, "error": error or type(error).__name__}
        ) from error


def _read_member(archive: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    source = archive.extractfile(info)
    assert source is not None
    parts = []
    while chunk := _read(source, info):
        parts.append(chunk)
    return b"".join(parts)


def _member_stream(archive: tarfile.TarFile, name: str) -> IO[bytes]:
    for info in _members(archive):
        if info.name == name:
            source = archive.extractfile(info)
            assert source is not None
            return source
    raise BackupError(_("Arsip tidak berisi %(name)s.") % {"name": name})


def _position(archive: tarfile.TarFile) -> int:
    fileobj: Any = archive.fileobj
    try:
        return int(fileobj.fileobj.tell())  # the compressed offset: comparable to the size
    except (AttributeError, OSError, ValueError):
        return 0


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
