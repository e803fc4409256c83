"""Shared parts of the savings-claims tests: uploads, and what the storage holds."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

CSV = b"invoice,amount\r\nINV-1,1250.00\r\n"


def stored_files(media: Path) -> list[str]:
    return sorted(p.name for p in media.rglob("*") if p.is_file()) if media.exists() else []


def upload(name: str = "invoices.csv", content: bytes = CSV) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
