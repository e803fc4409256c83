"""Claims of realised savings: Finance or an Admin makes one with its evidence, another
Admin validates or rejects it, and its evidence file is served only as a download of the
kind its content was checked to be."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from common.money import format_money
from savings.claims import SavingsClaim
from savings.evidence import content_type
from savings.forms import ClaimForm, DecisionForm
from savings.models import InitiativeYear
from savings.services import decide_claim, make_claim
from savings.views.posting import _posted, _submit


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
