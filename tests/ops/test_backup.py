"""`srishti backup` / `srishti restore`: a round trip gives back every row and every
stored file (evidence, photos, certificates, made reports), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from srishti.core.backup import (
    backup_create,
    backup_restore,
    file_hashes,
    read_manifest,
    row_counts,
)
from srishti.core.errors import DomainError


@pytest.fixture
def stored_world(cast, demo_version, settings, tmp_path):
    """Rows of every kind that matters, and files of every kind under MEDIA_ROOT."""
    from PIL import Image

    from srishti.improvement.models import ActionItem
    from srishti.improvement.services import action_items_bulk_create, evidence_add
    from srishti.sync.models import ResponsePhoto
    from tests.improvement.conftest import scored_assessment

    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    assessment = scored_assessment(cast.f, demo_version)
    action_items_bulk_create(assessment=assessment, user=None, area="A")
    item = ActionItem.objects.filter(assessment=assessment).first()
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(out, "PNG")
    evidence_add(item=item, user=None, upload=SimpleUploadedFile("e.png", out.getvalue()))
    ResponsePhoto.objects.create(
        assessment=assessment, checkpoint=demo_version.checkpoints.first(),
        client_id=uuid.uuid4(), uploaded_by=cast.facility_team, size=3,
        content_type="image/jpeg")
    photos = Path(settings.MEDIA_ROOT) / "photos"
    photos.mkdir(parents=True, exist_ok=True)
    (photos / "nested-photo.jpg").write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 40)
    certificates = Path(settings.MEDIA_ROOT) / "certificates"
    certificates.mkdir(parents=True, exist_ok=True)
    (certificates / "कोसी-certificate.pdf").write_bytes(b"%PDF-1.4 certificate")
    return cast, assessment


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_gives_back_every_row_and_every_stored_file(stored_world, tmp_path,
                                                                      settings):
    from srishti.assessments.models import Response
    from srishti.improvement.models import Evidence
    from tests.factories import FacilityFactory

    rows, hashes = row_counts(), file_hashes()
    assert rows["assessments_response"] > 500 and len(hashes) >= 3
    archive = tmp_path / "backup.tar"
    summary = backup_create(path=archive)
    assert summary.files == len(hashes) and summary.rows == sum(rows.values())
    assert read_manifest(archive)["rows"] == rows

    # Things go wrong after the backup: rows deleted and added, files lost and changed.
    Response.objects.filter(value=0).delete()
    Evidence.objects.all().delete()
    FacilityFactory(name="Added after the backup")
    media = Path(settings.MEDIA_ROOT)
    next(media.rglob("*.jpg")).write_bytes(b"changed")
    next(media.rglob("*.pdf")).unlink()
    (media / "stray.txt").write_text("added after the backup")
    assert row_counts() != rows and file_hashes() != hashes

    backup_restore(path=archive)

    assert row_counts() == rows
    assert file_hashes() == hashes


@pytest.mark.django_db(transaction=True)
def test_the_cli_backs_up_and_restores_with_one_line_each(stored_world, tmp_path, capsys):
    from srishti.cli import main
    from srishti.geography.models import Facility

    archive = tmp_path / "b.tar"
    assert main(["backup", str(archive)]) == 0
    assert "stored files" in capsys.readouterr().out
    Facility.objects.filter(name="Facility H").delete()
    assert main(["restore", str(archive)]) == 2  # not confirmed
    assert "--yes" in capsys.readouterr().err
    assert main(["restore", str(archive), "--yes"]) == 0
    assert "checked against the backup" in capsys.readouterr().out
    assert Facility.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_file_that_is_not_a_backup_is_refused_in_one_line(tmp_path):
    bogus = tmp_path / "x.tar"
    with tarfile.open(bogus, "w") as archive:
        archive.addfile(tarfile.TarInfo("hello.txt"), io.BytesIO(b""))
    with pytest.raises(DomainError, match="not a Srishti backup"):
        backup_restore(path=bogus)


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_other_database_kind_is_refused(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "b.tar"
    backup_create(path=archive)
    manifest = read_manifest(archive)
    manifest["engine"] = "postgresql" if manifest["engine"] == "sqlite" else "sqlite"
    rewritten = tmp_path / "other.tar"
    with tarfile.open(archive) as source, tarfile.open(rewritten, "w") as target:
        for member in source.getmembers():
            if member.name == "manifest.json":
                data = json.dumps(manifest).encode()
                member.size = len(data)
                target.addfile(member, io.BytesIO(data))
            else:
                target.addfile(member, source.extractfile(member))
    with pytest.raises(DomainError, match="Restore it into the same kind"):
        backup_restore(path=rewritten)
