"""Private storage of uploaded files: random names under MEDIA_ROOT, written in two steps.

A file is first streamed to a hidden temporary name (hashing it on the way), then the caller
creates its database row in a transaction and `Staged.commit` renames the file to its final name
inside that transaction. Any failure removes the temporary file and rolls the row back, so a
full or unwritable disk never leaves a row without its file. MEDIA_ROOT lies outside the static
root and no URL serves it: files leave only through permission-checked views.

With object storage configured (`settings.EVIDENCE_S3`, from STORAGE_S3_* in env.py), the file
is still staged and hashed on the local disk; `commit` uploads it to the bucket under the same
random name (django-storages' S3 backend, private objects) and removes the local copy. Reads go
through `open_stored`, so the download views stream the object through the same permission
check and the same inert headers; no presigned URL is ever handed out (see docs/decisions.md).
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from cityeval.evaluations.errors import WorkflowError

log = logging.getLogger(__name__)

FOLDER = "evidence"


class StorageError(WorkflowError):
    """The file could not be written or is too large; the message is shown to the person."""


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def remote() -> Storage | None:
    """The object storage holding evidence, or None when evidence lies under MEDIA_ROOT."""
    options = getattr(settings, "EVIDENCE_S3", None)
    if not options:
        return None
    from storages.backends.s3 import S3Storage

    return S3Storage(**options)  # type: ignore[no-any-return]


def open_stored(stored_path: str) -> IO[bytes]:
    """A stored file opened for reading, wherever it lies; FileNotFoundError if it is not there."""
    storage = remote()
    if storage is None:
        return absolute(stored_path).open("rb")
    _check_name(stored_path)
    if not storage.exists(stored_path):
        raise FileNotFoundError(stored_path)
    return storage.open(stored_path, "rb")


def remote_names(storage: Storage) -> list[str]:
    """Every evidence object's stored path in the bucket, in a stable order (for backups)."""
    found: list[str] = []
    folders = [FOLDER]
    while folders:
        folder = folders.pop()
        subfolders, files = storage.listdir(folder)
        found += [f"{folder}/{name}" for name in files if not name.endswith(".part")]
        folders += [f"{folder}/{sub}" for sub in subfolders]
    return sorted(found)


def _check_name(stored_path: str) -> None:
    parts = stored_path.split("/")
    if not stored_path or parts[0] != FOLDER or any(p in ("", ".", "..") for p in parts):
        raise FileNotFoundError(stored_path)


def absolute(stored_path: str) -> Path:
    """The file behind a stored path, refusing anything that would leave MEDIA_ROOT."""
    root = media_root().resolve()
    path = (root / stored_path).resolve()
    if not stored_path or root not in path.parents:
        raise FileNotFoundError(stored_path)
    return path


@dataclass
class Staged:
    """A file written under a temporary name, waiting for its row to be created."""

    temp: Path
    stored_path: str  # final path, relative to MEDIA_ROOT
    sha256: str
    size: int
    committed: bool = field(default=False)

    def commit(self) -> None:
        """Give the file its final name; call it last inside the row's transaction."""
        storage = remote()
        if storage is not None:
            self._upload(storage)
            return
        final = media_root() / self.stored_path
        try:
            os.replace(self.temp, final)
        except OSError as error:
            raise _storage_error(error) from error
        self.committed = True

    def _upload(self, storage: Storage) -> None:
        try:
            with open(self.temp, "rb") as source:
                saved = storage.save(self.stored_path, File(source))
        except Exception as error:  # boto3 raises its own and OSError; both mean "not stored"
            raise _storage_error(error) from error
        if saved != self.stored_path:  # file_overwrite keeps the name; never serve another
            storage.delete(saved)
            raise _storage_error(OSError(f"stored as {saved}"))
        self.committed = True
        _unlink_quietly(self.temp)

    def discard(self) -> None:
        """Remove the file, whichever name it has now; never raises."""
        storage = remote()
        if storage is not None and self.committed:
            try:
                storage.delete(self.stored_path)
            except Exception:
                log.warning("could not remove %s from object storage", self.stored_path)
            return
        _unlink_quietly(media_root() / self.stored_path if self.committed else self.temp)


def stage(chunks: Iterable[bytes], *, max_bytes: int, sync: bool = True) -> Staged:
    """Stream `chunks` to a temporary file in the final folder, hashing SHA-256 as they pass.

    `sync` flushes the file to the disk before the row is written, so that a crash cannot
    leave a row whose file is empty; only bulk demonstration data skips it.
    """
    year = f"{timezone.now():%Y}"
    # 128 random bits: not guessable, and unrelated to the original name.
    name = secrets.token_hex(16)
    folder = media_root() / FOLDER / year
    temp = folder / f".{name}.part"
    digest = hashlib.sha256()
    size = 0
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(temp, "xb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise StorageError(too_large_message(max_bytes))
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            if sync:
                os.fsync(out.fileno())
    except StorageError:
        _unlink_quietly(temp)
        raise
    except OSError as error:
        _unlink_quietly(temp)
        raise _storage_error(error) from error
    return Staged(
        temp=temp, stored_path=f"{FOLDER}/{year}/{name}", sha256=digest.hexdigest(), size=size
    )


def write_bytes(content: bytes, *, sync: bool = True) -> Staged:
    """Stage and commit small content at once (demonstration data, tests)."""
    staged = stage([content], max_bytes=len(content), sync=sync)
    staged.commit()
    return staged


def too_large_message(max_bytes: int) -> str:
    return _("Berkas terlalu besar: paling besar %(limit)s per berkas.") % {
        "limit": filesizeformat(max_bytes)
    }


def _storage_error(error: Exception) -> StorageError:
    log.error("evidence storage failed: %s", error)
    return StorageError(
        _(
            "Berkas tidak dapat disimpan di server (ruang penyimpanan penuh atau tidak dapat "
            "ditulis). Tidak ada yang tersimpan; coba lagi nanti atau hubungi admin."
        )
    )


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        log.warning("could not remove %s", path, exc_info=True)
