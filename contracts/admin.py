"""Admin for the contract register. Every save and delete goes through `contracts.services`
(permission, rules, history user, version); the forms only collect the values. A change
form carries the version it was opened at and a stale save comes back with status 409
(`common.admin.HistoryAdmin`). A contract's changes are append-only: they are added
(through `record_change`, which also moves the contract's end date and value) and never
edited or deleted."""

from django.contrib import admin
from django.db.models import Count
from django.http import HttpRequest

from common.admin import HistoryAdmin, LabelledTabularInline
from contracts import services
from contracts.forms import ContractChangeForm
from contracts.models import Contract, ContractChange, Supplier


def _record(request: HttpRequest, form: ContractChangeForm, contract: Contract) -> ContractChange:
    return services.record_change(contract=contract, user=request.user, **form.change())


class AppendOnly:
    """Existing changes are shown read-only; new ones may be added."""

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ContractChangeInline(AppendOnly, LabelledTabularInline):
    model = ContractChange
    form = ContractChangeForm
    fields = services.CHANGE_FIELDS
    extra = 0
    show_change_link = True


@admin.register(Supplier)
class SupplierAdmin(HistoryAdmin):
    list_display = ("name", "contract_count")
    search_fields = ("name",)

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).annotate(contract_count=Count("contracts"))

    @admin.display(description="Contracts", ordering="contract_count")
    def contract_count(self, supplier: Supplier) -> int:
        return supplier.contract_count

    def save_with_service(self, request: HttpRequest, obj: Supplier, form, change: bool) -> None:
        saved = services.save_supplier(
            supplier=obj, user=request.user, expected_version=self.expected_version(form)
        )
        obj.pk, obj.version = saved.pk, saved.version

    def delete_model(self, request: HttpRequest, obj: Supplier) -> None:
        services.delete_supplier(supplier=obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for supplier in queryset:
            services.delete_supplier(supplier=supplier, user=request.user)


@admin.register(Contract)
class ContractAdmin(HistoryAdmin):
    list_display = (
        "reference",
        "title",
        "supplier",
        "start_date",
        "end_date",
        "decision_date",
        "status",
        "annual_value",
    )
    list_filter = ("status", "supplier", "end_date")
    list_select_related = ("supplier",)
    search_fields = ("reference", "title", "supplier__name", "owner", "description")
    date_hierarchy = "end_date"
    inlines = (ContractChangeInline,)

    @admin.display(description="Decision date")
    def decision_date(self, contract: Contract):
        return contract.decision_date

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple:
        # Once a contract exists its end date moves only by a change recorded below.
        return ("end_date",) if obj is not None else ()

    def save_with_service(self, request: HttpRequest, obj: Contract, form, change: bool) -> None:
        if not change:
            services.create_contract(contract=obj, user=request.user)
            return
        data = {
            field: form.cleaned_data[field] for field in form.changed_data if field != "version"
        }
        if not data:
            return  # only changes added below: `record_change` writes those
        saved = services.update_contract(
            contract=obj, data=data, user=request.user, expected_version=self.expected_version(form)
        )
        obj.version = saved.version

    def delete_model(self, request: HttpRequest, obj: Contract) -> None:
        services.delete_contract(contract=obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for contract in queryset:
            services.delete_contract(contract=contract, user=request.user)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not ContractChange:
            return super().save_formset(request, form, formset, change)
        formset.new_objects = [
            _record(request, change_form, form.instance)
            for change_form in formset.extra_forms
            if change_form.has_changed() and change_form.is_valid()
        ]
        formset.changed_objects, formset.deleted_objects = [], []


@admin.register(ContractChange)
class ContractChangeAdmin(AppendOnly, HistoryAdmin):
    form = ContractChangeForm
    fields = ("contract", *services.CHANGE_FIELDS)
    list_display = (
        "contract",
        "kind",
        "effective_date",
        "old_end_date",
        "new_end_date",
        "value_change",
        "expected_annual_saving",
        "recorded_by",
    )
    list_filter = ("kind", "contract__supplier")
    list_select_related = ("contract", "recorded_by")
    search_fields = ("contract__reference", "contract__title", "note")
    date_hierarchy = "effective_date"

    def save_with_service(
        self, request: HttpRequest, obj: ContractChange, form, change: bool
    ) -> None:
        obj.pk = _record(request, form, form.cleaned_data["contract"]).pk
        obj.refresh_from_db()
