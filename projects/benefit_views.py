"""Benefit pages: every measure's planned-against-actual curve, the devices headline, the
officer time released as FTE and spend per officer; Finance records actuals, Admin sets
plans and officer numbers."""

from datetime import date

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_safe

from budgets.models import FinancialYear
from projects.charts import benefit_chart, spend_per_officer_chart
from projects.figures import (
    devices_headline,
    fte_assumption,
    measure_curve,
    measures_progress,
    spend_per_officer_by_year,
)
from projects.forms import BenefitActualForm, BenefitPlanForm, OfficerCountForm, parse_month
from projects.models import BenefitMeasure, BenefitValue, OfficerCount
from projects.services import record_benefit_actual, set_benefit_plan, set_officer_count
from projects.views import EDIT_METHODS, as_at_from, save_form


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    as_at = as_at_from(request)
    progress = measures_progress(as_at)
    spend_rows = spend_per_officer_by_year()
    return render(
        request,
        "projects/benefits.html",
        {
            "as_at": as_at,
            "progress": progress,
            "headline": devices_headline(as_at),
            "charts": [benefit_chart(p.measure, measure_curve(p.measure, as_at)) for p in progress],
            "fte_assumption": fte_assumption(),
            "spend_chart": spend_per_officer_chart(spend_rows),
            "officer_years": _officer_years(),
        },
    )


def _officer_years() -> list[dict]:
    counts = {c.year_id: c for c in OfficerCount.objects.all()}
    return [{"year": y, "count": counts.get(y.pk)} for y in FinancialYear.objects.order_by("start")]


@require_safe
def measure(request: HttpRequest, measure_code: str) -> HttpResponse:
    item = get_object_or_404(
        BenefitMeasure.objects.select_related("project", "initiative"), code=measure_code
    )
    month = parse_month(request.GET.get("month", ""))
    if month is not None:  # "record another month" asks for its page
        return redirect("benefits:record", item.code, f"{month:%Y-%m}")
    rows = measure_curve(item)
    plan_changes = (
        BenefitValue.history.filter(measure_id=item.pk)
        .exclude(history_change_reason=None)
        .select_related("history_user")
        .order_by("-history_date")
    )
    return render(
        request,
        "projects/measure.html",
        {
            "measure": item,
            "rows": rows,
            "chart": benefit_chart(item, rows),
            "fte_assumption": fte_assumption(),
            "plan_changes": plan_changes,
            "can_record": request.user.has_perm("projects.change_benefitvalue"),
            "can_plan": request.user.has_perm("projects.change_benefitmeasure"),
        },
    )


def _month_of(item: BenefitMeasure, text: str) -> tuple[date, BenefitValue | None]:
    month = parse_month(text)
    if month is None:
        raise Http404(f"No month {text}")
    return month, BenefitValue.objects.filter(measure=item, month=month).first()


@require_http_methods(EDIT_METHODS)
@permission_required(
    ["projects.add_benefitvalue", "projects.change_benefitvalue"], raise_exception=True
)
def record(request: HttpRequest, measure_code: str, month: str) -> HttpResponse:
    """Finance records a measure's actual level at the end of one month."""
    item = get_object_or_404(BenefitMeasure, code=measure_code)
    day, row = _month_of(item, month)
    initial = (
        {"actual": row.actual, "note": row.note, "version": row.version} if row else {"version": 0}
    )
    form = BenefitActualForm(request.POST if request.method == "POST" else None, initial=initial)
    return save_form(
        request,
        form,
        lambda data: record_benefit_actual(
            measure=item,
            month=day,
            actual=data["actual"],
            note=data["note"],
            version=data["version"],
            user=request.user,
        ),
        "projects/benefit_form.html",
        {"measure": item, "month": day, "row": row, "kind": "actual"},
        lambda saved: (
            f"Saved the {item.name.lower()} actual for {date_format(day, 'M Y')}.",
            item.get_absolute_url(),
        ),
    )


@require_http_methods(EDIT_METHODS)
@permission_required("projects.change_benefitmeasure", raise_exception=True)
def plan(request: HttpRequest, measure_code: str, month: str) -> HttpResponse:
    """Admin sets or revises a measure's planned level for one month."""
    item = get_object_or_404(BenefitMeasure, code=measure_code)
    day, row = _month_of(item, month)
    initial = {"planned": row.planned, "version": row.version} if row else {"version": 0}
    form = BenefitPlanForm(request.POST if request.method == "POST" else None, initial=initial)
    return save_form(
        request,
        form,
        lambda data: set_benefit_plan(
            measure=item,
            month=day,
            planned=data["planned"],
            reason=data["reason"],
            version=data["version"],
            user=request.user,
        ),
        "projects/benefit_form.html",
        {"measure": item, "month": day, "row": row, "kind": "plan"},
        lambda saved: (
            f"Saved the {item.name.lower()} plan for {date_format(day, 'M Y')}.",
            item.get_absolute_url(),
        ),
    )


@require_http_methods(EDIT_METHODS)
@permission_required(
    ["projects.add_officercount", "projects.change_officercount"], raise_exception=True
)
def officers(request: HttpRequest, year: str) -> HttpResponse:
    """Admin records the number of police officers in a financial year."""
    fy = get_object_or_404(FinancialYear, label=year)
    current = OfficerCount.objects.filter(year=fy).first()
    initial = (
        {"officers": current.officers, "source": current.source, "version": current.version}
        if current
        else {"version": 0}
    )
    form = OfficerCountForm(request.POST if request.method == "POST" else None, initial=initial)
    return save_form(
        request,
        form,
        lambda data: set_officer_count(
            year=fy,
            officers=data["officers"],
            source=data["source"],
            version=data["version"],
            user=request.user,
        ),
        "projects/officers_form.html",
        {"year": fy, "current": current},
        lambda saved: (
            f"Saved the officer numbers for {fy}.",
            reverse("benefits:index") + "#officers-title",
        ),
    )
