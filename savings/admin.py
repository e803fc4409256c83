"""Admin for the reduction programme, its yearly targets, and the savings initiatives."""

from django.contrib import admin
from django.http import HttpRequest

from common.admin import HistoryAdmin
from savings.forms import InitiativeDetailsForm
from savings.models import (
    Initiative,
    InitiativeYear,
    ReductionProgramme,
    SavingsTarget,
)


class SavingsTargetInline(admin.TabularInline):
    model = SavingsTarget
    fields = ("year", "amount", "source")
    extra = 0


@admin.register(ReductionProgramme)
class ReductionProgrammeAdmin(HistoryAdmin):
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


@admin.register(SavingsTarget)
class SavingsTargetAdmin(HistoryAdmin):
    list_display = ("year", "programme", "amount")
    list_filter = ("programme", "year")
    list_select_related = ("year", "programme")
    search_fields = ("programme__name", "year__label", "source")


class InitiativeYearInline(admin.TabularInline):
    model = InitiativeYear
    fields = ("year", "planned", "forecast", "realised", "note")
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(HistoryAdmin):
    form = InitiativeDetailsForm
    list_display = ("code", "name", "lever", "stage", "confidence", "cashable", "contract")
    list_filter = ("stage", "lever", "confidence", "cashable")
    list_select_related = ("contract",)
    search_fields = ("code", "name", "owner", "description", "contract__reference")
    autocomplete_fields = ("contract", "lines")
    inlines = (InitiativeYearInline,)

    def save_model(self, request: HttpRequest, obj: Initiative, form, change: bool) -> None:
        obj._change_reason = form.cleaned_data["change_reason"].strip() or None
        super().save_model(request, obj, form, change)


@admin.register(InitiativeYear)
class InitiativeYearAdmin(HistoryAdmin):
    list_display = ("initiative", "year", "planned", "forecast", "realised", "over_plan")
    list_filter = ("year", "initiative__stage", "initiative__cashable")
    list_select_related = ("initiative", "year")
    search_fields = ("initiative__code", "initiative__name", "note")
    autocomplete_fields = ("initiative",)

    @admin.display(boolean=True, description="Over plan")
    def over_plan(self, row: InitiativeYear) -> bool:
        return row.over_plan
