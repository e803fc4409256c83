"""Admin for the contract register. A contract's changes are append-only: they are added
(through `record_change`, which also moves the contract's end date and value) and never
edited or deleted."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest

from common.admin import HistoryAdmin
from contracts.models import Contract, ContractChange, Supplier
from contracts.services import RECORDABLE_KINDS, change_errors, record_change

CHANGE_FIELDS = (
    "kind",
    "effective_date",
    "new_end_date",
    "value_change",
    "expected_annual_saving",
    "note",
    "source",
)


class ContractChangeForm(forms.ModelForm):
    """A new change, checked by the same rules as the contract pages before anything is
    saved, so a bad date or value is shown on the form rather than half-written."""

    kind = forms.ChoiceField(
        choices=[(k.value, k.label) for k in RECORDABLE_KINDS],
        help_text="An award is the contract itself; record later events here.",
    )

    class Meta:
        model = ContractChange
        fields = ("contract", *CHANGE_FIELDS)

    def clean(self) -> dict:
        cleaned = super().clean()
        contract = cleaned.get("contract") or getattr(self.instance, "contract", None)
        if contract is None or self.errors:
            return cleaned
        errors = change_errors(
            contract,
            cleaned.get("kind"),
            cleaned.get("effective_date"),
            cleaned.get("new_end_date"),
            cleaned.get("value_change"),
            cleaned.get("expected_annual_saving"),
        )
        if errors:
            raise ValidationError(errors)
        return cleaned


def _record(request: HttpRequest, change: ContractChange, contract: Contract) -> ContractChange:
    return record_change(
        contract=contract,
        user=request.user,
        **{field: getattr(change, field) for field in CHANGE_FIELDS},
    )


class AppendOnly:
    """Existing changes are shown read-only; new ones may be added."""

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ContractChangeInline(AppendOnly, admin.TabularInline):
    model = ContractChange
    form = ContractChangeForm
    fields = CHANGE_FIELDS
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
    autocomplete_fields = ("supplier",)
    date_hierarchy = "end_date"
    inlines = (ContractChangeInline,)

    @admin.display(description="Decision date")
    def decision_date(self, contract: Contract):
        return contract.decision_date

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not ContractChange:
            return super().save_formset(request, form, formset, change)
        formset.new_objects = [
            _record(request, change_form.instance, form.instance)
            for change_form in formset.extra_forms
            if change_form.has_changed() and change_form.is_valid()
        ]
        formset.changed_objects, formset.deleted_objects = [], []


@admin.register(ContractChange)
class ContractChangeAdmin(AppendOnly, HistoryAdmin):
    form = ContractChangeForm
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
    autocomplete_fields = ("contract",)
    date_hierarchy = "effective_date"

    def save_model(self, request: HttpRequest, obj: ContractChange, form, change: bool) -> None:
        obj.pk = _record(request, obj, obj.contract).pk
        obj.refresh_from_db()
