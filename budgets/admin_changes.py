"""Admin for budget changes: append-only, like contract changes. A change is added with its
lines in one form and written by `budgets.revisions.record_budget_change` (permission,
rules, closed periods, history); existing changes are shown, never edited or deleted.
(Imported by budgets/admin.py, so the admin site finds it.)"""

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from budgets.models import BudgetChange, BudgetChangeLine
from budgets.revisions import ChangeAmount, change_problems, record_budget_change
from common.admin import HistoryAdmin, LabelledTabularInline


class AddOnly:
    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class BudgetChangeLineFormSet(forms.BaseInlineFormSet):
    """The lines of a new change, checked against the change's rules (a virement nets to
    zero, a carry-forward moves into the next year, closed periods refused) before
    anything is written, so that a refusal comes back on the form."""

    def amounts(self) -> list[ChangeAmount]:
        return [
            ChangeAmount(
                f.cleaned_data["line"],
                f.cleaned_data["year"],
                f.cleaned_data["period"],
                f.cleaned_data["amount"],
            )
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        amounts = self.amounts()
        problems = change_problems(
            kind=self.instance.kind, reason=self.instance.reason or "", amounts=amounts
        )
        problems += [
            f"{a.where} is closed (closed through P{a.year.closed_through})."
            for a in amounts
            if a.year.is_locked(a.period)
        ]
        if problems:
            raise forms.ValidationError(problems)


class BudgetChangeLineInline(AddOnly, LabelledTabularInline):
    model = BudgetChangeLine
    formset = BudgetChangeLineFormSet
    fields = ("line", "year", "period", "amount")
    extra = 2
    min_num = 1


@admin.register(BudgetChange)
class BudgetChangeAdmin(AddOnly, HistoryAdmin):
    fields = ("kind", "reason")
    inlines = (BudgetChangeLineInline,)
    list_display = ("__str__", "kind", "made_by", "made_at")
    list_filter = ("kind",)
    list_select_related = ("made_by",)
    search_fields = ("reason", "lines__line__code")
    date_hierarchy = "made_at"

    def get_fields(self, request: HttpRequest, obj=None):
        return self.fields if obj is None else ("kind", "reason", "made_by", "made_at")

    def save_with_service(self, request: HttpRequest, obj, form, change: bool) -> None:
        """Nothing yet: the change is written with its lines in `save_related`."""

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        (lines,) = formsets
        recorded = record_budget_change(
            kind=form.instance.kind,
            reason=form.instance.reason,
            amounts=lines.amounts(),
            user=request.user,
        )
        form.instance.pk, form.instance.made_by = recorded.pk, recorded.made_by
        form.instance.made_at = recorded.made_at
        # For the admin's change message: the lines the service wrote.
        lines.new_objects = list(recorded.lines.all())
        lines.changed_objects, lines.deleted_objects = [], []
