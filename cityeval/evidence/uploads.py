"""Taking an upload from the request to a staged file: size limit, content check, hashing."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from cityeval.evaluations.errors import WorkflowError
from cityeval.evidence.filetypes import FileType, FileTypeError, check_file
from cityeval.evidence.storage import Staged, StorageError, stage, too_large_message

NAME_LIMIT = 255


def max_bytes() -> int:
    return int(settings.EVIDENCE_MAX_BYTES)


def display_name(name: str | None) -> str:
    """The original name, shortened to fit the column but keeping its extension."""
    # Control characters would break the Content-Disposition header of the download.
    printable = "".join(ch for ch in (name or "") if ch.isprintable())
    clean = PurePath(printable.replace("\\", "/")).name.strip() or "berkas"
    if len(clean) <= NAME_LIMIT:
        return clean
    suffix = PurePath(clean).suffix[:20]
    return clean[: NAME_LIMIT - len(suffix)] + suffix


def stage_upload(
    upload: UploadedFile[bytes], allowed: tuple[FileType, ...]
) -> tuple[FileType, Staged]:
    """Check an upload by size and content, then stream it to a staged file.

    The size is checked before a byte is read, the content before anything is written.
    """
    limit = max_bytes()
    name = display_name(upload.name)
    if upload.size is None or upload.size > limit:
        raise StorageError(f"“{name}”: {too_large_message(limit)}")
    try:
        kind = check_file(name, upload, allowed)
    except FileTypeError as error:
        raise WorkflowError(str(error)) from error
    return kind, stage(upload.chunks(), max_bytes=limit)


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops receiving a file part once it passes EVIDENCE_MAX_BYTES.

    Placed first among the request's upload handlers, it keeps an oversized file out of memory
    and out of the temporary folder: the rest of that part is read from the network and dropped.
    The names it dropped are kept so that the view can say which files were too large.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = max_bytes()
        self.too_large: list[str] = []
        self._received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self._received += len(raw_data)
        if self._received > self.limit:
            self.too_large.append(display_name(self.file_name))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def limit_uploads(request: HttpRequest) -> SizeLimitUploadHandler:
    """Install the size limit on a request whose body has not been read yet."""
    handler = SizeLimitUploadHandler(request)
    request.upload_handlers.insert(0, handler)
    return handler


def _draft_key(item_pk: int) -> str:
    return f"evidence-description-draft-{item_pk}"


def keep_description_draft(request: HttpRequest, item_pk: int, description: str) -> None:
    """Keep the typed description of an upload the server failed to store (disk full,
    unwritable folder), so that the item page offers it again instead of losing it."""
    if description.strip():
        request.session[_draft_key(item_pk)] = description


def take_description_draft(request: HttpRequest, item_pk: int) -> str:
    session = getattr(request, "session", None)
    if session is None:
        return ""
    return str(session.pop(_draft_key(item_pk), ""))
