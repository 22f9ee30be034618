"""Evidence upload when the disk is full or the media folder cannot be written.

Running as root, `chmod` does not stop writes, so the faults are simulated at the OS-call level:
the `open` used by the evidence storage returns a file whose writes fail with ENOSPC after part
of the content reached the disk (disk full mid-file), or `open` itself fails with EACCES
(unwritable folder). The person sees a clear message, the typed description is offered again,
no Evidence row, no audit entry and no partial file remain.
"""

from __future__ import annotations

import builtins
import errno
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cityeval.audit.models import AuditEntry
from cityeval.evidence.models import Evidence
from cityeval.evidence.samples import tiny_pdf
from tests.world import TeamWorld as World

pytestmark = pytest.mark.django_db

DESCRIPTION = "Perbup No. 12 Tahun 2019 tentang Masterplan Smart City"


class FillsUp:
    """A real file whose writes stop with ENOSPC once `room` bytes were written."""

    def __init__(self, path: Any, mode: str, room: int) -> None:
        self.inner = builtins.open(path, mode)  # noqa: SIM115 - closed by __exit__, like open()
        self.room = room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.inner.write(data[: self.room])
            self.inner.flush()
            self.room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return int(self.inner.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def __enter__(self) -> FillsUp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.inner.close()


def disk_full(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
    return FillsUp(path, mode, room=100)


def unwritable(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
    raise PermissionError(errno.EACCES, "Permission denied", str(path))


@pytest.mark.parametrize("fault", [disk_full, unwritable], ids=["ENOSPC", "EACCES"])
def test_a_failed_write_shows_a_clear_error_and_leaves_nothing(
    world: World, media: Path, monkeypatch: pytest.MonkeyPatch, fault: Any
) -> None:
    item = world.item(world.health)
    client = Client()
    client.force_login(world.people["contributor"])
    monkeypatch.setattr("cityeval.evidence.storage.open", fault, raising=False)
    pdf = tiny_pdf([f"Baris {n}" for n in range(200)])  # longer than the room left
    response = client.post(
        reverse("evidence:add_files", args=[item.pk]),
        {"uploads": SimpleUploadedFile("perbup.pdf", pdf), "description": DESCRIPTION},
        follow=True,
    )
    monkeypatch.undo()

    assert response.status_code == 200
    page = response.content.decode()
    assert "Berkas tidak dapat disimpan di server" in page
    assert "Tidak ada yang tersimpan" in page
    # What the person typed is offered again (the file itself must be chosen again).
    assert f'value="{DESCRIPTION}"' in page
    assert not Evidence.objects.exists()
    assert not AuditEntry.objects.filter(action="evidence.add").exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []

    # Shown once: the next visit has an empty description again.
    again = client.get(reverse("evaluations:item", args=[world.evaluation.pk, item.pk]))
    assert f'value="{DESCRIPTION}"' not in again.content.decode()
