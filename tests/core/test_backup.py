"""`cityeval backup` / `cityeval restore`: the round trip, and every way an archive can be bad."""

from __future__ import annotations

import hashlib
import json
import tarfile
from datetime import timedelta
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from pytest_django.fixtures import Settings

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.audit.verify import verify_chain
from cityeval.evaluations.models import Evaluation, ItemValue, Round
from cityeval.evaluations.services import Deadlines, open_cycle
from cityeval.evidence.samples import tiny_pdf, tiny_png
from cityeval.evidence.services import add_file_evidence
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.services import import_framework
from cityeval.operations.backup import BackupError
from cityeval.operations.backup.archive import create_backup, inspect_archive, restore_backup
from cityeval.operations.backup.database import _m2m_columns, backed_up_models
from cityeval.regions.models import OPD, PeerGroup, Region
from tests.world import load_test_regions

Rows = dict[str, list[dict[str, Any]]]


@pytest.fixture
def data_dir(settings: Settings, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    (folder / "media").mkdir(parents=True)
    settings.DATA_DIR = folder
    settings.MEDIA_ROOT = folder / "media"
    return folder


@pytest.fixture
def small_world(db: None, data_dir: Path) -> None:
    """Two regions in one open cycle, people with grants, evidence files, many-to-many rows."""
    load_test_regions()
    import_framework(path=settings.FRAMEWORKS_DIR / "g100sc-2022.yaml")
    kukar = Region.objects.get(code="64.02")
    semarang = Region.objects.get(code="33.74")
    health = OPD.objects.create(region=kukar, code="DINKES", name="Dinas Kesehatan")
    admin = User.objects.create_user("admin", password="a-long-test-password-1")
    RoleGrant.objects.create(user=admin, role=Role.PROGRAM_ADMIN)
    contributor = User.objects.create_user("kontributor", password="a-long-test-password-1")
    RoleGrant.objects.create(user=contributor, role=Role.CONTRIBUTOR, region=kukar, opd=health)
    contributor.groups.add(Group.objects.create(name="pengunggah"))
    PeerGroup.objects.create(code="pesisir", name="Pesisir").regions.add(kukar, semarang)
    cycle = open_cycle(
        year=2024,
        round=Round.TAHAP_1,
        framework_version=FrameworkVersion.objects.get_by_ref("G100SC@2022"),
        regions=[kukar, semarang],
        deadlines=Deadlines(self_assessment=timezone.localdate() + timedelta(days=30)),
        user=admin,
    )
    evaluation = Evaluation.objects.get(cycle=cycle, region=kukar)
    items = list(ItemValue.objects.filter(evaluation=evaluation).order_by("id")[:2])
    ItemValue.objects.filter(pk__in=[i.pk for i in items]).update(opd=health)
    for item, (name, content) in zip(
        items,
        [("perbup.pdf", tiny_pdf(["Perbup Masterplan"])), ("foto.png", tiny_png(6, 4, (1, 2, 3)))],
        strict=True,
    ):
        add_file_evidence(
            item=ItemValue.objects.get(pk=item.pk),
            user=contributor,
            upload=SimpleUploadedFile(name, content),
            description="bukti",
        )


def every_row() -> Rows:
    """Every row of every backed-up table (and many-to-many table), in key order."""
    rows: Rows = {}
    for model in backed_up_models():
        rows[model._meta.label_lower] = list(model._base_manager.order_by("pk").values())
        for _name, through, source, target in _m2m_columns(model):
            # The link tables' own ids are referenced by nothing; the pairs are what counts.
            pairs = through._base_manager.order_by(source, target).values(source, target)
            rows[through._meta.label_lower] = list(pairs)
    return rows


def every_file() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def wipe() -> None:
    from cityeval.operations.backup.database import erase

    erase()
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.unlink()


def members_of(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {info.name: tar.extractfile(info).read() for info in tar.getmembers()}  # type: ignore[union-attr]


def write_members(archive: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(archive, "w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, BytesIO(content))


def edited_manifest(archive: Path, change: Any) -> None:
    members = members_of(archive)
    manifest = json.loads(members["manifest.json"])
    change(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    write_members(archive, members)


@pytest.fixture
def archive(small_world: None, tmp_path: Path) -> Path:
    return create_backup(tmp_path / "out" / "cadangan.tar.gz").path


# --------------------------------------------------------------------------- round trip


def test_round_trip_gives_back_every_row_and_every_file(small_world: None, tmp_path: Path) -> None:
    rows, files = every_row(), every_file()
    assert len(files) == 2
    assert rows["regions.peergroup_regions"]
    assert rows["accounts.user_groups"]
    result = create_backup(tmp_path / "cadangan.tar.gz")
    assert result.files == 2
    wipe()
    assert every_row()["regions.region"] == []

    restored = restore_backup(result.path, replace=False)

    assert restored.rows == result.rows
    assert every_row() == rows
    assert every_file() == files
    assert verify_chain().ok


def test_the_archive_lists_format_versions_and_checksums(archive: Path) -> None:
    manifest = inspect_archive(archive)
    assert manifest.format_version == 1
    assert manifest.database_vendor in {"sqlite", "postgresql"}
    assert "0003_position_required" in manifest.migrations["audit"]
    assert manifest.row_counts["regions.region"] == 514
    assert set(manifest.members) == {"database.jsonl"} | {f"media/{p}" for p in every_file()}
    assert all(len(member.sha256) == 64 for member in manifest.members.values())


def test_no_partial_archive_is_left_beside_the_output(archive: Path) -> None:
    assert [p.name for p in archive.parent.iterdir()] == ["cadangan.tar.gz"]


def test_ids_continue_after_the_restored_ones(archive: Path) -> None:
    wipe()
    restore_backup(archive, replace=False)
    highest = User.objects.order_by("-pk").values_list("pk", flat=True)[0]
    assert User.objects.create_user("baru", password="a-long-test-password-1").pk > highest


def test_the_commands_write_and_restore(small_world: None, tmp_path: Path) -> None:
    target = tmp_path / "cmd.tar.gz"
    out = StringIO()
    call_command("backup", "--output", str(target), "--quiet", stdout=out)
    assert "2 berkas" in out.getvalue()
    out = StringIO()
    call_command("restore", str(target), "--yes", "--quiet", stdout=out)
    assert "Rantai audit utuh" in out.getvalue()


# --------------------------------------------------------------------------- refusals


def refused(archive: Path, *, replace: bool = True) -> str:
    """Restore must fail and leave rows and files exactly as they were."""
    rows, files = every_row(), every_file()
    with pytest.raises(BackupError) as caught:
        restore_backup(archive, replace=replace)
    assert every_row() == rows
    assert every_file() == files
    return str(caught.value)


def test_a_tampered_member_is_named(archive: Path) -> None:
    members = members_of(archive)
    name = next(n for n in members if n.startswith("media/"))
    content = bytearray(members[name])
    content[-1] ^= 0xFF
    members[name] = bytes(content)
    write_members(archive, members)
    message = refused(archive)
    assert name in message
    assert "SHA-256" in message


def test_a_tampered_database_dump_is_named(archive: Path) -> None:
    members = members_of(archive)
    members["database.jsonl"] = members["database.jsonl"].replace(b'"admin"', b'"adman"', 1)
    write_members(archive, members)
    assert "database.jsonl" in refused(archive)


def test_a_member_missing_from_the_archive_is_named(archive: Path) -> None:
    members = members_of(archive)
    name = next(n for n in members if n.startswith("media/"))
    del members[name]
    write_members(archive, members)
    assert name in refused(archive)


def test_a_member_added_to_the_archive_is_named(archive: Path) -> None:
    members = members_of(archive)
    manifest = members.pop("manifest.json")
    members["media/evidence/2026/sisipan"] = b"tidak tercatat"
    members["manifest.json"] = manifest
    write_members(archive, members)
    assert "media/evidence/2026/sisipan" in refused(archive)


def test_a_truncated_archive_is_refused(archive: Path) -> None:
    content = archive.read_bytes()
    archive.write_bytes(content[: len(content) // 2])
    assert "terpotong" in refused(archive)


def test_a_missing_manifest_is_refused(archive: Path) -> None:
    members = members_of(archive)
    del members["manifest.json"]
    write_members(archive, members)
    assert "manifest.json" in refused(archive)


def test_a_foreign_file_is_refused(data_dir: Path, db: None, tmp_path: Path) -> None:
    foreign = tmp_path / "foto.tar.gz"
    foreign.write_bytes(b"bukan arsip sama sekali")
    assert "foto.tar.gz" in refused(foreign)


def test_a_foreign_tar_without_our_format_is_refused(archive: Path) -> None:
    edited_manifest(archive, lambda m: m.update(format="something-else"))
    assert "bukan manifes cadangan cityeval" in refused(archive)


def test_an_unsupported_format_version_is_refused(archive: Path) -> None:
    edited_manifest(archive, lambda m: m.update(format_version=2))
    assert "Versi format arsip 2 tidak didukung" in refused(archive)


def test_an_archive_from_a_newer_migration_state_is_refused(archive: Path) -> None:
    edited_manifest(archive, lambda m: m["migrations"]["audit"].append("0099_dari_masa_depan"))
    message = refused(archive)
    assert "audit.0099_dari_masa_depan" in message
    assert "lebih baru" in message


def test_an_archive_from_an_older_migration_state_is_refused(archive: Path) -> None:
    edited_manifest(archive, lambda m: m["migrations"]["audit"].remove("0003_position_required"))
    assert "audit.0003_position_required" in refused(archive)


def test_an_unsafe_member_name_is_refused(archive: Path) -> None:
    members = members_of(archive)
    write_members(archive, {"../luar.txt": b"x", **members})
    assert "../luar.txt" in refused(archive)


def test_a_database_with_data_is_kept_without_yes(archive: Path) -> None:
    message = refused(archive, replace=False)
    assert "--yes" in message
    assert "accounts.user" in message


def test_the_command_reports_a_refusal_with_exit_code_1(archive: Path) -> None:
    content = archive.read_bytes()
    archive.write_bytes(content[:-200])
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(archive), "--yes", "--quiet", stdout=StringIO())
    assert caught.value.returncode == 1
    assert "tidak ada yang diubah" in str(caught.value)


def test_a_bad_row_rolls_back_rows_and_files(archive: Path) -> None:
    members = members_of(archive)
    lines = members["database.jsonl"].splitlines()
    # An audit entry pointing at a person who is not in the archive: caught before commit.
    entry = next(i for i, line in enumerate(lines) if b'"audit.auditentry"' in line)
    row = json.loads(lines[entry])
    row["fields"]["actor"] = 999_999
    lines[entry] = json.dumps(row).encode()
    members["database.jsonl"] = b"\n".join(lines) + b"\n"
    manifest = json.loads(members["manifest.json"])

    manifest["members"]["database.jsonl"] = {
        "sha256": hashlib.sha256(members["database.jsonl"]).hexdigest(),
        "size": len(members["database.jsonl"]),
    }
    members["manifest.json"] = json.dumps(manifest).encode()
    write_members(archive, members)
    assert "999999" in refused(archive)


def test_restore_replaces_the_evidence_folder_contents_in_place(archive: Path) -> None:
    # MEDIA_ROOT may be the mount point of a shared volume: it stays, its contents change.
    root = Path(settings.MEDIA_ROOT)
    stray = root / "lain" / "sisa.bin"
    stray.parent.mkdir()
    stray.write_bytes(b"tidak ada di arsip")
    before = root.stat().st_ino
    restore_backup(archive, replace=True)
    assert root.stat().st_ino == before
    assert not stray.exists()
    assert sorted(p.name for p in root.iterdir()) == ["evidence"]


def test_a_swap_that_fails_half_way_puts_the_old_files_back(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cityeval.operations.backup import archive as archive_module

    real_move = archive_module._move
    calls = []

    def move_then_fail(source: Path, target: Path, moves: list[tuple[Path, Path]]) -> None:
        # The third rename fails: the swap stops half-way, old entries partly moved out.
        calls.append(source)
        if len(calls) == 3:
            raise OSError("disk gone during the swap")
        real_move(source, target, moves)

    monkeypatch.setattr(archive_module, "_move", move_then_fail)
    root = Path(settings.MEDIA_ROOT)
    (root / "catatan.txt").write_bytes(b"milik instalasi ini")
    (root / "lain").mkdir()
    (root / "lain" / "x.bin").write_bytes(b"x")
    rows, files = every_row(), every_file()
    with pytest.raises(OSError, match="disk gone"):
        restore_backup(archive, replace=True)
    assert every_row() == rows
    assert every_file() == files
    assert not [p for p in root.iterdir() if p.name.startswith(".restore-")]


# --------------------------------------------------------------------------- hostile archives


def write_entries(archive: Path, entries: list[tuple[tarfile.TarInfo, bytes]]) -> None:
    """Write members exactly as given: repeated names, links and devices included."""
    with tarfile.open(archive, "w:gz") as tar:
        for info, content in entries:
            info.size = len(content) if info.isfile() else 0
            tar.addfile(info, BytesIO(content) if info.isfile() else None)


def regular(name: str) -> tarfile.TarInfo:
    return tarfile.TarInfo(name)


def special(name: str, kind: bytes, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return info


def check_only_refuses(archive: Path) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(archive), "--check-only", "--quiet", stdout=StringIO())
    with pytest.raises(BackupError):
        inspect_archive(archive)
    return str(caught.value)


def test_a_tampered_first_copy_of_the_dump_is_refused_by_the_check_and_the_restore(
    archive: Path,
) -> None:
    # The reported attack: the manifest hashes the genuine (last) copy, the loader used to read
    # the first, which makes the coordinator a superuser.
    members = members_of(archive)
    genuine = members["database.jsonl"]
    lines = genuine.splitlines()
    index = next(i for i, line in enumerate(lines) if b'"username": "kontributor"' in line)
    row = json.loads(lines[index])
    row["fields"]["is_superuser"] = True
    lines[index] = json.dumps(row).encode()
    tampered = b"\n".join(lines) + b"\n"
    entries = [(regular("database.jsonl"), tampered)]
    entries += [(regular(name), content) for name, content in members.items()]
    write_entries(archive, entries)

    message = check_only_refuses(archive)
    assert "database.jsonl" in message
    assert "lebih dari sekali" in message
    assert "database.jsonl" in refused(archive)
    assert not User.objects.filter(is_superuser=True).exists()


HOSTILE: dict[str, list[tuple[tarfile.TarInfo, bytes]]] = {
    "symlink": [(special("media/evidence/tautan", tarfile.SYMTYPE, "/etc/passwd"), b"")],
    "hardlink": [(special("media/evidence/keras", tarfile.LNKTYPE, "database.jsonl"), b"")],
    "device": [(special("media/evidence/perangkat", tarfile.CHRTYPE), b"")],
    "fifo": [(special("media/evidence/pipa", tarfile.FIFOTYPE), b"")],
    "folder": [(special("media/evidence/map", tarfile.DIRTYPE), b"")],
    "absolute name": [(regular("/srv/cityeval-mutlak"), b"x")],
    "dot-dot": [(regular("media/../../luar"), b"x")],
    "dot component": [(regular("media/./evidence/titik"), b"x")],
    "empty component": [(regular("media//evidence/kosong"), b"x")],
    "unexpected member": [(regular("catatan.txt"), b"x")],
    "bare media folder name": [(regular("media"), b"x")],
    "second manifest": [(regular("manifest.json"), b"{}")],
    "file over a folder": [(regular("media/evidence"), b"x")],
}


@pytest.mark.parametrize("defect", sorted(HOSTILE))
def test_a_hostile_member_is_refused_and_named(archive: Path, defect: str) -> None:
    members = members_of(archive)
    extra = HOSTILE[defect]
    entries = [(regular(name), content) for name, content in members.items()]
    write_entries(archive, extra + entries)
    name = extra[0][0].name
    assert name in check_only_refuses(archive)
    assert name in refused(archive)


def test_a_duplicate_evidence_file_is_refused(archive: Path) -> None:
    members = members_of(archive)
    name = next(n for n in members if n.startswith("media/"))
    entries = [(regular(name), b"palsu")]
    entries += [(regular(n), content) for n, content in members.items()]
    write_entries(archive, entries)
    assert name in check_only_refuses(archive)
    assert name in refused(archive)


def test_backups_are_readable_by_their_owner_only(archive: Path) -> None:
    assert archive.stat().st_mode & 0o777 == 0o600


# --------------------------------------------------------------------------- signature


def test_a_signed_archive_restores_with_its_key(
    small_world: None, tmp_path: Path, settings: Settings
) -> None:
    settings.BACKUP_SIGNING_KEY = "kunci-tanda-tangan-cadangan-uji"
    signed = create_backup(tmp_path / "bertanda.tar.gz").path
    assert "manifest.sig" in members_of(signed)
    restore_backup(signed, replace=True)


def test_an_unsigned_archive_is_refused_when_a_key_is_set(
    archive: Path, settings: Settings
) -> None:
    settings.BACKUP_SIGNING_KEY = "kunci-tanda-tangan-cadangan-uji"
    assert "manifest.sig" in check_only_refuses(archive)
    assert "manifest.sig" in refused(archive)


def test_a_consistently_rewritten_signed_archive_is_refused(
    small_world: None, tmp_path: Path, settings: Settings
) -> None:
    settings.BACKUP_SIGNING_KEY = "kunci-tanda-tangan-cadangan-uji"
    signed = create_backup(tmp_path / "bertanda.tar.gz").path
    members = members_of(signed)
    # Checksums and sizes recomputed: only the signature can tell.
    members["database.jsonl"] = members["database.jsonl"].replace(b'"admin"', b'"adman"', 1)
    manifest = json.loads(members["manifest.json"])
    manifest["members"]["database.jsonl"] = {
        "sha256": hashlib.sha256(members["database.jsonl"]).hexdigest(),
        "size": len(members["database.jsonl"]),
    }
    members["manifest.json"] = json.dumps(manifest).encode()
    write_members(signed, members)
    assert "BACKUP_SIGNING_KEY" in check_only_refuses(signed)
    assert "BACKUP_SIGNING_KEY" in refused(signed)


def test_an_archive_signed_with_another_key_is_refused(
    small_world: None, tmp_path: Path, settings: Settings
) -> None:
    settings.BACKUP_SIGNING_KEY = "kunci-lama-yang-sudah-diganti"
    signed = create_backup(tmp_path / "bertanda.tar.gz").path
    settings.BACKUP_SIGNING_KEY = "kunci-tanda-tangan-cadangan-uji"
    assert "BACKUP_SIGNING_KEY" in refused(signed)


def test_a_restore_empties_the_cache_of_what_the_replaced_rows_rendered(archive: Path) -> None:
    # The public pages' marker only ever grows in the cache (a compare and set), and pages are
    # kept under marker ids that the restored rows hand out again: left there, a marker of the
    # replaced data would hold the public pages on the old state whatever is published now.
    from django.core.cache import cache
    from django.test import override_settings

    from cityeval.results.publication import (
        PUBLIC_PAGE_ACTIONS,
        Publication,
        _keep_if_newer,
        public_pages_state,
        publication,
    )

    with override_settings(PUBLICATION_MARKER_IN_CACHE=True):
        _keep_if_newer(Publication(10**9, None))
        cache.set("public:page:of-the-replaced-data", b"old")
        restore_backup(archive, replace=True)
        assert cache.get("public:page:of-the-replaced-data") is None
        assert public_pages_state().marker == publication(PUBLIC_PAGE_ACTIONS).marker
