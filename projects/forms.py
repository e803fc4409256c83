"""Forms for the register, forecasts, re-baselines, benefits and officer numbers. Every form
that changes a stored row carries its version (common.locking.VersionedForm)."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from budgets.models import BudgetLine
from common.forms import AmountField, ListSelect, ListSelectMultiple, choose_by_code_when_many
from common.locking import VersionedForm
from contracts.models import Contract
from projects.figures import format_quantity
from projects.models import BenefitMeasure, Project
from savings.models import Initiative

# Codes that would collide with fixed page addresses.
RESERVED_PROJECT_CODES = {"new"}
RESERVED_MEASURE_CODES = {"new", "officers"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _cost_field(label: str, **kwargs) -> AmountField:
    return AmountField(
        label=label, negative_message="A cost cannot be negative: enter 0.00 or more.", **kwargs
    )


def _reserved(code: str, reserved: set[str]) -> str:
    if code.lower() in reserved:
        raise ValidationError(f"“{code}” is reserved for a page address: choose another code.")
    return code


REGISTER_FIELDS = [
    "code",
    "name",
    "description",
    "owner",
    "stage",
    "closed_on",
    "confidence",
    "lines",
    "contracts",
    "initiatives",
    "source",
]
MEASURE_FIELDS = [
    "code",
    "name",
    "description",
    "unit",
    "cashable",
    "owner",
    "initiative",
    "project",
    "source",
]


class ProjectForm(VersionedForm, forms.ModelForm):
    """A project's register entry, in the app and the Django admin. Baseline and forecast
    are not here: they change through a re-baseline and a forecast update, with reasons."""

    change_reason = forms.CharField(
        required=False,
        max_length=100,
        label="Reason for this change",
        help_text="One line, kept in the history. Required when delivery confidence changes.",
    )

    class Meta:
        model = Project
        fields = REGISTER_FIELDS
        labels = {"lines": "Budget lines", "closed_on": "Closed on"}
        help_texts = {
            "code": "Letters, numbers, hyphens; used in the page address.",
            "stage": "A project leaves the business case stage when its baseline is approved.",
            "closed_on": "Required when the stage is Closed.",
            "lines": "The budget lines that pay for it (hold Ctrl or Cmd to choose several).",
        }
        widgets = {
            "lines": ListSelectMultiple,
            "contracts": ListSelectMultiple,
            "initiatives": ListSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 2}),
            "closed_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].queryset = BudgetLine.objects.order_by("code")
        self.fields["contracts"].queryset = Contract.objects.order_by("reference")
        self.fields["initiatives"].queryset = Initiative.objects.order_by("code")
        choose_by_code_when_many(self.fields["lines"], noun="budget line")
        choose_by_code_when_many(
            self.fields["contracts"], noun="contract", code="reference", codes="references"
        )
        choose_by_code_when_many(self.fields["initiatives"], noun="initiative")

    def clean_code(self) -> str:
        return _reserved(self.cleaned_data["code"], RESERVED_PROJECT_CODES)

    def clean(self) -> dict:
        cleaned = super().clean()
        changed = self.instance.pk and "confidence" in self.changed_data
        if changed and not cleaned.get("change_reason", "").strip():
            self.add_error(
                "change_reason", "Give a one-line reason for changing the delivery confidence."
            )
        if cleaned.get("stage") == Project.Stage.CLOSED and not cleaned.get("closed_on"):
            self.add_error("closed_on", "Give the date the project closed.")
        stage = cleaned.get("stage")
        if (
            stage
            and stage not in Project.UNBASELINED_STAGES
            and self.instance.baseline_cost is None
        ):
            self.add_error(
                "stage",
                "Approve the baseline first (Re-baseline): a business case moves on to "
                "delivery when its baseline is approved.",
            )
        return cleaned

    def details(self) -> dict:
        """The service's keyword arguments, from the cleaned data."""
        data = self.cleaned_data
        return {name: data[name] for name in REGISTER_FIELDS} | {
            "version": data["version"],
            "reason": data["change_reason"],
        }


class ForecastForm(VersionedForm, forms.Form):
    """Finance's new forecast for a project: cost, go-live and why they moved."""

    forecast_cost = _cost_field("Forecast whole-life cost (£)")
    forecast_go_live = forms.DateField(label="Forecast go-live", widget=DateInput())
    as_of = forms.DateField(
        label="Forecast made on",
        widget=DateInput(),
        help_text="Usually today; not before the latest forecast.",
    )
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What moved and why: kept with the forecast in the project's history.",
    )

    def __init__(self, *args, project: Project, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "forecast_cost": project.forecast_cost,
                "forecast_go_live": project.forecast_go_live,
                "as_of": timezone.localdate(),
                "version": project.version,
            },
        )
        super().__init__(*args, **kwargs)


class RebaselineForm(VersionedForm, forms.Form):
    """Admin's record of an approved baseline: the business case's, or a re-baseline."""

    baseline_cost = _cost_field("Baseline whole-life cost (£)")
    baseline_go_live = forms.DateField(label="Baseline go-live", widget=DateInput())
    effective = forms.DateField(label="Approved on", widget=DateInput())
    approver = forms.CharField(
        label="Approved by", max_length=200, help_text="The person or board that approved it."
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the baseline is set or changed: kept in the project's history.",
    )

    def __init__(self, *args, project: Project, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "baseline_cost": project.baseline_cost,
                "baseline_go_live": project.baseline_go_live,
                "effective": timezone.localdate(),
                "version": project.version,
            },
        )
        super().__init__(*args, **kwargs)


class QuantityField(forms.DecimalField):
    """A benefit's level as people type it: 12400, 12,400 or 1,234.5; never negative."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(required=False, min_value=0, max_digits=14, decimal_places=2, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").replace(" ", "")
        return super().to_python(value)


class QuantityConflictMixin:
    """After a stale save, show the saved levels as quantities (12,400), not pounds."""

    quantity_fields = ("actual", "planned")

    def offer_again(self, error) -> None:
        super().offer_again(error)
        self.conflict_rows = [
            (label, format_quantity(getattr(error.current, name), ""), yours)
            if name in self.quantity_fields
            else (label, theirs, yours)
            for (label, theirs, yours), name in zip(
                self.conflict_rows, self._conflict_names(error), strict=True
            )
        ]

    def _conflict_names(self, error) -> list[str]:
        return [n for n in self.fields if n != "version" and hasattr(error.current, n)]


class BenefitActualForm(QuantityConflictMixin, VersionedForm, forms.Form):
    actual = QuantityField(
        label="Actual",
        help_text="The level at the end of the month. Leave empty if not known yet.",
    )
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class BenefitPlanForm(QuantityConflictMixin, VersionedForm, forms.Form):
    planned = QuantityField(
        label="Planned",
        help_text="The planned level at the end of the month. Empty: no plan for the month.",
    )
    reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=100,
        help_text="Required when changing a plan already set: kept in the history.",
    )


class MeasureForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = BenefitMeasure
        fields = MEASURE_FIELDS
        widgets = {
            "initiative": ListSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_code(self) -> str:
        return _reserved(self.cleaned_data["code"], RESERVED_MEASURE_CODES)

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in MEASURE_FIELDS} | {
            "version": self.cleaned_data["version"]
        }


class OfficerCountForm(VersionedForm, forms.Form):
    officers = forms.IntegerField(
        label="Police officers", min_value=1, help_text="Officers (FTE) in the year."
    )
    source = forms.CharField(
        label="Source",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Where the figure comes from (report, date).",
    )


def parse_month(text: str) -> date | None:
    """`2015-09` as 1 Sep 2015; None for anything else."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        return None
