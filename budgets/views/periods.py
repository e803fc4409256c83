"""Closing and reopening periods (Admin), from the period page."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views import View

from budgets.forms import ClosePeriodForm, ReopenPeriodForm
from budgets.models import PERIODS
from budgets.services import close_period, reopen_period
from budgets.views.entry import CLOSE_PERIODS, year_or_404


class ClosePeriodView(PermissionRequiredMixin, View):
    """Admin: close periods up to one; warns which lines had no actual."""

    permission_required = CLOSE_PERIODS
    raise_exception = True
    http_method_names = ["post"]

    def post(self, request: HttpRequest, year: str) -> HttpResponse:
        financial_year, _ = year_or_404(year)
        form = ClosePeriodForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a period from P1 to P12 to close.")
            return redirect("budgets:index")
        through = form.cleaned_data["through"]
        try:
            missing = close_period(year=financial_year, through=through, user=request.user)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{financial_year.label} is closed through P{through}.")
            if missing:
                messages.warning(
                    request,
                    f"{len(missing)} lines had no actual in a period just closed: "
                    + ", ".join(missing),
                )
        return redirect("budgets:period", year=financial_year.label, n=through)


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
