"""The Admin's contract forms: edit a contract (versioned) and record a change. The rules
live on the model and in the services; these forms collect the values and show each rule's
message by its field."""

from decimal import Decimal

from django import forms

from common.forms import AmountField, ListSelect
from common.locking import VersionedForm
from common.money import ZERO
from contracts.models import Contract, ContractChange
from contracts.services import CHANGE_FIELDS, EDITABLE_FIELDS, RECORDABLE_KINDS, change_errors


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_errors(form: forms.BaseForm, errors: dict[str, str]) -> None:
    """Each {field: message} by its field, or for the whole form when the form has no such
    field; a field that already shows an error keeps it."""
    for field, message in errors.items():
        if field in form.fields:
            if not form.has_error(field):
                form.add_error(field, message)
        else:
            form.add_error(None, message)


class ContractForm(VersionedForm, forms.ModelForm):
    """ "Edit contract". Its rules are the contract's own (`Contract.rule_errors`, checked
    when the form builds the contract) and the service's."""

    annual_value = AmountField(label="Annual value (£)")
    total_value = AmountField(label="Total value (£)")
    # A plain whole number: the range is the contract's rule, with the rule's own message.
    notice_months = forms.IntegerField(
        label="Notice period (months)",
        help_text=Contract._meta.get_field("notice_months").help_text,
    )

    class Meta:
        model = Contract
        fields = EDITABLE_FIELDS
        widgets = {
            "supplier": ListSelect,
            "start_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "reference": {"unique": "Another contract already has this reference."},
        }


class ContractChangeForm(forms.ModelForm):
    """A new change to a contract: on the contract page, in the contract's admin page and
    in the change admin. The contract is the instance's (or, in the change admin, the one
    chosen); the rules are `change_errors`, shown by the field."""

    kind = forms.ChoiceField(
        label="Kind of change",
        choices=[("", "Choose…")] + [(k.value, k.label) for k in RECORDABLE_KINDS],
        help_text="An award is the contract itself; record later events here.",
    )
    value_change = AmountField(
        label="Change to total value (£)",
        allow_negative=True,
        required=False,
        help_text="Added to the total contract value; negative for a reduction.",
    )
    expected_annual_saving = AmountField(label="Expected annual saving (£)", required=False)

    class Meta:
        model = ContractChange
        fields = CHANGE_FIELDS
        labels = {"effective_date": "Takes effect on", "new_end_date": "New end date"}
        help_texts = {
            "new_end_date": "Required for an extension (after the current end) and a "
            "termination (the day it ends). Leave empty for a variation that keeps the end "
            "date.",
            "source": "Where the dates and figures come from, e.g. a decision notice or report.",
        }
        widgets = {
            "effective_date": DateInput(),
            "new_end_date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_value_change(self) -> Decimal:
        return self.cleaned_data.get("value_change") or ZERO

    def clean_expected_annual_saving(self) -> Decimal:
        return self.cleaned_data.get("expected_annual_saving") or ZERO

    def clean(self) -> dict:
        data = super().clean()
        contract = data.get("contract") or _contract_of(self.instance)
        if contract is not None:
            errors = change_errors(
                contract,
                kind=data.get("kind"),
                effective_date=data.get("effective_date"),
                new_end_date=data.get("new_end_date"),
                value_change=data.get("value_change"),
                expected_annual_saving=data.get("expected_annual_saving"),
            )
            add_errors(self, errors)
        return data

    def change(self) -> dict:
        """The values to hand to `record_change`."""
        return {field: self.cleaned_data[field] for field in CHANGE_FIELDS}


def _contract_of(change: ContractChange) -> Contract | None:
    try:
        return change.contract
    except ContractChange.contract.RelatedObjectDoesNotExist:
        return None
