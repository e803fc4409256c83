from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from budgets.models import FinancialYear
from budgets.reporting import reporting_for
from budgets.setting import (
    NEW_YEAR_PERMISSIONS,
    PhasingError,
    YearExistsError,
    describe_new_year,
    lines_to_carry,
)
from common.charts import Chart, link_csv
from common.exports import SafeExportMixin, csv_response
from common.history import differences
from common.locking import StaleVersionError
from common.money import format_money
from common.tables import several_pages_ids
from savings.charts import savings_charts
from savings.checks import assurance_checks
from savings.claims import SavingsClaim
from savings.evidence import content_type
from savings.filters import InitiativeFilter
from savings.forms import (
    ClaimForm,
    ConfidenceForm,
    DecisionForm,
    InitiativeForm,
    NewYearForm,
    RecordSavingsForm,
    TargetForm,
)
from savings.models import Initiative, InitiativeYear, ReductionProgramme, SavingsTarget
from savings.services import (
    change_confidence,
    create_year,
    decide_claim,
    make_claim,
    record_savings,
    save_initiative,
    set_target,
)
from savings.tables import InitiativeTable

T = TypeVar("T")


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _submit(form: forms.BaseForm, save: Callable[[dict], T]) -> tuple[T | None, int]:
    """Save a posted, valid form with `save(cleaned_data)`: (what it saved, 200). Someone
    else's save since the form was opened gives (None, 409) and the form offers the
    person's values again beside theirs; a service's refusal gives (None, 200) with the
    reason on the field it names, else above the form."""
    if not form.is_bound or not form.is_valid():
        return None, 200
    try:
        return save(form.cleaned_data), 200
    except StaleVersionError as error:
        form.offer_again(error)
        return None, 409
    except ValidationError as error:
        form.add_error(None, error)
        return None, 200


class SavingsIndexView(SafeExportMixin, SingleTableMixin, FilterView):
    """Targets, the pipeline and the gap per year; the initiatives of one year, filtered."""

    template_name = "savings/index.html"
    table_class = InitiativeTable
    filterset_class = InitiativeFilter

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.reporting = reporting_for(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        queryset = Initiative.objects.select_related("contract")
        if self.reporting.year is None:
            return queryset.none()
        return queryset.with_year(self.reporting.year)

    def get_table_kwargs(self) -> dict:
        return {"totals": self.object_list.year_totals()}

    @property
    def export_name(self) -> str:
        return f"initiatives-{self.reporting.year or 'none'}"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        table = context["table"]
        if (on_page := several_pages_ids(table)) is not None:
            table.page_totals = self.object_list.filter(pk__in=on_page).year_totals()
        programme = ReductionProgramme.objects.for_year(self.reporting.year)
        rows = InitiativeYear.objects.pipeline(programme)
        # Headlines for the selected year, or else the latest year with a target.
        year_id = self.reporting.year.pk if self.reporting.year else None
        selected = [row for row in rows if row["year_id"] == year_id]
        targeted = [row for row in selected or rows if row["target"] is not None]
        context.update(
            programme=programme,
            reporting=self.reporting,
            pipeline=rows,
            latest=targeted[-1] if targeted else None,
            cumulative=(selected or rows or [None])[-1],
            totals=context["table"].totals,
            charts=_charts(rows, self.reporting.year),
            years=self.reporting.years,
        )
        return context


def _charts(rows: list[dict], year: FinancialYear | None) -> list[Chart]:
    if year is None:
        return []
    charts = savings_charts(rows, year_label=year.label)
    link_csv(charts, "savings:chart_csv", {"year": year.label})
    return charts


@require_safe
def chart_csv(request: HttpRequest, chart: str) -> HttpResponse:
    """One savings chart's table as CSV, for the page's year."""
    year = reporting_for(request).year
    rows = InitiativeYear.objects.pipeline(ReductionProgramme.objects.for_year(year))
    found = next((c for c in _charts(rows, year) if c.id == chart), None)
    if found is None:
        raise Http404(f"No savings chart {chart}")
    return csv_response(f"savings-{chart}-{year.label}.csv", found.columns, found.rows)


@require_safe
def initiative(request: HttpRequest, initiative_code: str) -> HttpResponse:
    item = get_object_or_404(
        Initiative.objects.select_related("contract__supplier"), code=initiative_code
    )
    history = list(item.history.select_related("history_user").order_by("history_date"))
    confidence = str(Initiative._meta.get_field("confidence").verbose_name)
    confidence_changes = [
        {"record": record, "previous": previous}
        for previous, record in zip([None, *history], history, strict=False)
        if previous is None
        or any(field == confidence for field, *_ in differences(previous, record))
    ]
    return render(
        request,
        "savings/initiative.html",
        {
            "initiative": item,
            "years": item.years.select_related("year"),
            "lines": item.lines.select_related("category"),
            "confidence_changes": confidence_changes[::-1],
            "history": history[::-1],
            "can_record": request.user.has_perm("savings.change_initiativeyear"),
            "can_edit": request.user.has_perm("savings.change_initiative"),
            "claims": item.claims.select_related("year", "line", "made_by", "decided_by"),
            "can_claim": request.user.has_perm("savings.add_savingsclaim"),
            "can_validate": request.user.has_perm("savings.validate_savingsclaim"),
            "checks": [c for c in assurance_checks(initiative=item) if c["rows"]],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("savings.change_initiativeyear", raise_exception=True)
def record(request: HttpRequest, initiative_code: str, year: str) -> HttpResponse:
    """Finance records the realised saving and latest forecast of one initiative-year."""
    row = get_object_or_404(
        InitiativeYear.objects.select_related("initiative", "year"),
        initiative__code=initiative_code,
        year__label=year,
    )
    form = RecordSavingsForm(_posted(request), initiative_year=row)
    saved, status = _submit(
        form,
        lambda data: record_savings(
            initiative_year=row,
            forecast=data["forecast"],
            note=data["note"],
            user=request.user,
            expected_version=data["version"],
        ),
    )
    if saved is None:
        return render(
            request, "savings/record_form.html", {"form": form, "row": row}, status=status
        )
    messages.success(request, f"Saved {saved.initiative.code} savings for {saved.year}.")
    return redirect(saved.initiative)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("savings.add_savingsclaim", raise_exception=True)
def claim_new(request: HttpRequest, initiative_code: str, year: str) -> HttpResponse:
    """Finance or an Admin claims a realised saving, with its evidence."""
    row = get_object_or_404(
        InitiativeYear.objects.select_related("initiative", "year"),
        initiative__code=initiative_code,
        year__label=year,
    )
    posted = request.method == "POST"
    form = ClaimForm(
        request.POST if posted else None, request.FILES if posted else None, initiative_year=row
    )
    saved, status = _submit(
        form,
        lambda data: make_claim(
            initiative_year=row,
            amount=data["amount"],
            period=data["period"],
            line=data["line"],
            note=data["note"],
            evidence=data["evidence"],
            evidence_link=data["evidence_link"],
            user=request.user,
        ),
    )
    if saved is None:
        return render(request, "savings/claim_form.html", {"form": form, "row": row}, status=status)
    messages.success(
        request,
        f"Claimed {format_money(saved.amount)} for {saved.initiative.code} {saved.year}: it "
        "counts as realised once another administrator validates it.",
    )
    return redirect(saved.initiative)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("savings.validate_savingsclaim", raise_exception=True)
def claim_decide(request: HttpRequest, claim_id: int) -> HttpResponse:
    """An Admin who did not make the claim validates it or rejects it with a reason."""
    claim = get_object_or_404(
        SavingsClaim.objects.select_related("initiative", "year", "line", "made_by"), pk=claim_id
    )
    form = DecisionForm(_posted(request), initial={"version": claim.version})
    saved, status = _submit(
        form,
        lambda data: decide_claim(
            claim=claim,
            decision=data["decision"],
            reason=data["reason"],
            user=request.user,
            expected_version=data["version"],
        ),
    )
    if saved is None:
        own = claim.made_by_id == request.user.pk
        context = {"form": form, "claim": claim, "own": own}
        return render(request, "savings/claim_decide.html", context, status=status)
    messages.success(request, f"Claim {saved.pk} {saved.get_status_display().lower()}.")
    return redirect(saved.initiative)


@require_safe
@permission_required("savings.view_savingsclaim", raise_exception=True)
def claim_evidence(request: HttpRequest, claim_id: int) -> FileResponse:
    """A claim's evidence file, to signed-in users only, always as a download with the
    content type of the kind its content was checked to be (never as a page)."""
    claim = get_object_or_404(SavingsClaim, pk=claim_id)
    if not claim.evidence or not default_storage.exists(claim.evidence.name):
        raise Http404("This claim has no evidence file")
    response = FileResponse(
        default_storage.open(claim.evidence.name, "rb"),
        as_attachment=True,
        filename=claim.evidence_name or claim.evidence.name.rsplit("/", 1)[-1],
        content_type=content_type(claim.evidence_kind),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _edit_initiative(request: HttpRequest, item: Initiative) -> HttpResponse:
    saved_code = item.code if item.pk else ""  # the form writes typed values onto item
    form = InitiativeForm(_posted(request), instance=item)
    saved, status = _submit(
        form,
        lambda data: save_initiative(
            initiative=form.save(commit=False),
            lines=data["lines"],
            planned=form.planned_by_year(),
            reason=data["change_reason"],
            user=request.user,
            expected_version=data["version"],
        ),
    )
    if saved is None:
        context = {"form": form, "saved_code": saved_code}
        return render(request, "savings/initiative_form.html", context, status=status)
    messages.success(request, f"Saved initiative {saved.code}.")
    return redirect(saved)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(["savings.add_initiative", "savings.add_initiativeyear"], raise_exception=True)
def initiative_new(request: HttpRequest) -> HttpResponse:
    return _edit_initiative(request, Initiative())


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(
    ["savings.change_initiative", "savings.add_initiativeyear", "savings.change_initiativeyear"],
    raise_exception=True,
)
def initiative_edit(request: HttpRequest, initiative_code: str) -> HttpResponse:
    return _edit_initiative(request, get_object_or_404(Initiative, code=initiative_code))


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("savings.change_initiative", raise_exception=True)
def confidence_edit(request: HttpRequest, initiative_code: str) -> HttpResponse:
    """Admin moves an initiative's delivery confidence, with a reason."""
    item = get_object_or_404(Initiative, code=initiative_code)
    form = ConfidenceForm(
        _posted(request), initial={"confidence": item.confidence, "version": item.version}
    )
    saved, status = _submit(
        form,
        lambda data: change_confidence(
            initiative=item,
            confidence=data["confidence"],
            reason=data["change_reason"],
            user=request.user,
            expected_version=data["version"],
        ),
    )
    if saved is None:
        context = {"form": form, "initiative": item}
        return render(request, "savings/confidence_form.html", context, status=status)
    messages.success(request, f"Saved the delivery confidence of {saved.code}.")
    return redirect(saved)


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
