"""The programme's targets and the years they fall in: an Admin sets a year's savings
target, or creates the year after the latest one with its lines, starting budget and
target."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from budgets.models import FinancialYear
from budgets.setting import (
    NEW_YEAR_PERMISSIONS,
    PhasingError,
    YearExistsError,
    describe_new_year,
    lines_to_carry,
)
from savings.forms import NewYearForm, TargetForm
from savings.models import ReductionProgramme, SavingsTarget
from savings.services import create_year, set_target
from savings.views.posting import _posted, _submit


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(
    ["savings.add_savingstarget", "savings.change_savingstarget"], raise_exception=True
)
def target_edit(request: HttpRequest, year: str) -> HttpResponse:
    """Admin sets the programme's savings target for a year."""
    fy = get_object_or_404(FinancialYear, label=year)
    programme = ReductionProgramme.objects.for_year(fy)
    if programme is None:
        raise Http404("No reduction programme to set targets for")
    current = programme.targets.filter(year=fy).first()
    target = current or SavingsTarget(programme=programme, year=fy)
    form = TargetForm(
        _posted(request),
        initial={"amount": target.amount, "source": target.source, "version": target.version}
        if current
        else {"version": 0},
    )
    saved, status = _submit(
        form,
        lambda data: set_target(
            target=target,
            amount=data["amount"],
            source=data["source"],
            user=request.user,
            expected_version=data["version"],
        ),
    )
    if saved is None:
        context = {"form": form, "year": fy, "programme": programme, "current": current}
        return render(request, "savings/target_form.html", context, status=status)
    messages.success(request, f"Saved the {fy} savings target.")
    return redirect("savings:index")


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(NEW_YEAR_PERMISSIONS, raise_exception=True)
def new_year(request: HttpRequest) -> HttpResponse:
    """Admin creates the year after the latest one: its lines, starting budget, target."""
    previous = FinancialYear.objects.order_by("-start").first()
    if previous is None:
        raise Http404("There is no financial year to start from.")
    offered = lines_to_carry(previous)
    current = ReductionProgramme.objects.for_year(previous)
    carried = current.targets.filter(year=previous).first() if current else None
    initial = (
        {"target": carried.amount, "target_source": f"Carried from {previous}"} if carried else {}
    )
    form = NewYearForm(_posted(request), offered=offered, initial=initial)
    label = FinancialYear.label_for(previous.start.year + 1)
    if form.is_bound and form.is_valid():
        try:
            year = create_year(
                previous=previous,
                lines=form.chosen_lines(),
                copy_budgets=form.cleaned_data["start_budget"] == NewYearForm.COPY_BUDGET,
                target=form.cleaned_data["target"],
                target_source=form.cleaned_data["target_source"],
                user=request.user,
            )
        except (YearExistsError, PhasingError, ValidationError) as error:
            form.add_error(
                None, error.messages if isinstance(error, ValidationError) else str(error)
            )
        else:
            messages.success(request, describe_new_year(year))
            return redirect("budgets:set_budget", year=year.label)
    context = {"form": form, "previous": previous, "label": label, "carried": carried}
    return render(request, "savings/new_year.html", context, status=200)
