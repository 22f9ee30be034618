"""Reading a backup archive: the one reader that both `restore --check-only` and the restore use.

Every member is read once. Its name and type are checked before a byte of it is read (regular
files only, with a name the format knows, no duplicate, no absolute path, no `.`/`..` or empty
component), its bytes are hashed as they are read and, for a restore, written at the same time
to the staging folder that the restore then loads from. So what is checked is exactly what is
loaded: a second copy of a member, or an archive changed between two readings, cannot slip
through. The manifest is checked against what was read once the whole archive has been read.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import tarfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from cityeval.operations.backup import BackupError
from cityeval.operations.backup.manifest import (
    DATABASE,
    MANIFEST,
    MANIFEST_MAX_BYTES,
    MEDIA_PREFIX,
    SIGNATURE,
    Manifest,
    Member,
    check_members,
    parse_manifest,
)

READ_SIZE = 1024 * 1024
# What a damaged or cut-off tar.gz raises while it is read.
DAMAGED = (tarfile.ReadError, EOFError, zlib.error, gzip.BadGzipFile)
SIGNATURE_MAX_BYTES = 1024

Report = Callable[[str, int, int], None]


def signing_key() -> bytes:
    """BACKUP_SIGNING_KEY from the environment (settings); empty means backups are unsigned."""
    return str(getattr(settings, "BACKUP_SIGNING_KEY", "") or "").encode()


def signature_of(manifest_raw: bytes, key: bytes) -> bytes:
    return hmac.new(key, manifest_raw, hashlib.sha256).hexdigest().encode()


def read_archive(path: Path, *, into: Path | None, report: Report) -> Manifest:
    """Check every member of the archive at `path`, copying the members into `into` if given.

    Raises BackupError naming the member at the first problem; returns the checked manifest.
    """
    found: dict[str, Member] = {}
    files: set[str] = set()
    folders: set[str] = set()
    manifest_raw: bytes | None = None
    signature: bytes | None = None
    total = path.stat().st_size if path.exists() else 0
    with _open(path) as archive:
        for info in _members(archive):
            name = info.name
            _check_name(name, files, folders)
            if name == MANIFEST:
                manifest_raw = _read_small(archive, info, MANIFEST_MAX_BYTES)
            elif name == SIGNATURE:
                signature = _read_small(archive, info, SIGNATURE_MAX_BYTES)
            else:
                found[name] = _copy(archive, info, None if into is None else into / name)
            report("verify", _position(archive), total)
    if manifest_raw is None:
        raise BackupError(
            _("Arsip tidak berisi %(name)s: bukan cadangan cityeval, atau terpotong.")
            % {"name": MANIFEST}
        )
    _check_signature(manifest_raw, signature)
    manifest = parse_manifest(manifest_raw)
    check_members(manifest, found)
    return manifest


def _check_signature(manifest_raw: bytes, signature: bytes | None) -> None:
    key = signing_key()
    if not key:
        return  # no key here: the checksums still hold, but a rewritten archive cannot be told
    if signature is None:
        raise BackupError(
            _(
                "Arsip tidak bertanda tangan (%(name)s tidak ada), padahal BACKUP_SIGNING_KEY "
                "diatur: arsip ditolak."
            )
            % {"name": SIGNATURE}
        )
    if not hmac.compare_digest(signature.strip(), signature_of(manifest_raw, key)):
        raise BackupError(
            _(
                "Tanda tangan %(name)s tidak cocok dengan BACKUP_SIGNING_KEY: arsip diubah atau "
                "dibuat dengan kunci lain."
            )
            % {"name": MANIFEST}
        )


def _check_name(name: str, files: set[str], folders: set[str]) -> None:
    """Only names the format writes, each once, none inside another's path."""
    refused = _("Anggota %(name)s tidak diizinkan dalam arsip cadangan: %(why)s")
    parts = name.split("/")
    if name.startswith("/") or any(part in {"", ".", ".."} for part in parts):
        raise BackupError(refused % {"name": name, "why": _("nama jalur tidak aman")})
    if name not in {MANIFEST, SIGNATURE, DATABASE} and not (
        name.startswith(MEDIA_PREFIX) and len(parts) > 1
    ):
        raise BackupError(refused % {"name": name, "why": _("bukan anggota format cadangan")})
    if name in files:
        raise BackupError(refused % {"name": name, "why": _("muncul lebih dari sekali")})
    ancestors = {"/".join(parts[:end]) for end in range(1, len(parts))}
    if name in folders or ancestors & files:
        raise BackupError(refused % {"name": name, "why": _("bertabrakan dengan anggota lain")})
    files.add(name)
    folders.update(ancestors)


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
    """Regular files only (no link, device, fifo or folder); a truncated archive names the
    member it cut."""
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
        if not info.isfile():
            raise BackupError(
                _("Anggota %(name)s tidak diizinkan dalam arsip cadangan: %(why)s")
                % {"name": info.name, "why": _("bukan berkas biasa (tautan, perangkat, folder)")}
            )
        last = info.name
        yield info


def _copy(archive: tarfile.TarFile, info: tarfile.TarInfo, destination: Path | None) -> Member:
    """Hash the member's bytes, writing the same bytes to `destination` if given."""
    source = archive.extractfile(info)
    assert source is not None  # _members yields regular files only
    digest = hashlib.sha256()
    size = 0
    out: IO[bytes] | None = None
    if destination is not None:
        destination.parent.mkdir(parents=True, exist_ok=True)
        out = open(destination, "xb")  # noqa: SIM115 (closed below; x: never overwrite)
    try:
        while chunk := _read(source, info):
            digest.update(chunk)
            size += len(chunk)
            if out is not None:
                out.write(chunk)
    finally:
        if out is not None:
            out.close()
    return Member(sha256=digest.hexdigest(), size=size)


def _read_small(archive: tarfile.TarFile, info: tarfile.TarInfo, limit: int) -> bytes:
    if info.size > limit:
        raise BackupError(_("%(name)s terlalu besar.") % {"name": info.name})
    source = archive.extractfile(info)
    assert source is not None
    parts = []
    while chunk := _read(source, info):
        parts.append(chunk)
    return b"".join(parts)


def _read(source: IO[bytes], info: tarfile.TarInfo) -> bytes:
    try:
        return source.read(READ_SIZE)
    except DAMAGED as error:
        raise BackupError(
            _("Arsip terpotong atau rusak di dalam anggota %(name)s: %(error)s")
            % {"name": info.name, "error": error or type(error).__name__}
        ) from error


def _position(archive: tarfile.TarFile) -> int:
    fileobj: Any = archive.fileobj
    try:
        return int(fileobj.fileobj.tell())  # the compressed offset: comparable to the size
    except (AttributeError, OSError, ValueError):
        return 0
