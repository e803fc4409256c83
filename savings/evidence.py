"""Evidence files for savings claims: what kind a file is, by its content.

A file is accepted only as PDF, XLSX, CSV, PNG or JPEG, told by its bytes (never by its
name or the browser's content type), and its name's extension must agree with its content,
so that a page or a program renamed `.pdf` is refused. Archives are refused, including a
plain zip that is not a spreadsheet. The size limit is `settings.EVIDENCE_MAX_UPLOAD_BYTES`.
"""

import io
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

# kind -> (the content type it is served with, the extensions its name may have)
KINDS = {
    "pdf": ("application/pdf", (".pdf",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "csv": ("text/csv; charset=utf-8", (".csv",)),
    "png": ("image/png", (".png",)),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
}
ACCEPTED = "PDF, XLSX, CSV, PNG or JPEG"
_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
)
_ARCHIVES = (b"\x1f\x8b", b"BZh", b"7z\xbc\xaf\x27\x1c", b"Rar!", b"\xfd7zXZ\x00", b"PK\x05\x06")
_XLSX_PARTS = {"xl/workbook.xml", "[Content_Types].xml"}


def content_type(kind: str) -> str:
    """The safe content type a checked kind is served with."""
    return KINDS[kind][0]


def _size(size: int) -> str:
    return str(filesizeformat(size)).replace("\xa0", " ")


def _kind_of(data: bytes) -> str | None:
    """The kind the bytes are, or None; raises for an archive."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(_ARCHIVES) or data[257:262] == b"ustar":
        raise ValidationError("it is an archive: archives are not accepted")
    return _text_kind(data)


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile as error:
        raise ValidationError("it is a damaged zip file") from error
    if not names >= _XLSX_PARTS:
        raise ValidationError("it is a zip archive, not a spreadsheet: archives are not accepted")
    return "xlsx"


def _text_kind(data: bytes) -> str | None:
    """CSV: UTF-8 text without NUL bytes that does not open as markup."""
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if text.lstrip().startswith("<"):
        raise ValidationError("it is a web page or markup, not a table of values")
    return "csv"


def check_evidence(upload: UploadedFile) -> str:
    """The kind of an uploaded evidence file, checked by content; a ValidationError naming
    the file and the reason when it is empty, too large, an archive, of another kind, or
    named for a kind its content is not."""
    name = PurePath(upload.name or "file").name
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    if not upload.size:
        raise ValidationError(f"{name} is empty: choose the file with the evidence in it.")
    if upload.size > limit:
        raise ValidationError(
            f"{name} is {_size(upload.size)}; evidence files may be up to {_size(limit)}."
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        kind = _kind_of(data)
    except ValidationError as error:
        raise ValidationError(f"{name} is refused: {error.messages[0]}.") from error
    if kind is None:
        raise ValidationError(f"{name} is not a {ACCEPTED} file, whatever its name says.")
    if PurePath(name).suffix.lower() not in KINDS[kind][1]:
        raise ValidationError(
            f"{name} is refused: its content is {kind.upper()} but its name says otherwise. "
            f"Evidence must be a {ACCEPTED} file named for what it is."
        )
    return kind
