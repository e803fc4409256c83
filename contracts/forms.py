from decimal import Decimal

from django import forms

from common.forms import AmountField
from common.money import ZERO
from contracts.models import Contract, ContractChange
from contracts.services import EDITABLE_FIELDS, RECORDABLE_KINDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ContractForm(forms.ModelForm):
    annual_value = AmountField(label="Annual value (£)")
    total_value = AmountField(label="Total value (£)")
    notice_months = forms.IntegerField(
        label="Notice period (months)",
        min_value=0,
        max_value=Contract.MAX_NOTICE_MONTHS,
        error_messages={
            "min_value": "The notice period must be between 0 and 60 months.",
            "max_value": "The notice period must be between 0 and 60 months.",
        },
        help_text="Months of notice needed before the end date (0 to 60).",
    )

    class Meta:
        model = Contract
        fields = EDITABLE_FIELDS
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "reference": {"unique": "Another contract already has this reference."},
        }

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date cannot be before the start date.")
        return data


class ContractChangeForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of change",
        choices=[("", "Choose…")] + [(k.value, k.label) for k in RECORDABLE_KINDS],
    )
    effective_date = forms.DateField(label="Takes effect on", widget=DateInput())
    new_end_date = forms.DateField(
        label="New end date",
        required=False,
        widget=DateInput(),
        help_text="Required for an extension (after the current end) and a termination "
        "(the day it ends). Leave empty for a variation that keeps the end date.",
    )
    value_change = AmountField(
        label="Change to total value (£)",
        allow_negative=True,
        required=False,
        help_text="Added to the total contract value; negative for a reduction.",
    )
    expected_annual_saving = AmountField(label="Expected annual saving (£)", required=False)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(
        label="Source",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Where the dates and figures come from, e.g. a decision notice or report.",
    )

    def clean_value_change(self) -> Decimal:
        return self.cleaned_data.get("value_change") or ZERO

    def clean_expected_annual_saving(self) -> Decimal:
        return self.cleaned_data.get("expected_annual_saving") or ZERO

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        needs_end = {ContractChange.Kind.EXTENSION, ContractChange.Kind.TERMINATION}
        if kind in needs_end and not data.get("new_end_date") and "new_end_date" not in self.errors:
            label = ContractChange.Kind(kind).label.lower()
            self.add_error("new_end_date", f"Enter the new end date for the {label}.")
        return data
