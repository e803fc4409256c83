from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from budgets.models import BudgetLine, FinancialYear
from common.forms import AmountField as BaseAmountField
from common.forms import ListSelect, ListSelectMultiple, choose_by_code_when_many
from common.history import shown
from common.locking import StaleVersionError, VersionedForm
from common.money import format_money
from savings.models import Initiative, InitiativeYear
from savings.services import check_confidence_reason

# Codes that would collide with fixed URLs under /savings/initiatives/.
RESERVED_CODES = {"new"}


def AmountField(**kwargs) -> BaseAmountField:  # noqa: N802 - reads like a field class
    """An amount field for savings, which are never negative."""
    return BaseAmountField(
        negative_message="A saving cannot be negative: enter 0.00 or more.", **kwargs
    )


class RecordSavingsForm(VersionedForm, forms.Form):
    """Finance's view of one initiative-year: the latest forecast and a note (realised
    savings are claims: `ClaimForm`)."""

    forecast = AmountField(
        required=False,
        label="Forecast saving for the year (£)",
        help_text="Leave empty to forecast the planned amount.",
    )
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Note (optional)"
    )

    def __init__(self, *args, initiative_year: InitiativeYear, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "forecast": initiative_year.forecast,
                "note": initiative_year.note,
                "version": initiative_year.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.initiative_year = initiative_year
        self.fields["forecast"].help_text += f" Planned: {format_money(initiative_year.planned)}."


class InitiativeDetailsForm(forms.ModelForm):
    """An initiative's details, in the app and in the Django admin: a change of delivery
    confidence needs a one-line reason (kept as the history's change reason), and codes
    that are page addresses are refused."""

    change_reason = forms.CharField(
        required=False,
        max_length=100,
        label="Reason for this change",
        help_text="One line, kept in the history. Required when delivery confidence changes.",
    )
    baseline_amount = AmountField(
        required=False,
        label="Baseline amount (£)",
        help_text="The spend the saving is measured against.",
    )

    class Meta:
        model = Initiative
        fields = [
            "code",
            "name",
            "description",
            "owner",
            "lever",
            "stage",
            "confidence",
            "cashable",
            "contract",
            "lines",
            "baseline_amount",
            "baseline_year",
            "baseline_method",
            "measurement",
        ]
        labels = {
            "confidence": "Delivery confidence",
            "lines": "Budget lines",
            "baseline_amount": "Baseline amount (£)",
            "baseline_year": "Baseline year",
            "baseline_method": "How the baseline was set",
            "measurement": "How realisation is evidenced",
        }
        help_texts = {
            "code": "Letters, numbers, hyphens; used in the page address.",
            "lines": "The budget lines the saving comes off (hold Ctrl or Cmd to choose several).",
        }
        widgets = {
            "contract": ListSelect,
            "lines": ListSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "baseline_method": forms.Textarea(attrs={"rows": 3}),
            "measurement": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choose_by_code_when_many(self.fields["lines"], noun="budget line")
        choose_by_code_when_many(
            self.fields["contract"], noun="contract", code="reference", codes="references"
        )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if code.lower() in RESERVED_CODES:
            raise ValidationError(f"“{code}” is reserved for a page address: choose another code.")
        return code

    def clean(self) -> dict:
        cleaned = super().clean()
        # The service's own rule, checked here too so that the admin can show it.
        try:
            check_confidence_reason(
                before=self.instance.confidence if self.instance.pk else None,
                after=cleaned.get("confidence", self.instance.confidence),
                reason=cleaned.get("change_reason", ""),
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class InitiativeForm(VersionedForm, InitiativeDetailsForm):
    """The in-app form: the initiative's details and its planned savings per year, with
    the version of the initiative it was opened at (any save of the form changes it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].queryset = BudgetLine.objects.order_by("code")
        existing = (
            {row.year_id: row for row in self.instance.years.all()} if self.instance.pk else {}
        )
        self.years = list(FinancialYear.objects.order_by("start"))
        for year in self.years:
            row = existing.get(year.pk)
            self.fields[self.planned_field(year)] = AmountField(
                required=False,
                label=f"Planned saving {year.label} (£)",
                initial=row.planned if row else None,
            )

    @staticmethod
    def planned_field(year: FinancialYear) -> str:
        return f"planned_{year.label}"

    @property
    def planned_fields(self) -> list:
        return [self[self.planned_field(year)] for year in self.years]

    @property
    def detail_fields(self) -> list:
        planned = {self.planned_field(year) for year in self.years}
        return [field for field in self.visible_fields() if field.name not in planned]

    def planned_by_year(self) -> dict[FinancialYear, Decimal | None]:
        return {year: self.cleaned_data.get(self.planned_field(year)) for year in self.years}

    def offer_again(self, error: StaleVersionError) -> None:
        """As for any versioned form, and the stored plan for each year beside the typed."""
        super().offer_again(error)
        stored = {row.year_id: row.planned for row in error.current.years.all()}
        for year in self.years:
            name = self.planned_field(year)
            typed = self.data.get(self.add_prefix(name), "")
            self.conflict_rows.append(
                (self.fields[name].label, shown(stored.get(year.pk)), shown(typed))
            )


class ConfidenceForm(VersionedForm, forms.Form):
    """Move an initiative's delivery confidence, saying why (kept in its history)."""

    confidence = forms.ChoiceField(
        choices=Initiative.Confidence.choices, label="Delivery confidence"
    )
    change_reason = forms.CharField(
        required=False,
        max_length=100,
        label="Reason for this change",
        help_text="One line, kept in the history. Required when delivery confidence changes.",
    )


class TargetForm(VersionedForm, forms.Form):
    amount = AmountField(
        label="Savings target (£)",
        help_text="New in-year savings required this year, against the previous year.",
    )
    source = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Source",
        help_text="Where the figure comes from (report, decision, date).",
    )


class NewYearForm(forms.Form):
    """The year after `previous`: which lines carry over, its starting budget and its
    savings target. `offered` are `budgets.setting.lines_to_carry` rows."""

    ZERO_BUDGET, COPY_BUDGET = "zero", "copy"

    lines = forms.MultipleChoiceField(
        label="Lines to carry over",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    start_budget = forms.ChoiceField(
        label="Starting budget",
        widget=forms.RadioSelect,
        choices=[
            (ZERO_BUDGET, "£0 for every month: set and phase it next"),
            (COPY_BUDGET, "Each month as the previous year's budget"),
        ],
        initial=ZERO_BUDGET,
    )
    target = AmountField(
        label="Savings target (£)",
        required=False,
        help_text="New in-year savings required in the new year. Leave empty to set it later.",
    )
    target_source = forms.CharField(
        label="Source of the target",
        required=False,
        max_length=500,
        help_text="Where the figure comes from; say “illustrative” if it is.",
    )

    def __init__(self, *args, offered, **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = offered
        self.fields["lines"].choices = [(str(row.line.pk), row.line.code) for row in offered]
        self.initial.setdefault("lines", [str(row.line.pk) for row in offered if row.carry])

    def chosen_lines(self) -> list[BudgetLine]:
        chosen = set(self.cleaned_data["lines"])
        return [row.line for row in self.offered if str(row.line.pk) in chosen]

    def offered_rows(self) -> list[dict]:
        """Each offered line with whether its box is ticked, for the template."""
        ticked = set(self["lines"].value() or [])
        return [
            {"row": row, "id": f"line-{row.line.pk}", "ticked": str(row.line.pk) in ticked}
            for row in self.offered
        ]


PERIODS = [(n, f"P{n}") for n in range(1, 13)]


class ClaimForm(forms.Form):
    """A claim of a realised saving with its evidence: a file, a link, or both."""

    amount = AmountField(label="Saving claimed (£)", help_text="More than £0.00.")
    period = forms.TypedChoiceField(
        choices=PERIODS, coerce=int, label="Realised to the end of period"
    )
    line = forms.ModelChoiceField(
        queryset=BudgetLine.objects.none(),
        required=False,
        label="Budget line (optional)",
        help_text="The line the saving comes off; used to spot two initiatives claiming it.",
        widget=ListSelect,
    )
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Note (optional)"
    )
    evidence = forms.FileField(
        required=False,
        label="Evidence file (optional)",
        help_text="PDF, XLSX, CSV, PNG or JPEG, up to the size limit; checked by its content.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.xlsx,.csv,.png,.jpg,.jpeg"}),
    )
    evidence_link = forms.URLField(
        required=False,
        assume_scheme="https",
        max_length=500,
        label="Evidence link (optional)",
        help_text="Where the evidence is kept, if not uploaded.",
    )

    def __init__(self, *args, initiative_year: InitiativeYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = initiative_year.initiative.lines.order_by("code")


class DecisionForm(VersionedForm, forms.Form):
    """An Admin who did not make the claim validates it, or rejects it with a reason."""

    decision = forms.ChoiceField(
        choices=[("", "Choose…"), ("validated", "Validate"), ("rejected", "Reject")],
        label="Decision",
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason",
        help_text="Required to reject: what is missing or wrong.",
    )
