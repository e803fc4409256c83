"""The committee pack of a published report (HTML and PDF) and Finance's commentary on it.

Everyone reads the pack; only Finance (and Admin) writes its commentary, checked here and
again in `reports.commentary.save_commentary`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_safe

from common.locking import StaleVersionError
from reports.commentary import WRITE_COMMENTARY, CommentaryForm, save_commentary
from reports.models import Commentary, PublishedReport
from reports.pack import build_pack
from reports.pdf import pack_pdf

READ_REPORTS = "reports.view_publishedreport"


def _report(pk: int) -> PublishedReport:
    reports = PublishedReport.objects.select_related("year", "published_by")
    return get_object_or_404(reports, pk=pk)


@require_safe
@permission_required(READ_REPORTS, raise_exception=True)
def pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The pack as a page, ready to print (A4) or to download as a PDF."""
    context = {
        "pack": build_pack(_report(pk)),
        "can_comment": request.user.has_perms(WRITE_COMMENTARY),
    }
    return render(request, "reports/pack.html", context)


@require_safe
@permission_required(READ_REPORTS, raise_exception=True)
def pack_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The pack as a PDF made on the server (reports.pdf)."""
    built = build_pack(_report(pk))
    response = HttpResponse(pack_pdf(built), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(WRITE_COMMENTARY, raise_exception=True)
def commentary(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """Finance writes the commentary on one section of the pack."""
    report = _report(pk)
    if section not in Commentary.Section.values:
        raise Http404(f"No section {section}")
    stored = report.commentary.filter(section=section).first()
    current = stored or Commentary(report=report, section=section)
    posted = request.POST if request.method == "POST" else None
    form = CommentaryForm(posted, commentary=current)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            save_commentary(
                report=report,
                section=section,
                text=form.cleaned_data["text"],
                user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError as error:
            form.offer_again(error)
            status = 409
        else:
            messages.success(request, f"Saved the commentary on {current.get_section_display()}.")
            return redirect(reverse("reports:pack", args=[report.pk]) + f"#commentary-{section}")
    context = {"form": form, "report": report, "commentary": current}
    return render(request, "reports/commentary_form.html", context, status=status)


# In the `reports:` namespace, under /reports/ (reports/urls.py adds them to its report URLs).
pack_urlpatterns = [
    path("<int:pk>/pack/", pack, name="pack"),
    path("<int:pk>/pack.pdf", pack_download, name="pack_pdf"),
    path("<int:pk>/pack/commentary/<str:section>/", commentary, name="pack_commentary"),
]
