"""Admin for projects, benefits and officer numbers. Every save goes through the services,
with the version the form was opened at: a stale save is refused and the form shown again
with the other person's change named and the typed values kept (status 409). Forecasts
and baselines are history: read here, recorded from the project's page."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from common.admin import HistoryAdmin
from common.locking import StaleVersionError, VersionedForm
from projects.forms import MeasureForm, ProjectForm
from projects.models import (
    BenefitMeasure,
    BenefitValue,
    OfficerCount,
    Project,
    ProjectForecast,
    Rebaseline,
)
from projects.services import (
    record_benefit_actual,
    save_measure,
    save_project,
    set_benefit_plan,
    set_officer_count,
)
from projects.views import add_errors

REFUSED = "_refused_by_service"


class BenefitValueAdminForm(VersionedForm, forms.ModelForm):
    reason = forms.CharField(
        required=False,
        max_length=100,
        label="Reason for a plan change",
        help_text="Required when changing a plan already set: kept in the history.",
    )

    class Meta:
        model = BenefitValue
        fields = ("measure", "month", "planned", "actual", "note", "reason")


class OfficerCountAdminForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = OfficerCount
        fields = ("year", "officers", "source")


class VersionedAdmin(HistoryAdmin):
    """Saves through a service. A refusal (a StaleVersionError, or the service's
    ValidationError) shows the bound form again with the typed values, the conflict (409)
    or the errors, instead of failing."""

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        error = getattr(request, REFUSED, None)
        if error is None:
            return form

        class OfferedAgain(form):
            def full_clean(self):
                super().full_clean()
                if isinstance(error, StaleVersionError) and self.conflict is None:
                    self.offer_again(error)
                elif isinstance(error, ValidationError):
                    add_errors(self, error)  # full_clean starts the errors afresh

        return OfferedAgain

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (StaleVersionError, ValidationError) as error:
            setattr(request, REFUSED, error)
            response: HttpResponse = super().changeform_view(
                request, object_id, form_url, extra_context
            )
            if isinstance(error, StaleVersionError):
                response.status_code = 409
            return response

    def get_fields(self, request: HttpRequest, obj=None):
        """The form's fields and its version, which the admin renders as a hidden input."""
        fields = list(super().get_fields(request, obj))
        return fields if "version" in fields else [*fields, "version"]

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        """The services save related rows themselves."""


@admin.register(Project)
class ProjectAdmin(VersionedAdmin):
    form = ProjectForm
    list_display = ("code", "name", "owner", "stage", "confidence", "baseline_cost")
    list_filter = ("stage", "confidence")
    search_fields = ("code", "name", "owner", "description")
    # Plain multiple selects, as on the register's own form: select2's inline search box
    # for many-to-many fields has no label (axe: critical).
    readonly_fields = ("baseline_cost", "baseline_go_live", "forecast_cost", "forecast_go_live")

    def save_model(self, request: HttpRequest, obj: Project, form, change: bool) -> None:
        saved = save_project(
            project=Project.objects.get(pk=obj.pk) if change else None,
            user=request.user,
            **form.details(),
        )
        obj.pk, obj.version = saved.pk, saved.version


class HistoryOnlyAdmin(HistoryAdmin):
    """Append-only history rows, recorded from the project page: read here, never edited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ProjectForecast)
class ProjectForecastAdmin(HistoryOnlyAdmin):
    list_display = ("project", "as_of", "cost", "go_live", "reason", "recorded_by")
    list_filter = ("project",)
    list_select_related = ("project", "recorded_by")
    search_fields = ("project__code", "reason")


@admin.register(Rebaseline)
class RebaselineAdmin(HistoryOnlyAdmin):
    list_display = ("project", "effective", "cost", "go_live", "approver", "reason")
    list_filter = ("project",)
    list_select_related = ("project",)
    search_fields = ("project__code", "reason", "approver")


@admin.register(BenefitMeasure)
class BenefitMeasureAdmin(VersionedAdmin):
    form = MeasureForm
    list_display = ("code", "name", "unit", "cashable", "project", "initiative")
    list_filter = ("unit", "cashable")
    search_fields = ("code", "name", "owner")

    def save_model(self, request: HttpRequest, obj: BenefitMeasure, form, change: bool) -> None:
        saved = save_measure(
            measure=BenefitMeasure.objects.get(pk=obj.pk) if change else None,
            user=request.user,
            **form.details(),
        )
        obj.pk, obj.version = saved.pk, saved.version


@admin.register(BenefitValue)
class BenefitValueAdmin(VersionedAdmin):
    """A month's plan and actual: the plan through `set_benefit_plan` (with its reason when
    revised), the actual through `record_benefit_actual`."""

    form = BenefitValueAdminForm
    list_display = ("measure", "month", "planned", "actual")
    list_filter = ("measure",)
    list_select_related = ("measure",)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return ("measure", "month") if obj else ()

    def save_model(self, request: HttpRequest, obj: BenefitValue, form, change: bool) -> None:
        version = form.cleaned_data.get("version")
        before = BenefitValue.objects.filter(pk=obj.pk).first() if change else None
        if before is None or before.planned != obj.planned:
            saved = set_benefit_plan(
                measure=obj.measure,
                month=obj.month,
                planned=obj.planned,
                reason=form.cleaned_data["reason"],
                version=version,
                user=request.user,
            )
            version = saved.version
        if before is None or (before.actual, before.note) != (obj.actual, obj.note):
            saved = record_benefit_actual(
                measure=obj.measure,
                month=obj.month,
                actual=obj.actual,
                note=obj.note,
                version=version,
                user=request.user,
            )
        obj.pk = BenefitValue.objects.get(measure=obj.measure, month=obj.month).pk


@admin.register(OfficerCount)
class OfficerCountAdmin(VersionedAdmin):
    form = OfficerCountAdminForm
    list_display = ("year", "officers", "source")
    list_select_related = ("year",)

    def save_model(self, request: HttpRequest, obj: OfficerCount, form, change: bool) -> None:
        saved = set_officer_count(
            year=obj.year,
            officers=obj.officers,
            source=obj.source,
            version=form.cleaned_data.get("version"),
            user=request.user,
        )
        obj.pk = saved.pk
