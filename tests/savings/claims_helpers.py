"""Shared parts of the savings-claims tests: evidence kept in a temporary MEDIA_ROOT, and
what the storage holds."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

CSV = b"invoice,amount\r\nINV-1,1250.00\r\n"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def stored_files(media: Path) -> list[str]:
    return sorted(p.name for p in media.rglob("*") if p.is_file()) if media.exists() else []


def upload(name: str = "invoices.csv", content: bytes = CSV) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
