"""Import pages: upload -> preview -> confirm or cancel; problems as CSV; templates; batches.

Between the preview and the confirmation the uploaded file waits on the server, in a
record of the database session store of its own (only its key is in the person's
session, so the file is not loaded on every request). Confirming reads the file again,
validates it again and applies it only if no figure it touches changed since the preview.
"""

import base64
import io

import django_tables2 as tables
import openpyxl
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.sessions.backends.db import SessionStore as ServerStore
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views import View
from django.views.decorators.http import require_GET
from django_tables2 import SingleTableView

from budgets.importer import (
    FIGURE_COLUMNS,
    IMPORT_PERMISSIONS,
    AlreadyImportedError,
    ImportPlan,
    ImportProblem,
    ImportRefused,
    StaleImportError,
    apply_import,
    describe_batch,
    describe_notes_needed,
    parse_file,
    validate,
)
from budgets.models import PERIODS, BudgetLine, ImportBatch, MonthlyFigure
from budgets.reporting import reporting_for
from budgets.services import PeriodLockedError
from common.exports import SafeExportMixin, csv_response
from common.tables import MoneyColumn

PENDING = "budgets_import_pending"  # the person's session holds the key of the waiting record
PENDING_SECONDS = 60 * 60
ERRORS_ON_PAGE = 100
CHANGES_ON_PAGE = 1000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the waiting file ----------------------------------------------------------------------


def _load_pending(request: HttpRequest) -> dict | None:
    key = request.session.get(PENDING)
    if not key:
        return None
    store = ServerStore(session_key=key)
    if not store.exists(key) or store.get("user") != request.user.pk:
        return None
    return dict(store.items())


def _discard_pending(request: HttpRequest) -> None:
    key = request.session.pop(PENDING, None)
    if key:
        ServerStore(session_key=key).delete()


def _keep_pending(request: HttpRequest, **payload) -> None:
    _discard_pending(request)
    store = ServerStore()
    store.update({"user": request.user.pk, **payload})
    store.set_expiry(PENDING_SECONDS)
    store.save()
    request.session[PENDING] = store.session_key


# --- upload, preview, confirm, cancel ------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text="A .csv or .xlsx file of figure rows or ledger rows (see the formats below).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {limit:,} bytes."
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Choose a .csv or .xlsx file.")
        return upload


class ImportPermissionMixin(PermissionRequiredMixin):
    permission_required = IMPORT_PERMISSIONS
    raise_exception = True


def _problems_page(request: HttpRequest, form: UploadForm, plan: ImportPlan) -> HttpResponse:
    """The upload page listing the file's problems; all of them wait for the CSV link."""
    _keep_pending(
        request,
        filename=plan.parsed.filename,
        errors=[[p.row, p.column, p.reason] for p in plan.errors],
    )
    context = {
        "form": form,
        "filename": plan.parsed.filename,
        "problems": plan.errors[:ERRORS_ON_PAGE],
        "problem_count": len(plan.errors),
    }
    return render(request, "budgets/import.html", _upload_context(request, context))


def _upload_context(request: HttpRequest, extra: dict) -> dict:
    reporting = reporting_for(request)
    return {
        "years": reporting.years,
        "template_year": reporting.year,
        "template_period": _chosen_period(request, reporting.year),
        "periods": PERIODS,
        "max_megabytes": settings.IMPORT_MAX_UPLOAD_BYTES / (1024 * 1024),
        **extra,
    }


class ImportView(ImportPermissionMixin, View):
    """Finance uploads a file; the answer is its problems, or a preview to confirm."""

    def get(self, request: HttpRequest) -> HttpResponse:
        context = _upload_context(request, {"form": UploadForm()})
        return render(request, "budgets/import.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, "budgets/import.html", _upload_context(request, {"form": form}))
        upload = form.cleaned_data["file"]
        data = upload.read()
        plan = validate(parse_file(upload.name, data))
        if plan.errors:
            return _problems_page(request, form, plan)
        previous = ImportBatch.objects.filter(sha256=plan.parsed.sha256).first()
        if previous is not None:
            form.add_error("file", str(AlreadyImportedError(previous)))
            return render(request, "budgets/import.html", _upload_context(request, {"form": form}))
        _keep_pending(
            request,
            filename=upload.name,
            sha256=plan.parsed.sha256,
            data=base64.b64encode(data).decode("ascii"),
            versions=plan.versions,
        )
        needed = plan.notes_needed
        return render(
            request,
            "budgets/import_preview.html",
            {
                "plan": plan,
                "changes": plan.changes[:CHANGES_ON_PAGE],
                "shown": CHANGES_ON_PAGE,
                "notes_needed": needed[:ERRORS_ON_PAGE],
                "notes_needed_count": len(needed),
                "note_percent": settings.VARIANCE_NOTE_PERCENT,
                "note_amount": settings.VARIANCE_NOTE_AMOUNT,
            },
        )


class ConfirmImportView(ImportPermissionMixin, View):
    """Apply the waiting file, if it is still valid and nothing it touches has changed."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        pending = _load_pending(request)
        if not pending or "data" not in pending or pending["sha256"] != request.POST.get("sha256"):
            messages.error(
                request,
                "There is no import waiting for confirmation (it may have expired or been "
                "replaced by another upload). Upload the file again.",
            )
            return redirect("budgets:import")
        parsed = parse_file(pending["filename"], base64.b64decode(pending["data"]))
        plan = validate(parsed)
        if plan.errors:
            return _problems_page(request, UploadForm(), plan)
        try:
            stale = plan.stale(pending["versions"])
            if stale:
                raise StaleImportError(stale)
            batch = apply_import(
                plan=plan, user=request.user, filename=parsed.filename, sha256=parsed.sha256
            )
        except (ImportRefused, PeriodLockedError) as error:
            _discard_pending(request)
            messages.error(request, str(error))
            return redirect("budgets:import")
        _discard_pending(request)
        messages.success(request, describe_batch(batch))
        if warning := describe_notes_needed(plan):
            messages.warning(request, warning)
        return redirect("budgets:import_batch", batch_id=batch.pk)


class CancelImportView(ImportPermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        _discard_pending(request)
        messages.info(request, "Import cancelled: nothing was changed.")
        return redirect("budgets:import")


class ImportProblemsView(ImportPermissionMixin, View):
    """Every problem of the last file uploaded, as CSV (the page shows the first 100)."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        pending = _load_pending(request)
        if not pending or "errors" not in pending:
            raise Http404("No problems are waiting: upload a file first.")
        problems = [ImportProblem(*problem) for problem in pending["errors"]]
        return csv_response(
            "import-problems.csv",
            ["row", "column", "problem", "message"],
            [(p.row or "", p.column, p.reason, str(p)) for p in problems],
        )


# --- templates (readable by every role: they hold only line codes) ------------------------


def _template_rows(request: HttpRequest) -> tuple[str, list[list]]:
    reporting = reporting_for(request)
    year = reporting.year
    if year is None:
        raise Http404("There is no financial year yet.")
    period = _chosen_period(request, year)
    if period not in PERIODS:
        raise Http404("A period is 1 to 12.")
    codes = BudgetLine.objects.active().order_by("code").values_list("code", flat=True)
    rows = [[code, year.label, f"P{period}", "", "", ""] for code in codes]
    return f"import-template-{year.label}-P{period}", rows


def _chosen_period(request: HttpRequest, year) -> int:
    """`?period=4` or `?period=P4`, else the first open period of `year`."""
    period_text = request.GET.get("period", "").upper().removeprefix("P")
    return int(period_text) if period_text.isdigit() else _default_period(year)


def _default_period(year) -> int:
    return min((year.closed_through if year else 0) + 1, 12)


@require_GET
def template_csv(request: HttpRequest) -> HttpResponse:
    name, rows = _template_rows(request)
    return csv_response(f"{name}.csv", FIGURE_COLUMNS, rows)


@require_GET
def template_xlsx(request: HttpRequest) -> HttpResponse:
    name, rows = _template_rows(request)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Figures"
    sheet.append(list(FIGURE_COLUMNS))
    for row in rows:
        sheet.append(row)
    for column, width in zip("ABCDEF", (16, 10, 8, 16, 16, 40), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# --- batches -----------------------------------------------------------------------------


class ImportBatchTable(tables.Table):
    applied_at = tables.DateTimeColumn(verbose_name="Applied", format="j M Y, H:i")
    uploaded_by = tables.Column(verbose_name="By", accessor="uploaded_by__username")
    filename = tables.Column(verbose_name="File")
    file_format = tables.Column(verbose_name="Format")
    row_count = tables.Column(verbose_name="Rows", attrs={"td": {"class": "num"}})
    figure_count = tables.Column(verbose_name="Figures changed", attrs={"td": {"class": "num"}})
    total = MoneyColumn(verbose_name="File total")

    class Meta:
        model = ImportBatch
        fields = ("applied_at", "uploaded_by", "filename", "file_format")
        sequence = ("applied_at", "uploaded_by", "filename", "file_format", "...")
        template_name = "budgets/data_table.html"
        empty_text = "No file has been imported yet."
        attrs = {"class": "data-table"}
        order_by = ("-applied_at",)

    def render_filename(self, value, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("budgets:import_batch", args=[record.pk]), value
        )

    def value_filename(self, value):
        return value


class ImportBatchListView(SafeExportMixin, SingleTableView):
    """Every applied import: who, when, which file, how many rows and figures, its total."""

    table_class = ImportBatchTable
    template_name = "budgets/import_batches.html"
    table_pagination = {"per_page": 25}
    export_name = "import-batches"

    def get_queryset(self):
        return ImportBatch.objects.select_related("uploaded_by")


class BatchFigureTable(tables.Table):
    line = tables.Column(verbose_name="Line", accessor="line__code")
    year = tables.Column(verbose_name="Year", accessor="year__label")
    period = tables.Column(verbose_name="Period")
    actual_before = MoneyColumn(verbose_name="Actual before")
    actual = MoneyColumn(verbose_name="Actual written")
    forecast = MoneyColumn(verbose_name="Forecast written")
    note = tables.Column(verbose_name="Note")

    class Meta:
        template_name = "budgets/data_table.html"
        attrs = {"class": "data-table"}
        orderable = False

    def render_period(self, value):
        return f"P{value}"


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
