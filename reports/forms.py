from django import forms

from common.locking import VersionedForm


class CloseForm(VersionedForm, forms.Form):
    """Close a period and publish its report. It carries the year's version, so a close or
    reopen by someone else since the page was shown is not overridden unseen; whether a
    reason is needed is the service's rule (`reports.services.close_and_publish`)."""

    reason = forms.CharField(
        label="Reason for closing with items outstanding",
        help_text="Kept with the published report and in the year's history.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
