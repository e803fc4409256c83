"""Import pages: upload -> preview -> confirm or cancel; problems as CSV; templates; batches.

The uploaded file waits for its confirmation in a `PendingImport` row of its owner (see
`budgets.importing.pending`); confirming reads it again, validates it again and applies it
only if no figure it touches changed since the preview.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.decorators.http import require_GET
from django_tables2 import SingleTableView

from budgets.forms import ConfirmImportForm, UploadForm
from budgets.importing import (
    FIGURE_COLUMNS,
    IMPORT_PERMISSIONS,
    AlreadyImportedError,
    ImportPlan,
    ImportRefused,
    StaleImportError,
    apply_import,
    describe_batch,
    describe_notes_needed,
    parse_file,
    validate,
)
from budgets.importing.budget_rows import SET_BUDGET
from budgets.importing.pending import discard_pending, keep_pending, pending_problems, take_pending
from budgets.importing.template import template_rows, template_workbook
from budgets.models import PERIODS, FinancialYear, ImportBatch, MonthlyFigure
from budgets.reporting import reporting_for
from budgets.services import PeriodLockedError
from budgets.tables import BatchFigureTable, ImportBatchTable
from common.exports import SafeExportMixin, csv_response

ERRORS_ON_PAGE = 100
CHANGES_ON_PAGE = 1000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportPermissionMixin(PermissionRequiredMixin):
    permission_required = IMPORT_PERMISSIONS
    raise_exception = True


def _upload_page(request: HttpRequest, form: UploadForm, **extra) -> HttpResponse:
    reporting = reporting_for(request)
    context = {
        "form": form,
        "years": reporting.years,
        "template_year": reporting.year,
        "template_period": _chosen_period(request, reporting.year),
        "periods": PERIODS,
        "max_megabytes": settings.IMPORT_MAX_UPLOAD_BYTES / (1024 * 1024),
        **extra,
    }
    return render(request, "budgets/import.html", context)


def _problems_page(request: HttpRequest, form: UploadForm, plan: ImportPlan) -> HttpResponse:
    """The upload page listing the file's problems; all of them wait for the CSV link."""
    keep_pending(user=request.user, plan=plan)
    return _upload_page(
        request,
        form,
        filename=plan.parsed.filename,
        problems=plan.errors[:ERRORS_ON_PAGE],
        problem_count=len(plan.errors),
    )


class ImportView(ImportPermissionMixin, View):
    """Finance uploads a file; the answer is its problems, or a preview to confirm."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return _upload_page(request, UploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return _upload_page(request, form)
        upload = form.cleaned_data["file"]
        data = upload.read()
        plan = validate(parse_file(upload.name, data))
        if plan.errors:
            return _problems_page(request, form, plan)
        previous = ImportBatch.objects.filter(sha256=plan.parsed.sha256).first()
        if previous is not None:
            form.add_error("file", str(AlreadyImportedError(previous)))
            return _upload_page(request, form)
        if plan.gives_budgets and not request.user.has_perm(SET_BUDGET):
            form.add_error("file", "The file sets budgets: only administrators import budgets.")
            return _upload_page(request, form)
        pending = keep_pending(user=request.user, plan=plan, data=data)
        needed = plan.notes_needed
        context = {
            "plan": plan,
            "confirm_form": ConfirmImportForm(
                initial={"pending": pending.pk, "sha256": pending.sha256}
            ),
            "changes": plan.changes[:CHANGES_ON_PAGE],
            "notes_needed": needed[:ERRORS_ON_PAGE],
            "notes_needed_count": len(needed),
            "note_percent": settings.VARIANCE_NOTE_PERCENT,
            "note_amount": settings.VARIANCE_NOTE_AMOUNT,
        }
        return render(request, "budgets/import_preview.html", context)


class ConfirmImportView(ImportPermissionMixin, View):
    """Apply the person's waiting file, if it is still valid and nothing it touches has
    changed since the preview."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ConfirmImportForm(request.POST)
        try:
            if not form.is_valid():
                raise ImportRefused("There is no import waiting for confirmation: upload the file.")
            pending = take_pending(user=request.user, **_ids(form))
            plan = validate(parse_file(pending.filename, bytes(pending.data)))
            if plan.errors:
                return _problems_page(request, UploadForm(), plan)
            if stale := plan.stale(pending.versions):
                raise StaleImportError(stale)
            batch = apply_import(
                plan=plan, user=request.user, filename=pending.filename, sha256=pending.sha256
            )
        except (ImportRefused, PeriodLockedError) as error:
            discard_pending(user=request.user)
            messages.error(request, str(error))
            return redirect("budgets:import")
        discard_pending(user=request.user)
        messages.success(request, describe_batch(batch))
        if warning := describe_notes_needed(plan):
            messages.warning(request, warning)
        return redirect("budgets:import_batch", batch_id=batch.pk)


def _ids(form: ConfirmImportForm) -> dict:
    return {"pending_id": form.cleaned_data["pending"], "sha256": form.cleaned_data["sha256"]}


class CancelImportView(ImportPermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        discard_pending(user=request.user)
        messages.info(request, "Import cancelled: nothing was changed.")
        return redirect("budgets:import")


class ImportProblemsView(ImportPermissionMixin, View):
    """Every problem of the last file uploaded, as CSV (the page shows the first 100)."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        problems = pending_problems(user=request.user)
        if problems is None:
            raise Http404("No problems are waiting: upload a file first.")
        return csv_response(
            "import-problems.csv",
            ["row", "column", "problem", "message"],
            [(p.row or "", p.column, p.reason, str(p)) for p in problems],
        )


# --- templates (readable by every role: they hold only line codes) ------------------------


def _template(request: HttpRequest) -> tuple[str, list[list[str]]]:
    year = reporting_for(request).year
    if year is None:
        raise Http404("There is no financial year yet.")
    period = _chosen_period(request, year)
    if period not in PERIODS:
        raise Http404("A period is 1 to 12.")
    return f"import-template-{year.label}-P{period}", template_rows(year, period)


def _chosen_period(request: HttpRequest, year: FinancialYear | None) -> int:
    """`?period=4` or `?period=P4`, else the first open period of `year`."""
    period_text = request.GET.get("period", "").upper().removeprefix("P")
    if period_text.isdigit():
        return int(period_text)
    return min((year.closed_through if year else 0) + 1, 12)


@require_GET
def template_csv(request: HttpRequest) -> HttpResponse:
    name, rows = _template(request)
    return csv_response(f"{name}.csv", FIGURE_COLUMNS, rows)


@require_GET
def template_xlsx(request: HttpRequest) -> HttpResponse:
    name, rows = _template(request)
    response = HttpResponse(template_workbook(rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# --- batches -----------------------------------------------------------------------------


class ImportBatchListView(SafeExportMixin, SingleTableView):
    """Every applied import: who, when, which file, how many rows and figures, its total."""

    table_class = ImportBatchTable
    template_name = "budgets/import_batches.html"
    table_pagination = {"per_page": 25}
    export_name = "import-batches"

    def get_queryset(self):
        return ImportBatch.objects.select_related("uploaded_by")


class ImportBatchDetailView(SafeExportMixin, SingleTableView):
    """One batch and the figures it wrote, as its history rows record them."""

    table_class = BatchFigureTable
    template_name = "budgets/import_batch.html"
    table_pagination = {"per_page": 100}

    def get_queryset(self):
        self.batch = get_object_or_404(
            ImportBatch.objects.select_related("uploaded_by"), pk=self.kwargs["batch_id"]
        )
        self.export_name = f"import-batch-{self.batch.pk}"
        history = MonthlyFigure.history
        before = history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        return (
            history.filter(import_batch_id=self.batch.pk)
            .select_related("line", "year")
            .annotate(actual_before=Subquery(before.order_by("-history_id").values("actual")[:1]))
            .order_by("year__start", "line__code", "period")
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "batch": self.batch}
