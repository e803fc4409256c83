"""Finance's commentary on a published report: one row of plain paragraphs per section,
kept with that report version. The pack's commentary form and any script write through
`save_commentary`; nothing else saves a Commentary row.

`expected_version` is the version the person saw (`common.locking`): 0 for a section that
had no commentary when they opened it. A row saved by someone else since is refused with
`StaleVersionError`, a first commentary written meanwhile included. None skips the
comparison (a script, or a caller that read the row in this transaction).
"""

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from common.locking import StaleVersionError, VersionedForm, bump, check_version, last_change
from reports.models import Commentary, PublishedReport

WRITE_COMMENTARY = ("reports.add_commentary", "reports.change_commentary")
MAX_LENGTH = 10_000


def _normalised(text: str) -> str:
    """Paragraphs as typed, with Windows line endings and surrounding blank space gone."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


@transaction.atomic
def save_commentary(
    *,
    report: PublishedReport,
    section: str,
    text: str,
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> Commentary:
    """Write `text` as the commentary on `section` of `report` (creating the row the first
    time). Only Finance (and Admin) may; the report itself is never changed."""
    if not user.has_perms(WRITE_COMMENTARY):
        raise PermissionDenied("Only Finance can write the commentary of a report.")
    if section not in Commentary.Section.values:
        raise ValidationError({"section": f"“{section}” is not a section of the pack."})
    text = _normalised(text)
    if len(text) > MAX_LENGTH:
        raise ValidationError({"text": f"Keep the commentary to {MAX_LENGTH:,} characters."})
    # The lock on the report orders two people writing the first commentary of a section.
    PublishedReport.objects.select_for_update().get(pk=report.pk)
    row = Commentary.objects.filter(report=report, section=section).first()
    if row is None:
        row = Commentary(report=report, section=section, version=1)
    elif expected_version == 0:
        raise StaleVersionError(row, *last_change(row))
    else:
        row = check_version(row, expected_version)
        bump(row)
    row.text = text
    row.updated_by = user
    row._history_user = user
    row.save()
    return row


class CommentaryForm(VersionedForm, forms.Form):
    """One section's commentary: plain paragraphs separated by a blank line."""

    text = forms.CharField(
        required=False,
        max_length=MAX_LENGTH,
        strip=False,
        label="Commentary",
        help_text="Plain paragraphs: leave a blank line between two paragraphs. "
        "Saved with this version of the report only.",
        widget=forms.Textarea(attrs={"rows": 12}),
    )

    def __init__(self, *args, commentary: Commentary, **kwargs):
        # The form's own version: a section without commentary yet is version 0.
        kwargs.setdefault(
            "initial",
            {"text": commentary.text, "version": commentary.version if commentary.pk else 0},
        )
        super().__init__(*args, **kwargs)
