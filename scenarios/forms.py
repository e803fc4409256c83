"""The scenario forms: a scenario's name and description (versioned), and one adjustment,
which carries the version of its scenario so that an adjustment added to a scenario
someone else changed meanwhile is refused, the typed values kept."""

from django import forms

from budgets.models import BudgetLine, FinancialYear
from common.forms import AmountField, ListSelect, choose_by_code_when_many
from common.locking import VersionedForm
from contracts.forms import DateInput
from contracts.models import Contract
from reports.models import PublishedReport
from savings.models import Initiative
from scenarios.models import Adjustment, Scenario


class ScenarioForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Scenario
        fields = ("name", "description", "weight_by_confidence")
        labels = {"weight_by_confidence": "Weight savings by delivery confidence"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ContractChoice(forms.ModelChoiceField):
    def label_from_instance(self, contract: Contract) -> str:
        return (
            f"{contract.reference}: {contract.title} ({contract.get_status_display().lower()}, "
            f"ends {contract.end_date:%-d %b %Y})"
        )


class AdjustmentForm(VersionedForm, forms.ModelForm):
    """One adjustment. Which fields it needs depends on its kind (each field's hint says
    which kinds use it); `Adjustment.clean` and `scenarios.rules` name what is missing or
    wrong by its field."""

    contract = ContractChoice(
        queryset=Contract.objects.order_by("reference"),
        required=False,
        help_text="Cancel, renegotiate or extend: the contract.",
        widget=ListSelect,
    )
    initiative = forms.ModelChoiceField(
        queryset=Initiative.objects.order_by("code"),
        required=False,
        help_text="Slip or scale: the initiative.",
        widget=ListSelect,
    )
    line = forms.ModelChoiceField(
        queryset=BudgetLine.objects.order_by("code"),
        required=False,
        label="Budget line",
        help_text="Set forecast: the line.",
        widget=ListSelect,
    )
    year = forms.ModelChoiceField(
        queryset=FinancialYear.objects.order_by("start"),
        required=False,
        label="From year",
        help_text="Set forecast: the year of the first period.",
    )
    amount = AmountField(
        label="Amount (£)",
        required=False,
        help_text=Adjustment._meta.get_field("amount").help_text,
        negative_message="The amount cannot be negative.",
    )

    class Meta:
        model = Adjustment
        fields = (
            "kind",
            "contract",
            "initiative",
            "line",
            "on_date",
            "amount",
            "percent",
            "factor",
            "months",
            "year",
            "period",
            "note",
        )
        labels = {
            "kind": "What to change",
            "on_date": "Date",
            "percent": "Change in price (%)",
            "months": "Slip (months)",
            "period": "From period",
        }
        widgets = {"on_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choose_by_code_when_many(self.fields["line"], noun="budget line")
        choose_by_code_when_many(
            self.fields["contract"], noun="contract", code="reference", codes="references"
        )
        choose_by_code_when_many(self.fields["initiative"], noun="initiative")

    def _update_errors(self, errors) -> None:
        # A field the form has already refused (a code that names no line) is not also
        # "needed" by the model's check, which saw it blank.
        for name in list(getattr(errors, "error_dict", {})):
            if name in self.errors:
                del errors.error_dict[name]
        super()._update_errors(errors)


class PackForm(forms.Form):
    """Which published report's pack to put the scenario in: the current version of each."""

    report = forms.ModelChoiceField(
        queryset=PublishedReport.objects.current().latest_first().select_related("year"),
        label="Published report",
        empty_label="Choose a report…",
    )
