"""Adding and removing evidence through the services: storage, hashing, locks, audit."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from django.conf import settings
from pytest_django.fixtures import Settings

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import EvaluationStatus
from cityeval.evidence.models import Evidence
from cityeval.evidence.services import add_file_evidence, add_link_evidence, remove_evidence
from cityeval.evidence.storage import absolute
from tests.evidence.conftest import DOCX_BYTES, PDF_BYTES, PNG_BYTES, upload
from tests.world import TeamWorld as World


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_it_stores_a_file_privately_under_a_random_name(world: World, media: Path) -> None:
    item = world.item()
    evidence = add_file_evidence(
        item=item,
        user=world.people["contributor"],
        upload=upload("Perbup Masterplan Smart City.pdf", PDF_BYTES),
        description="Perbup No. 12 Tahun 2019",
    )
    path = absolute(evidence.stored_path)
    assert path.read_bytes() == PDF_BYTES
    assert media in path.parents
    assert Path(settings.STATIC_ROOT).resolve() not in path.parents
    assert "Perbup" not in evidence.stored_path
    assert not evidence.stored_path.endswith(".pdf")
    assert len(path.name) == 32  # 128 random bits in hex
    assert files_under(media) == [path]  # no temporary file left behind
    assert evidence.original_name == "Perbup Masterplan Smart City.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(PDF_BYTES)
    assert evidence.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert list(item.evidence.current()) == [evidence]


def test_two_uploads_of_the_same_name_get_different_stored_names(world: World) -> None:
    item = world.item()
    user = world.people["contributor"]
    first = add_file_evidence(
        item=item, user=user, upload=upload("a.pdf", PDF_BYTES), description=""
    )
    second = add_file_evidence(
        item=item, user=user, upload=upload("a.png", PNG_BYTES), description=""
    )
    assert first.stored_path != second.stored_path


def test_it_audits_an_addition_with_hash_name_and_size(world: World) -> None:
    evidence = add_file_evidence(
        item=world.item(),
        user=world.people["coordinator"],
        upload=upload("l.docx", DOCX_BYTES),
        description="",
    )
    entry = AuditEntry.objects.for_target(evidence).get()
    assert entry.action == "evidence.add"
    assert entry.actor == world.people["coordinator"]
    assert entry.evaluation_id == world.evaluation.pk
    assert entry.after is not None
    assert entry.after["sha256"] == hashlib.sha256(DOCX_BYTES).hexdigest()
    assert entry.after["name"] == "l.docx"
    assert entry.after["size"] == len(DOCX_BYTES)


def test_it_refuses_the_same_content_twice_on_one_item(world: World, media: Path) -> None:
    item = world.item()
    user = world.people["contributor"]
    add_file_evidence(item=item, user=user, upload=upload("perbup.pdf", PDF_BYTES), description="")
    with pytest.raises(WorkflowError, match="sudah ada pada butir ini"):
        add_file_evidence(
            item=item, user=user, upload=upload("salinan.pdf", PDF_BYTES), description=""
        )
    assert Evidence.objects.count() == 1
    assert len(files_under(media)) == 1


def test_the_same_content_may_support_two_items(world: World) -> None:
    user = world.people["coordinator"]
    add_file_evidence(
        item=world.item(), user=user, upload=upload("p.pdf", PDF_BYTES), description=""
    )
    add_file_evidence(
        item=world.item(world.roads), user=user, upload=upload("p.pdf", PDF_BYTES), description=""
    )
    assert Evidence.objects.count() == 2


def test_it_refuses_a_renamed_file_and_writes_nothing(world: World, media: Path) -> None:
    with pytest.raises(WorkflowError, match="berkas ini bukan PDF"):
        add_file_evidence(
            item=world.item(),
            user=world.people["contributor"],
            upload=upload("foto.pdf", PNG_BYTES),
            description="",
        )
    assert not Evidence.objects.exists()
    assert files_under(media) == []


def test_it_refuses_an_oversized_file_before_writing(
    world: World, media: Path, settings: Settings
) -> None:
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(WorkflowError, match="Berkas terlalu besar: paling besar 100"):
        add_file_evidence(
            item=world.item(),
            user=world.people["contributor"],
            upload=upload("besar.pdf", PDF_BYTES),
            description="",
        )
    assert not Evidence.objects.exists()
    assert files_under(media) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_disk_leaves_no_row_and_no_file(world: World, media: Path) -> None:
    media.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(WorkflowError, match="tidak dapat disimpan"):
            add_file_evidence(
                item=world.item(),
                user=world.people["contributor"],
                upload=upload("p.pdf", PDF_BYTES),
                description="",
            )
    finally:
        media.chmod(stat.S_IRWXU)
    assert not Evidence.objects.exists()
    assert not AuditEntry.objects.filter(action="evidence.add").exists()


def test_a_disk_failure_leaves_no_row_and_no_file(
    world: World, media: Path, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    """As above, for a machine whose tests run as root: a MEDIA_ROOT below a regular file."""
    blocker = media / "not-a-folder"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker / "media"
    with pytest.raises(WorkflowError, match="tidak dapat disimpan"):
        add_file_evidence(
            item=world.item(),
            user=world.people["contributor"],
            upload=upload("p.pdf", PDF_BYTES),
            description="",
        )
    assert not Evidence.objects.exists()
    assert not AuditEntry.objects.filter(action="evidence.add").exists()


def test_a_failed_rename_rolls_the_row_back_and_removes_the_file(
    world: World, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("cityeval.evidence.storage.os.replace", refuse)
    with pytest.raises(WorkflowError, match="tidak dapat disimpan"):
        add_file_evidence(
            item=world.item(),
            user=world.people["contributor"],
            upload=upload("p.pdf", PDF_BYTES),
            description="",
        )
    assert not Evidence.objects.exists()
    assert not AuditEntry.objects.filter(action="evidence.add").exists()
    assert files_under(media) == []


def test_it_refuses_changes_after_submission_with_the_lock_reason(
    world: World, media: Path
) -> None:
    item = world.item()
    user = world.people["contributor"]
    evidence = add_file_evidence(
        item=item, user=user, upload=upload("p.pdf", PDF_BYTES), description=""
    )
    world.set_status(EvaluationStatus.SUBMITTED)
    with pytest.raises(WorkflowError, match="Terkunci: evaluasi berstatus “Diserahkan”"):
        add_file_evidence(item=item, user=user, upload=upload("f.png", PNG_BYTES), description="")
    with pytest.raises(WorkflowError, match="Terkunci"):
        add_link_evidence(item=item, user=user, url="https://example.id/", description="")
    with pytest.raises(WorkflowError, match="Terkunci"):
        remove_evidence(evidence=evidence, user=user)
    assert Evidence.objects.current().count() == 1
    assert len(files_under(media)) == 1


def test_a_contributor_cannot_attach_to_another_opds_item(world: World) -> None:
    with pytest.raises(WorkflowError, match="tidak ditugaskan"):
        add_link_evidence(
            item=world.item(world.roads),
            user=world.people["contributor"],
            url="https://a.id/",
            description="",
        )


def test_removing_is_a_soft_delete_that_is_audited(world: World) -> None:
    user = world.people["contributor"]
    evidence = add_file_evidence(
        item=world.item(), user=user, upload=upload("p.pdf", PDF_BYTES), description=""
    )
    remove_evidence(evidence=evidence, user=user)
    evidence.refresh_from_db()
    assert evidence.removed_at is not None
    assert evidence.removed_by == user
    assert absolute(evidence.stored_path).exists()
    assert not Evidence.objects.current().exists()
    entry = AuditEntry.objects.for_target(evidence).get(action="evidence.remove")
    assert entry.before == {"removed_at": None}
    assert entry.after is not None
    assert entry.after["sha256"] == evidence.sha256
    with pytest.raises(WorkflowError, match="sudah dihapus"):
        remove_evidence(evidence=evidence, user=user)


def test_a_removed_file_may_be_uploaded_again(world: World) -> None:
    user = world.people["contributor"]
    evidence = add_file_evidence(
        item=world.item(), user=user, upload=upload("p.pdf", PDF_BYTES), description=""
    )
    remove_evidence(evidence=evidence, user=user)
    add_file_evidence(
        item=world.item(), user=user, upload=upload("p.pdf", PDF_BYTES), description=""
    )
    assert Evidence.objects.current().count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.id/berkas",
        "file:///etc/passwd",
        "bukan tautan",
        "https://",
    ],
)
def test_it_refuses_links_that_are_not_web_addresses(world: World, url: str) -> None:
    with pytest.raises(WorkflowError, match="http:// atau https://"):
        add_link_evidence(
            item=world.item(), user=world.people["contributor"], url=url, description=""
        )
    assert not Evidence.objects.exists()


def test_it_adds_a_link_once(world: World) -> None:
    user = world.people["contributor"]
    evidence = add_link_evidence(
        item=world.item(),
        user=user,
        url="https://data.kukarkab.go.id/dataset",
        description="Portal data",
    )
    assert evidence.original_name == "data.kukarkab.go.id/dataset"
    assert evidence.get_absolute_url() == "https://data.kukarkab.go.id/dataset"
    with pytest.raises(WorkflowError, match="sudah ada"):
        add_link_evidence(
            item=world.item(), user=user, url="https://data.kukarkab.go.id/dataset", description=""
        )
    assert AuditEntry.objects.filter(action="evidence.add").count() == 1
