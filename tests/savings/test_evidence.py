"""Evidence files are checked by content: PDF, XLSX, CSV, PNG and JPEG only; a file
disguised by its name, an archive, an empty or too large file is refused with a clear
message and nothing is stored."""

import io
import zipfile
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from savings.claims import SavingsClaim
from savings.evidence import check_evidence
from tests.savings.claims_helpers import stored_files, upload

CLAIM_URL = "/savings/initiatives/APP-RAT/years/2014-15/claims/new/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 24
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def xlsx() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("invoices.csv", "a,b\r\n1,2\r\n")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("invoice.pdf", PDF, "pdf"),
        ("rates.xlsx", xlsx(), "xlsx"),
        ("rates.CSV", "line,saving\r\nOUT-01,£1,250.00\r\n".encode(), "csv"),
        ("chart.png", PNG, "png"),
        ("photo.jpg", JPEG, "jpeg"),
        ("photo.jpeg", JPEG, "jpeg"),
    ],
)
def test_the_five_kinds_are_told_by_their_content(name, content, kind):
    assert check_evidence(upload(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf", b"<html><script>alert(1)</script></html>", "invoice.pdf is refused"),
        ("invoice.csv", b"  <!doctype html><p>hi</p>", "is a web page or markup"),
        ("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 40, "is not a PDF, XLSX"),
        ("rates.xlsx", plain_zip(), "is a zip archive, not a spreadsheet"),
        ("rates.csv", plain_zip(), "is a zip archive, not a spreadsheet"),
        ("rates.csv", b"\x1f\x8b\x08\x00" + b"\x00" * 20, "is an archive"),
        ("rates.pdf", b"Rar!\x1a\x07\x00", "is an archive"),
        ("chart.png", JPEG, "its content is JPEG but its name says otherwise"),
        ("rates.csv", b"a,b\x00\r\n", "is not a PDF, XLSX, CSV, PNG or JPEG file"),
        ("rates.csv", b"\xff\xfe\x00a", "is not a PDF, XLSX, CSV, PNG or JPEG file"),
        ("empty.pdf", b"", "The submitted file is empty."),
    ],
)
def test_bad_files_are_refused_with_a_clear_message_and_nothing_stored(
    world, media, finance_client, name, content, message
):
    world["initiatives"]["apps"].lines.add(world["lines"]["net"])
    response = finance_client.post(
        CLAIM_URL, {"amount": "100.00", "period": "2", "evidence": upload(name, content)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="100.00"' in response.content.decode()  # what was typed is kept
    assert not SavingsClaim.objects.exists()
    assert stored_files(media) == []


def test_a_file_over_the_size_limit_is_refused(world, media, settings, finance_client):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024
    response = finance_client.post(
        CLAIM_URL,
        {"amount": "100.00", "period": "2", "evidence": upload("big.csv", b"a,b\r\n" * 300)},
    )
    assert "big.csv is 1.5 KB; evidence files may be up to 1.0 KB." in response.content.decode()
    assert not SavingsClaim.objects.exists()
    assert stored_files(media) == []
    with pytest.raises(ValidationError, match="up to"):
        check_evidence(upload("big.csv", b"a,b\r\n" * 300))
    with pytest.raises(ValidationError, match=r"empty\.csv is empty"):
        check_evidence(upload("empty.csv", b""))


def test_a_claim_refused_after_its_file_was_checked_stores_no_file(world, media, finance_client):
    """A good file with a bad amount: the claim is refused and the file is not kept."""
    response = finance_client.post(
        CLAIM_URL, {"amount": "0.00", "period": "2", "evidence": upload()}
    )
    assert response.status_code == 200
    assert "A claimed saving must be more than £0.00." in response.content.decode()
    assert not SavingsClaim.objects.exists()
    assert stored_files(media) == []


def test_an_accepted_file_is_stored_under_a_name_of_our_own(world, media, finance_client):
    response = finance_client.post(
        CLAIM_URL,
        {"amount": "100.00", "period": "2", "evidence": upload("../../etc/passwd.csv")},
    )
    assert response.status_code == 302
    claim = SavingsClaim.objects.get()
    assert claim.amount == D("100.00")
    (name,) = stored_files(media)
    assert name.endswith(".csv") and "passwd" not in name
    assert claim.evidence.name.startswith("evidence/")
