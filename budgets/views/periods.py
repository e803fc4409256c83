"""Reopening periods (Admin), from the period page. Periods close from the pre-close
checklist, which publishes the period's report as it closes (`reports`)."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views import View

from budgets.forms import ReopenPeriodForm
from budgets.models import PERIODS
from budgets.services import reopen_period
from budgets.views.entry import CLOSE_PERIODS, year_or_404


class ReopenPeriodView(PermissionRequiredMixin, View):
    """Admin: reopen a period (and every later one) with a reason kept in history."""

    permission_required = CLOSE_PERIODS
    raise_exception = True
    http_method_names = ["post"]

    def post(self, request: HttpRequest, year: str) -> HttpResponse:
        financial_year, _ = year_or_404(year)
        form = ReopenPeriodForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"Not reopened. {form.problems()}")
            period = request.POST.get("period", "")
            n = int(period) if period.isdigit() and int(period) in PERIODS else 1
            return redirect("budgets:period", year=financial_year.label, n=n)
        period = form.cleaned_data["period"]
        try:
            reopen_period(
                year=financial_year,
                period=period,
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Reopened {financial_year.label} from P{period}.")
        return redirect("budgets:period", year=financial_year.label, n=period)
