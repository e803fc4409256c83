"""One initiative's page (its years, lines, confidence changes, history, claims and
assurance checks) and its edits: Finance records a year's realised saving and forecast; an
Admin adds or edits an initiative and moves its delivery confidence with a reason."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from common.history import differences
from savings.checks import assurance_checks
from savings.forms import ConfidenceForm, InitiativeForm, RecordSavingsForm
from savings.models import Initiative, InitiativeYear
from savings.services import change_confidence, record_savings, save_initiative
from savings.views.posting import _posted, _submit


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
