"""Budget changes: the list of every change (filter, export), one change with its lines,
recording a change (Admin) and approving a year's budget (Admin)."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.decorators.http import require_safe
from django_tables2 import SingleTableView

from budgets.change_forms import BudgetChangeForm, line_formset
from budgets.change_tables import BudgetChangeFilter, BudgetChangeTable
from budgets.models import BudgetChange, PeriodTotal
from budgets.revisions import (
    APPROVE,
    RECORD,
    BudgetChangeConflictError,
    BudgetChangeError,
    approve_budget,
    latest_change_id,
    record_budget_change,
)
from budgets.services import PeriodLockedError
from budgets.views.entry import year_or_404
from common.exports import SafeExportMixin
from common.locking import StaleVersionError


class BudgetChangeListView(SafeExportMixin, SingleTableView):
    """Every recorded budget change: filter by year, kind, line, category; export."""

    table_class = BudgetChangeTable
    template_name = "budgets/changes.html"
    table_pagination = {"per_page": 25}
    export_name = "budget-changes"

    def get_queryset(self):
        changes = BudgetChange.objects.with_totals().select_related("made_by")
        self.filterset = BudgetChangeFilter(self.request.GET, queryset=changes)
        return self.filterset.qs

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            filter=self.filterset, export_query=self.request.GET.urlencode(), **kwargs
        )


@require_safe
def change_detail(request: HttpRequest, change_id: int) -> HttpResponse:
    """One change: kind, reason, who and when, and its lines."""
    change = get_object_or_404(
        BudgetChange.objects.with_totals().select_related("made_by"), pk=change_id
    )
    lines = change.lines.select_related("line", "year").order_by("year__start", "line__code")
    return render(request, "budgets/change.html", {"change": change, "lines": lines})


class NewBudgetChangeView(PermissionRequiredMixin, View):
    """Admin: record a revision, virement or carry-forward with its lines."""

    permission_required = RECORD
    raise_exception = True

    def get(self, request: HttpRequest) -> HttpResponse:
        form = BudgetChangeForm(initial={"seen_through": latest_change_id()})
        wanted = request.GET.get("lines", "")
        return self.show(form, line_formset(int(wanted) if wanted.isdigit() else 4)(prefix="lines"))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BudgetChangeForm(request.POST)
        lines = line_formset()(request.POST, prefix="lines")
        if not (form.is_valid() and lines.is_valid()):
            return self.show(form, lines)
        try:
            change = record_budget_change(
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                amounts=lines.amounts(),
                user=request.user,
                seen_through=form.cleaned_data["seen_through"],
            )
        except BudgetChangeError as error:
            for problem in error.problems:
                form.add_error(None, problem)
            return self.show(form, lines)
        except PeriodLockedError as error:
            form.add_error(None, str(error))
            return self.show(form, lines, status=409)
        except BudgetChangeConflictError as error:
            form.offer_again(latest_change_id())
            form.add_error(None, str(error))
            return self.show(form, lines, status=409)
        messages.success(request, f"Recorded {change}.")
        return redirect(change.get_absolute_url())

    def show(self, form, lines, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "lines": lines,
            "formset_errors": line_errors(lines),
            "more_lines": len(lines.forms) + 4,
        }
        return render(self.request, "budgets/change_form.html", context, status=status)


def line_errors(lines) -> list[dict]:
    """Each line's problems for the error summary, naming the line of the form and field."""
    found = [
        {"anchor": form[name].id_for_label, "message": f"Line {n}, {form[name].label}: {error}"}
        for n, form in enumerate(lines.forms, start=1)
        if lines.is_bound
        for name, errors in form.errors.items()
        for error in errors
    ]
    if lines.is_bound:
        found += [{"anchor": "", "message": error} for error in lines.non_form_errors()]
    return found


class ApproveBudgetView(PermissionRequiredMixin, View):
    """Admin: approve a year's budget, freezing its original budget."""

    permission_required = APPROVE
    raise_exception = True

    def get(self, request: HttpRequest, year: str) -> HttpResponse:
        return self.show(year_or_404(year)[0])

    def post(self, request: HttpRequest, year: str) -> HttpResponse:
        financial_year, _ = year_or_404(year)
        version = request.POST.get("version", "")
        try:
            approve_budget(
                year=financial_year,
                user=request.user,
                expected_version=int(version) if version.isdigit() else -1,
            )
        except StaleVersionError as error:
            return self.show(financial_year, problem=str(error), status=409)
        except ValueError as error:
            return self.show(financial_year, problem=str(error), status=409)
        messages.success(request, f"Approved the {financial_year.label} budget.")
        return redirect(f"/budgets/?year={financial_year.label}")

    def show(self, year, problem: str = "", status: int = 200) -> HttpResponse:
        totals = PeriodTotal.objects.for_year(year).totals(year.closed_through)
        context = {"year": year, "totals": totals, "problem": problem}
        return render(self.request, "budgets/approve.html", context, status=status)
