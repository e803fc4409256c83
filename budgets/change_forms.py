"""The budget change form: kind and reason, and a formset of lines (line, year, period,
signed amount). It carries the newest change id it was opened at (`seen_through`), so a
change recorded meanwhile on the same figures is refused rather than silently stacked
(`budgets.revisions.record_budget_change`); on any refusal the typed values come back."""

from django import forms

from budgets.models import PERIODS, BudgetChange, BudgetLine, FinancialYear
from budgets.revisions import ChangeAmount
from common.forms import AmountField, ListSelect, choose_by_code, too_many_to_list


class BudgetChangeForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of change",
        choices=BudgetChange.Kind.choices,
        help_text="A revision changes the total; a virement moves budget between lines and "
        "nets to zero; a carry-forward moves budget from one year's line into the next year's.",
    )
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the budget changes and who agreed it; the committee reads it.",
    )
    seen_through = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def offer_again(self, seen_through: int) -> None:
        """After a conflict: keep the typed values, take the newest change as seen."""
        data = self.data.copy()
        data[self.add_prefix("seen_through")] = str(seen_through)
        self.data = data


class BudgetChangeLineForm(forms.Form):
    line = forms.ModelChoiceField(
        label="Budget line",
        queryset=BudgetLine.objects.order_by("code"),
        to_field_name="code",
        empty_label="Choose a line",
        widget=ListSelect,
    )
    year = forms.ModelChoiceField(
        label="Year",
        queryset=FinancialYear.objects.filter(budget_approved_at__isnull=False),
        to_field_name="label",
        empty_label="Choose a year",
    )
    # An empty first choice, so a line left blank is an unchanged (ignored) form.
    period = forms.TypedChoiceField(
        label="Period",
        choices=[("", "Choose a period"), *((p, f"P{p}") for p in PERIODS)],
        coerce=int,
    )
    amount = AmountField(
        label="Amount",
        allow_negative=True,
        help_text="Added to the budget; negative, e.g. (1,000.00), takes budget away.",
    )

    def __init__(self, *args, by_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].label_from_instance = lambda line: f"{line.code} {line.name}"
        if by_code:
            choose_by_code(self.fields["line"], noun="budget line")


class BaseLineFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Counted once for every form: beyond CODE_BOX_OVER lines, each takes a code.
        self.by_code = too_many_to_list(BudgetChangeLineForm.base_fields["line"].queryset)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "by_code": self.by_code}

    def amounts(self) -> list[ChangeAmount]:
        return [
            ChangeAmount(
                line=form.cleaned_data["line"],
                year=form.cleaned_data["year"],
                period=form.cleaned_data["period"],
                amount=form.cleaned_data["amount"],
            )
            for form in self.forms
            if form.cleaned_data
        ]


MAX_LINES = 40


def line_formset(extra: int = 4) -> type[BaseLineFormSet]:
    """The lines formset, offering `extra` empty lines (2 to MAX_LINES)."""
    return forms.formset_factory(
        BudgetChangeLineForm,
        formset=BaseLineFormSet,
        extra=min(max(extra, 2), MAX_LINES),
        max_num=MAX_LINES,
        validate_max=True,
    )
