"""Admin for years, categories, lines and monthly figures. Every save goes through a
budgets service, which checks the user's permission and the version the form was opened
at; a figure's save is the entry grids' own (period lock, version, variance note). A
year's `closed_through` moves only through the close and reopen services: the close
from the pre-close checklist (it publishes the period's report), the reopen below."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.response import TemplateResponse

from budgets.models import BudgetLine, Category, FinancialYear, ImportBatch, MonthlyFigure
from budgets.revisions import approve_budget
from budgets.services import (
    BudgetApprovedError,
    PeriodLockedError,
    VarianceNoteError,
    check_figure,
    reopen_period,
    save_category,
    save_figure,
    save_line,
    save_year,
)
from common.admin import HistoryAdmin
from common.locking import StaleVersionError, check_version
from common.money import ZERO


class VersionedAdminForm(forms.ModelForm):
    """An admin form that carries the version of the row it was opened at and shows the
    service's refusal beside the fields. After a stale save the typed values stay and the
    form takes the stored version, so that saving again is a deliberate decision."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["version"] = self.instance.version

    def clean_version(self) -> int:
        version = self.cleaned_data.get("version")
        return self.instance.version if version is None else version

    def _post_clean(self) -> None:
        super()._post_clean()  # the instance now holds the typed values
        if self.errors:
            return
        try:
            self.check()
        except StaleVersionError as error:
            data = self.data.copy()
            data[self.add_prefix("version")] = str(error.current.version)
            self.data = data
            self.add_error(None, str(error))
        except ValidationError as error:
            self.add_error(None, error)

    def check(self) -> None:
        """Raise the refusal the save would meet (admin requests run in a transaction, so
        the rows read here stay locked until the save)."""
        if self.instance.pk is not None:
            check_version(self.instance, self.cleaned_data["version"])


class ReopenForm(forms.Form):
    period = forms.IntegerField(
        min_value=1, max_value=12, help_text="This period and every later one reopen."
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the period must change again; kept in the year's history.",
    )


@admin.register(FinancialYear)
class FinancialYearAdmin(HistoryAdmin):
    form = VersionedAdminForm
    list_display = ("label", "start", "closed_through", "budget_approved_at")
    search_fields = ("label",)
    readonly_fields = ("closed_through", "budget_approved_at", "budget_approved_by")
    actions = ("review_and_close", "reopen_periods", "approve_budgets")

    def save_model(self, request: HttpRequest, obj: FinancialYear, form, change: bool) -> None:
        save_year(year=obj, user=request.user, expected_version=form.cleaned_data["version"])

    def has_close_period_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("budgets.close_period")

    def has_approve_budget_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("budgets.approve_budget")

    @admin.action(
        description="Approve the budget (freezes the original)", permissions=["approve_budget"]
    )
    def approve_budgets(self, request: HttpRequest, queryset):
        for year in queryset.order_by("start"):
            try:
                approve_budget(year=year, user=request.user, expected_version=None)
            except ValueError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"Approved the {year.label} budget.")

    @admin.action(description="Review and close the next period", permissions=["close_period"])
    def review_and_close(self, request: HttpRequest, queryset):
        """Closing publishes the period's report, which this layer cannot build: the page
        this gives links each year to its pre-close checklist, where the period closes."""
        return TemplateResponse(
            request,
            "admin/budgets/financialyear/close.html",
            {
                **self.admin_site.each_context(request),
                "title": "Review and close the next period",
                "opts": self.model._meta,
                "years": [(year, year.closed_through + 1) for year in queryset.order_by("start")],
            },
        )

    @admin.action(description="Reopen periods (with a reason)", permissions=["close_period"])
    def reopen_periods(self, request: HttpRequest, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one year to reopen.", messages.ERROR)
            return None
        year = queryset.get()
        form = ReopenForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                reopen_period(
                    year=year,
                    period=form.cleaned_data["period"],
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                )
            except ValueError as error:
                form.add_error("period", str(error))
            else:
                self.message_user(
                    request,
                    f"Reopened {year.label} from P{form.cleaned_data['period']}; "
                    f"it is now closed through P{year.closed_through}.",
                )
                return None
        return TemplateResponse(
            request,
            "admin/budgets/financialyear/reopen.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Reopen periods of {year.label}",
                "opts": self.model._meta,
                "year": year,
                "form": form,
                "action": "reopen_periods",
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = VersionedAdminForm
    list_display = ("name", "kind", "order")
    list_filter = ("kind",)
    search_fields = ("name",)

    def save_model(self, request: HttpRequest, obj: Category, form, change: bool) -> None:
        save_category(
            category=obj, user=request.user, expected_version=form.cleaned_data["version"]
        )


@admin.register(BudgetLine)
class BudgetLineAdmin(HistoryAdmin):
    form = VersionedAdminForm
    list_display = ("code", "name", "category", "contract", "owner", "active")
    list_filter = ("active", "category__kind", "category")
    list_select_related = ("category", "contract")
    search_fields = ("code", "name", "owner", "contract__reference")

    def save_model(self, request: HttpRequest, obj: BudgetLine, form, change: bool) -> None:
        save_line(line=obj, user=request.user, expected_version=form.cleaned_data["version"])


class MonthlyFigureForm(VersionedAdminForm):
    """Shows the refusal of `budgets.services.check_figure`: a figure in a closed period
    (naming it), one someone else saved since the form was opened, or an actual far from
    budget without a note (as the entry pages do)."""

    class Meta:
        model = MonthlyFigure
        fields = ("line", "year", "period", "budget", "actual", "forecast", "committed", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "committed" in self.fields:
            self.fields["committed"].required = False  # empty: nothing on order

    def clean_committed(self):
        committed = self.cleaned_data.get("committed")
        if committed is not None and committed < 0:
            raise ValidationError("A commitment cannot be negative.")
        return ZERO if committed is None else committed

    def check(self) -> None:
        try:
            check_figure(figure=self.instance, expected_version=self.cleaned_data["version"])
        except PeriodLockedError as error:
            raise ValidationError(str(error)) from None
        except BudgetApprovedError as error:
            self.add_error("budget" if "budget" in self.fields else None, str(error))
        except VarianceNoteError:
            self.add_error("note", "Explain the variance from budget: the actual is far from it.")


@admin.register(MonthlyFigure)
class MonthlyFigureAdmin(HistoryAdmin):
    form = MonthlyFigureForm
    list_display = (
        "line",
        "year",
        "period",
        "original_budget",
        "budget",
        "actual",
        "forecast",
        "committed",
        "updated_by",
        "updated_at",
    )
    list_filter = ("year", "period", "line__category")
    list_select_related = ("line", "year", "updated_by")
    search_fields = ("line__code", "line__name", "note")
    readonly_fields = ("updated_by", "updated_at", "import_batch")

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple:
        if obj is None:
            return self.readonly_fields
        # An approved year's budget moves only through a recorded budget change.
        budget = ("budget", "original_budget") if obj.year.is_budget_approved else ()
        return ("line", "year", "period", *budget, *self.readonly_fields)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Figures are corrected, not deleted: a deleted figure would leave a gap in a year.
        return False

    def save_model(self, request: HttpRequest, obj: MonthlyFigure, form, change: bool) -> None:
        save_figure(figure=obj, user=request.user, expected_version=form.cleaned_data["version"])


@admin.register(ImportBatch)
class ImportBatchAdmin(HistoryAdmin):
    """Batches are written by the import service only; here they can be looked at."""

    list_display = (
        "filename",
        "file_format",
        "uploaded_by",
        "applied_at",
        "row_count",
        "figure_count",
        "total",
    )
    list_filter = ("file_format",)
    list_select_related = ("uploaded_by",)
    search_fields = ("filename", "sha256")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


from budgets import admin_changes  # noqa: E402, F401 - registers the budget change admin
