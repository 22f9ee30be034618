"""Evidence on S3-compatible object storage, against moto's in-process S3 mock.

The same upload, download, backup and restore paths as on a shared volume: files land in the
bucket under their random names, leave only through the permission-checked view, and a backup
carries them so that a restore puts exactly them back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.urls import reverse
from moto import mock_aws
from pytest_django.fixtures import Settings

from cityeval.env import ConfigError, s3_storage_options
from cityeval.evidence.models import Evidence
from cityeval.evidence.services import add_file_evidence
from cityeval.evidence.storage import open_stored
from cityeval.operations.backup.archive import create_backup, restore_backup
from cityeval.operations.backup.database import erase
from tests.evidence.conftest import PDF_BYTES, PNG_BYTES, upload
from tests.world import TeamWorld as World

# An endpoint of our own, as a MinIO or Ceph gateway would be configured: moto's in-process mock
# answers it (MOTO_S3_CUSTOM_ENDPOINTS) like it answers AWS's own.
ENDPOINT = "http://s3.cityeval.test:9000"


@pytest.fixture
def s3_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """moto's S3 mock inside this process: botocore's requests, from django-storages and from the
    test alike, are answered by moto's S3 implementation instead of the network."""
    monkeypatch.setenv("MOTO_S3_CUSTOM_ENDPOINTS", ENDPOINT)
    with mock_aws():
        yield ENDPOINT


@pytest.fixture
def bucket(s3_server: str, settings: Settings) -> Any:
    """A fresh bucket for the test, and evidence configured to live in it."""
    name = f"evidence-{uuid.uuid4().hex[:12]}"
    options = {
        "bucket_name": name,
        "access_key": "test-key",
        "secret_key": "test-secret",
        "endpoint_url": s3_server,
        "region_name": "us-east-1",
        "location": "",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": True,
    }
    resource = boto3.resource(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
        region_name="us-east-1",
    )
    created = resource.create_bucket(Bucket=name)
    settings.EVIDENCE_S3 = options
    return created


def keys(bucket: Any) -> set[str]:
    return {item.key for item in bucket.objects.all()}


def local_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


def test_an_upload_lands_in_the_bucket_and_nothing_stays_on_disk(
    world: World, media: Path, bucket: Any
) -> None:
    response = world.client("contributor").post(
        reverse("evidence:add_files", args=[world.item().pk]),
        {"uploads": [upload("perbup.pdf", PDF_BYTES)], "description": ""},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(original_name="perbup.pdf")
    assert keys(bucket) == {evidence.stored_path}
    assert bucket.Object(evidence.stored_path).get()["Body"].read() == PDF_BYTES
    assert local_files(media) == []


@pytest.mark.parametrize(
    ("persona", "status"),
    [("viewer", 200), ("other_coordinator", 404), ("roads_contributor", 404), ("anonymous", 302)],
)
def test_the_download_streams_from_the_bucket_to_allowed_people_only(
    world: World, media: Path, bucket: Any, persona: str, status: int
) -> None:
    evidence = add_file_evidence(
        item=world.item(),
        user=world.people["contributor"],
        upload=upload("foto.png", PNG_BYTES),
        description="",
    )
    response = world.client(persona).get(reverse("evidence:download", args=[evidence.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PNG_BYTES  # type: ignore[attr-defined]
        assert "sandbox" in response["Content-Security-Policy"]
        assert "no-store" in response["Cache-Control"]
        assert "Location" not in response  # streamed, never a redirect to a signed URL


def test_a_missing_object_answers_404(world: World, media: Path, bucket: Any) -> None:
    evidence = add_file_evidence(
        item=world.item(),
        user=world.people["contributor"],
        upload=upload("perbup.pdf", PDF_BYTES),
        description="",
    )
    bucket.Object(evidence.stored_path).delete()
    response = world.client("viewer").get(reverse("evidence:download", args=[evidence.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["", "../secret", "evidence/../../x", "other/2024/abc"])
def test_a_stored_path_outside_the_evidence_folder_is_never_read(bucket: Any, name: str) -> None:
    bucket.put_object(Key="other/2024/abc", Body=b"x")
    with pytest.raises(FileNotFoundError):
        open_stored(name)


def test_backup_and_restore_cover_the_bucket(
    world: World, media: Path, bucket: Any, tmp_path: Path
) -> None:
    stored = {
        add_file_evidence(
            item=world.item(),
            user=world.people["contributor"],
            upload=upload(name, content),
            description="",
        ).stored_path: content
        for name, content in [("perbup.pdf", PDF_BYTES), ("foto.png", PNG_BYTES)]
    }
    result = create_backup(tmp_path / "cadangan.tar.gz")
    assert result.files == 2

    erase()
    for key in list(stored):
        bucket.Object(key).delete()
    bucket.put_object(Key="evidence/2020/stray", Body=b"not in the backup")

    restored = restore_backup(result.path, replace=False)

    assert restored.files == 2
    assert keys(bucket) == set(stored)
    for key, content in stored.items():
        assert bucket.Object(key).get()["Body"].read() == content
    assert set(Evidence.objects.values_list("stored_path", flat=True)) == set(stored)


def test_without_a_bucket_evidence_stays_on_the_volume(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STORAGE_S3_BUCKET", raising=False)
    assert s3_storage_options() is None


def test_a_bucket_without_credentials_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORAGE_S3_BUCKET", "evidence")
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    with pytest.raises(ConfigError, match="AWS_ACCESS_KEY_ID must be set"):
        s3_storage_options()


def test_a_malformed_endpoint_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORAGE_S3_BUCKET", "evidence")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("STORAGE_S3_ENDPOINT_URL", "minio:9000")
    with pytest.raises(ConfigError, match="STORAGE_S3_ENDPOINT_URL"):
        s3_storage_options()


def test_a_configured_bucket_gives_private_options(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORAGE_S3_BUCKET", "evidence")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("STORAGE_S3_ENDPOINT_URL", "http://minio:9000")
    options = s3_storage_options()
    assert options is not None
    assert options["bucket_name"] == "evidence"
    assert options["endpoint_url"] == "http://minio:9000"
    assert options["default_acl"] == "private"
