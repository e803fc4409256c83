"""The contract register, one contract, one supplier, and the Admin's edits.

Contracts is the first app in the chain contracts <- budgets <- savings: the later apps
import this one, never the reverse. These pages still show spend (budgets) and savings
(savings), so they reach them only when a page is served: through the reverse relations
`budget_lines` and `initiatives`, models looked up with `apps.get_model`, and a local
import of `budgets.reporting` for the reporting date. Nothing from a later app is imported
when this module loads, so the dependency direction holds at import time.
"""

from copy import copy
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.export import TableExport

from common.charts import Chart
from common.exports import SafeExportMixin, SafeTableExport, csv_response
from common.money import PENNY, ZERO, MoneyField, format_money, percent
from contracts import charts
from contracts.filters import ContractFilter
from contracts.forms import ContractChangeForm, ContractForm
from contracts.models import Contract, Supplier
from contracts.services import record_change, update_contract
from contracts.tables import ContractTable, time_to_expiry

# Reads from later apps, resolved at request time (see the module docstring).


def _reporting(request: HttpRequest):
    """The reporting year and as-at period (budgets.reporting semantics)."""
    from budgets.reporting import reporting_for  # a later app: imported per request

    return reporting_for(request)


def _as_at_date(reporting) -> date:
    """The reporting date. Only when no financial year exists at all is it today."""
    return reporting.as_at_date or timezone.localdate()


def _figures():
    return apps.get_model("budgets", "MonthlyFigure").objects


def technology_spend(reporting) -> Decimal:
    """All technology actuals in the reporting year up to its as-at period. One query."""
    if reporting.year is None:
        return ZERO
    total = (
        _figures()
        .filter(year=reporting.year, period__lte=reporting.as_at)
        .aggregate(total=Coalesce(Sum("actual"), Value(ZERO), output_field=MoneyField()))["total"]
    )
    return total.quantize(PENNY)  # SQLite hands sums back without a fixed scale


def shares_by_year(figures) -> list[dict]:
    """Per year with figures: the actual and outturn of `figures` beside all technology
    spend, and their shares. Two queries, whatever the number of years or lines."""
    own = {row["year_label"]: row for row in figures.spend_by_year()}
    rows = []
    for total in _figures().spend_by_year():
        row = own.get(total["year_label"], {"actual": ZERO, "outturn": ZERO})
        # SQLite returns sums without their trailing zeros; exports show pence.
        actual, outturn = row["actual"].quantize(PENNY), row["outturn"].quantize(PENNY)
        rows.append(
            {
                "year_label": total["year_label"],
                "actual": actual,
                "technology_actual": total["actual"].quantize(PENNY),
                "share": percent(actual, total["actual"]),
                "outturn": outturn,
                "technology_outturn": total["outturn"].quantize(PENNY),
                "outturn_share": percent(outturn, total["outturn"]),
            }
        )
    return rows


def contract_rows(queryset, reporting):
    """Contracts with spend in the reporting year to its as-at period and expiry RAG."""
    year_id = reporting.year.pk if reporting.year else None
    return (
        queryset.select_related("supplier")
        .with_spend(year_id=year_id, through_period=reporting.as_at)
        .with_expiry_rag(_as_at_date(reporting))
        .order_by("end_date", "reference")  # Meta.ordering is dropped in GROUP BY queries
    )


def register_totals(rows, reporting) -> dict:
    """Total annual value and spend of the contracts in `rows`. Two queries.

    Summed afresh rather than over the rows' `spend` annotation: aggregating over an
    aggregate annotation would multiply annual values by the joined figure rows.
    """
    contracts = Contract.objects.filter(pk__in=rows.order_by().values("pk"))
    money = {"output_field": MoneyField()}
    totals = contracts.aggregate(annual_value=Coalesce(Sum("annual_value"), Value(ZERO), **money))
    totals["spend"] = (
        _figures()
        .filter(line__contract__in=contracts, year=reporting.year, period__lte=reporting.as_at)
        .aggregate(spend=Coalesce(Sum("actual"), Value(ZERO), **money))["spend"]
    )
    return {name: value.quantize(PENNY) for name, value in totals.items()}


def history_entries(contract: Contract) -> list[dict]:
    """The contract's history rows, newest first, each with who, when and the fields that
    changed (old and new, as text). Two queries."""
    records = list(contract.history.select_related("history_user").order_by("-history_id"))
    diffs = [
        record.diff_against(older).changes if older is not None else []
        # A contract loaded without history (bulk_create, loaddata) has no records at all.
        for record, older in zip(records, [*records[1:], None][: len(records)], strict=True)
    ]
    supplier_ids = {
        value
        for changes in diffs
        for c in changes
        if c.field == "supplier"
        for value in (c.old, c.new)
    }
    suppliers = dict(Supplier.objects.filter(pk__in=supplier_ids).values_list("pk", "name"))
    entries = []
    for record, changes in zip(records, diffs, strict=True):
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "kind": record.get_history_type_display(),
                "reason": record.history_change_reason or "",
                "changes": [
                    {
                        "field": Contract._meta.get_field(c.field).verbose_name,
                        "old": _as_text(c.old, suppliers if c.field == "supplier" else None),
                        "new": _as_text(c.new, suppliers if c.field == "supplier" else None),
                    }
                    for c in changes
                ],
            }
        )
    return entries


def _as_text(value, names: dict | None = None) -> str:
    if names is not None:
        return names.get(value, "—")
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, date):
        return f"{value:%-d %b %Y}"
    return "—" if value in (None, "") else str(value)


# Pages.


class ContractRegisterView(SafeExportMixin, SingleTableMixin, FilterView):
    """`/contracts/`: every contract, filtered, with spend in the reporting year."""

    http_method_names = ["get", "head"]
    filterset_class = ContractFilter
    table_class = ContractTable
    table_pagination = {"per_page": 50}  # totals and exports still cover every filtered row
    template_name = "contracts/index.html"
    export_name = "contracts"

    def get(self, request, *args, **kwargs):
        self.reporting = _reporting(request)
        self.as_at_date = _as_at_date(self.reporting)
        self.technology_total = technology_spend(self.reporting)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return contract_rows(Contract.objects.all(), self.reporting)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "as_at_date": self.as_at_date}

    def get_table_kwargs(self):
        return {
            "technology_total": self.technology_total,
            "as_at": self.as_at_date,
            "totals": register_totals(self.object_list, self.reporting),
            "year_label": self.reporting.year.label if self.reporting.year else "",
        }

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "reporting": self.reporting,
            "as_at_date": self.as_at_date,
            "technology_total": self.technology_total,
        }


@require_safe
def contract_detail(request: HttpRequest, reference: str) -> HttpResponse:
    contract = get_object_or_404(Contract.objects.select_related("supplier"), reference=reference)
    reporting = _reporting(request)
    years = shares_by_year(_figures().filter(line__contract=contract))
    if request.GET.get("data") == "spend":
        return csv_response(f"{contract.reference}-spend.csv", *_spend_table(years, contract))
    expiry = contract_rows(Contract.objects.filter(pk=contract.pk), reporting).get()
    initiatives = contract.initiatives.annotate(
        planned=Coalesce(Sum("years__planned"), Value(ZERO), output_field=MoneyField()),
        realised=Coalesce(Sum("years__realised"), Value(ZERO), output_field=MoneyField()),
    ).order_by("code")
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "reporting": reporting,
            "as_at_date": _as_at_date(reporting),
            "expiry": expiry,
            "expiry_text": time_to_expiry(expiry, _as_at_date(reporting)),
            "changes": contract.changes.select_related("recorded_by"),
            "lines": contract.budget_lines.select_related("category").order_by("code"),
            "initiatives": initiatives,
            "realised_total": initiatives.aggregate(total=Sum("realised"))["total"] or ZERO,
            "history": history_entries(contract),
            "chart": _spend_chart(contract, years),
            "can_edit": request.user.has_perm("contracts.change_contract"),
            "can_record": request.user.has_perm("contracts.add_contractchange"),
        },
    )


def _spend_table(years: list[dict], contract: Contract) -> tuple[list[str], list[list]]:
    columns = ["Year", "Actual spend", "Forecast outturn", "Annual value", "Share of actual"]
    rows = [
        [
            row["year_label"],
            row["actual"],
            row["outturn"],
            contract.annual_value,
            "—" if row["share"] is None else f"{row['share']}%",
        ]
        for row in years
    ]
    return columns, rows


def _spend_chart(contract: Contract, years: list[dict]) -> Chart:
    columns, rows = _spend_table(years, contract)
    spent = [row for row in years if row["actual"]]
    if spent:
        latest = spent[-1]
        summary = (
            f"In {latest['year_label']} the lines naming {contract.reference} spent "
            f"{format_money(latest['actual'])} to date against an annual value of "
            f"{format_money(contract.annual_value)}."
        )
    else:
        summary = f"No spend has been recorded against {contract.reference} yet."
    return Chart(
        id="contract-spend",
        title="Spend by year against annual value",
        summary=summary,
        figure=charts.spend_against_value(years, contract.annual_value) if years else None,
        columns=columns,
        rows=rows,
        csv_url="?data=spend",
    )


@require_safe
def supplier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = get_object_or_404(Supplier, pk=pk)
    reporting = _reporting(request)
    years = shares_by_year(_figures().filter(line__contract__supplier=supplier))
    if request.GET.get("data") == "share":
        return csv_response(f"supplier-{supplier.pk}-share.csv", *_share_table(years))
    rows = contract_rows(supplier.contracts.all(), reporting)
    table = ContractTable(
        rows,
        exclude=("supplier",),
        technology_total=technology_spend(reporting),
        as_at=_as_at_date(reporting),
        totals=register_totals(rows, reporting),
        year_label=reporting.year.label if reporting.year else "",
    )
    RequestConfig(request, paginate=False).configure(table)
    export_format = request.GET.get("_export")
    if TableExport.is_valid_format(export_format):
        return SafeTableExport(export_format, table).response(
            f"supplier-{supplier.pk}.{export_format}"
        )
    return render(
        request,
        "contracts/supplier.html",
        {
            "supplier": supplier,
            "reporting": reporting,
            "table": table,
            "years": years,
            "chart": _share_chart(supplier, years),
        },
    )


def _share_table(years: list[dict]) -> tuple[list[str], list[list]]:
    columns = [
        "Year",
        "Supplier actual",
        "Technology actual",
        "Share of actual",
        "Supplier outturn",
        "Technology outturn",
        "Share of outturn",
    ]
    rows = [
        [
            row["year_label"],
            row["actual"],
            row["technology_actual"],
            "—" if row["share"] is None else f"{row['share']}%",
            row["outturn"],
            row["technology_outturn"],
            "—" if row["outturn_share"] is None else f"{row['outturn_share']}%",
        ]
        for row in years
    ]
    return columns, rows


def _share_chart(supplier: Supplier, years: list[dict]) -> Chart:
    columns, rows = _share_table(years)
    shown = [row for row in years if row["share"] is not None]
    if shown:
        summary = ", ".join(f"{row['year_label']} {row['share']}%" for row in shown)
        summary = f"{supplier.name}'s share of technology actual spend: {summary}."
    else:
        summary = f"No actual spend has been recorded against {supplier.name}'s contracts."
    return Chart(
        id="supplier-share",
        title="Share of technology spend by year",
        summary=summary,
        figure=charts.supplier_share(years) if shown else None,
        columns=columns,
        rows=rows,
        csv_url="?data=share",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("contracts.change_contract", raise_exception=True)
def contract_edit(request: HttpRequest, reference: str) -> HttpResponse:
    contract = get_object_or_404(Contract, reference=reference)
    # The form writes typed values into its instance while validating: give it a copy.
    form = ContractForm(request.POST or None, instance=copy(contract))
    if request.method == "POST" and form.is_valid():
        try:
            saved = update_contract(contract=contract, data=form.cleaned_data, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved the changes to {saved.reference}.")
            return redirect(saved)
    return render(request, "contracts/contract_form.html", {"contract": contract, "form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(
    ("contracts.add_contractchange", "contracts.change_contract"), raise_exception=True
)
def change_new(request: HttpRequest, reference: str) -> HttpResponse:
    contract = get_object_or_404(Contract, reference=reference)
    form = ContractChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = record_change(contract=contract, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Recorded the {change.get_kind_display().lower()}.")
            return redirect(contract)
    return render(request, "contracts/change_form.html", {"contract": contract, "form": form})
