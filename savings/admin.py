"""Admin for the reduction programme, its yearly targets, and the savings initiatives.

Every save goes through `savings.services` (permission, rules, history user, version),
inline rows included; the forms only collect the values. `expected_version` is the version
the admin form carried, hidden (`VersionedAdmin`).
"""

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from common.admin import HistoryAdmin, LabelledTabularInline
from savings import services
from savings.claims import SavingsClaim
from savings.forms import InitiativeDetailsForm
from savings.models import (
    Initiative,
    InitiativeYear,
    ReductionProgramme,
    SavingsTarget,
)


def _expected_version(form: forms.BaseForm) -> int | None:
    return form.cleaned_data.get("version")


class VersionedAdmin(HistoryAdmin):
    """The row's version rides along hidden on the change form and comes back as the
    expected version, so that a stale admin save is refused by the service."""

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        kwargs["widgets"] = {**kwargs.get("widgets", {}), "version": forms.HiddenInput}
        return super().get_form(request, obj, change=change, **kwargs)


class VersionedInlineForm(forms.ModelForm):
    """An inline row carries the version it was shown at, so a stale row is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("version", self.instance.version)


class ServiceInlineAdmin(LabelledTabularInline):
    """An inline whose rows are saved one by one by the parent admin's service calls."""

    form = VersionedInlineForm
    extra = 0
    can_delete = False


def save_inline_rows(formset, parent_field: str, parent, save_row) -> None:
    """Save each new or changed inline row with `save_row(row, form)`, and note what was
    saved where the admin's change message looks for it (as `formset.save()` would)."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        if not form.has_changed():
            continue
        row = form.instance
        new = row.pk is None
        setattr(row, parent_field, parent)
        save_row(row, form)
        if new:
            formset.new_objects.append(row)
        else:
            formset.changed_objects.append((row, form.changed_data))


class SavingsTargetInline(ServiceInlineAdmin):
    model = SavingsTarget
    fields = ("year", "amount", "source", "version")


@admin.register(ReductionProgramme)
class ReductionProgrammeAdmin(VersionedAdmin):
    list_display = (
        "name",
        "organisation_budget",
        "reduction_target",
        "first_year",
        "last_year",
        "technology_baseline",
    )
    search_fields = ("name",)
    inlines = (SavingsTargetInline,)

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        services.save_programme(
            programme=obj, user=request.user, expected_version=_expected_version(form)
        )

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        def save_target(target: SavingsTarget, row_form) -> None:
            services.set_target(
                target=target,
                amount=target.amount,
                source=target.source,
                user=request.user,
                expected_version=_expected_version(row_form),
            )

        save_inline_rows(formset, "programme", form.instance, save_target)


@admin.register(SavingsTarget)
class SavingsTargetAdmin(VersionedAdmin):
    list_display = ("year", "programme", "amount")
    list_filter = ("programme", "year")
    list_select_related = ("year", "programme")
    search_fields = ("programme__name", "year__label", "source")

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple:
        # A target belongs to its programme and year; set another year's on its own.
        return ("programme", "year") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: SavingsTarget, form, change: bool) -> None:
        services.set_target(
            target=obj,
            amount=obj.amount,
            source=obj.source,
            user=request.user,
            expected_version=_expected_version(form),
        )


class InitiativeYearInline(ServiceInlineAdmin):
    model = InitiativeYear
    fields = ("year", "planned", "forecast", "realised", "claimed", "note", "version")
    readonly_fields = ("realised", "claimed")  # the claims' totals


def _save_initiative_year(user, row: InitiativeYear, form) -> None:
    services.save_initiative_year(
        initiative_year=row,
        planned=row.planned,
        forecast=row.forecast,
        note=row.note,
        user=user,
        expected_version=_expected_version(form),
    )


class InitiativeAdminForm(InitiativeDetailsForm):
    class Meta(InitiativeDetailsForm.Meta):
        fields = [*InitiativeDetailsForm.Meta.fields, "version"]


@admin.register(Initiative)
class InitiativeAdmin(VersionedAdmin):
    form = InitiativeAdminForm
    list_display = ("code", "name", "lever", "stage", "confidence", "cashable", "contract")
    list_filter = ("stage", "lever", "confidence", "cashable")
    list_select_related = ("contract",)
    search_fields = ("code", "name", "owner", "description", "contract__reference")
    inlines = (InitiativeYearInline,)

    def save_model(self, request: HttpRequest, obj: Initiative, form, change: bool) -> None:
        services.save_initiative(
            initiative=obj,
            lines=form.cleaned_data["lines"],
            planned={},
            reason=form.cleaned_data["change_reason"],
            user=request.user,
            expected_version=_expected_version(form),
        )

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        # The service has set the lines: only the yearly rows are left to save.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        save_inline_rows(
            formset,
            "initiative",
            form.instance,
            lambda row, row_form: _save_initiative_year(request.user, row, row_form),
        )


@admin.register(InitiativeYear)
class InitiativeYearAdmin(VersionedAdmin):
    list_display = ("initiative", "year", "planned", "forecast", "realised", "over_plan")
    list_filter = ("year", "initiative__stage", "initiative__cashable")
    list_select_related = ("initiative", "year")
    search_fields = ("initiative__code", "initiative__name", "note")

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple:
        totals = ("realised", "claimed")  # the claims' totals
        return ("initiative", "year", *totals) if obj is not None else totals

    def save_model(self, request: HttpRequest, obj: InitiativeYear, form, change: bool) -> None:
        _save_initiative_year(request.user, obj, form)

    @admin.display(boolean=True, description="Over plan")
    def over_plan(self, row: InitiativeYear) -> bool:
        return row.over_plan


@admin.register(SavingsClaim)
class SavingsClaimAdmin(HistoryAdmin):
    """Claims and their history, to read: claims are made and decided on the initiative's
    page, through the services that keep the four-eyes rule and the stored totals."""

    list_display = ("pk", "initiative", "year", "period", "amount", "status", "made_by")
    list_filter = ("status", "year")
    list_select_related = ("initiative", "year", "made_by")
    search_fields = ("initiative__code", "note", "rejection_reason")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
