"""The contract pages that show spend and savings: the register, one contract and one
supplier. They read contracts, budgets and savings, so they live here, above all three;
their URLs keep the `contracts:` names (reports/urls.py, mounted by metbudget/urls.py).

Every figure is as at the reporting date (`budgets.reporting`): spend to date on a
contract and a supplier's share come from the one home of each,
`LineYearTotal.objects.as_at(...).contract_spend()` / `contract_shares()` /
`supplier_shares()` (budgets.models.spend), read from the stored totals per line and year;
the year totals one contract's or supplier's shares are of, and the year's technology
spend the registers show, from the stored totals per period (`year_spend_as_at`,
`technology_spend`), so that those pages read only their own lines.
"""

from datetime import date

from django.core.paginator import Paginator
from django.db.models import Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from budgets.models import BudgetLine, LineYearTotal, LineYearTotalQuerySet, PeriodTotal
from budgets.reporting import Reporting, reporting_for
from common.charts import page_url, year_query
from common.exports import SafeExportMixin, csv_response
from common.history import differences
from common.money import PENNY, ZERO, MoneyField, add_months
from common.tables import several_pages_ids
from contracts import charts
from contracts.filters import ContractFilter
from contracts.models import Contract, ContractChange, ContractQuerySet, Supplier
from contracts.tables import time_to_expiry
from reports.tables import ContractSpendTable
from savings.models import Initiative

MONEY = {"output_field": MoneyField()}


def as_at_date(reporting: Reporting) -> date:
    """The reporting date. Only when no financial year exists at all is it today."""
    return reporting.as_at_date or timezone.localdate()


def figures_as_at(reporting: Reporting) -> LineYearTotalQuerySet:
    """Every year's figures (their stored totals per line and year), seen from the
    reporting date."""
    if reporting.year is None:
        return LineYearTotal.objects.none()
    return LineYearTotal.objects.as_at(reporting.year, reporting.as_at)


def year_spend_as_at(reporting: Reporting) -> list[dict]:
    """Every year's technology spend seen from the reporting date (`spend_by_year`), from
    the twelve stored totals per year (`PeriodTotal`): the same rows as `figures_as_at`
    adds up from every line's, which one contract's or supplier's shares are of. One
    query."""
    if reporting.year is None:
        return []
    return list(PeriodTotal.objects.as_at(reporting.year, reporting.as_at).spend_by_year())


def with_spend(contracts: ContractQuerySet, reporting: Reporting) -> ContractQuerySet:
    """Contracts with `spend` (the reporting year's actuals to date of the lines that name
    each) and `expiry_rag`, by end date. One query."""
    if reporting.year is None:
        spend = Value(ZERO, **MONEY)
    else:
        spend = figures_as_at(reporting).filter(year=reporting.year).contract_spend()
    return (
        contracts.select_related("supplier")
        .annotate(spend=spend)
        .with_expiry_rag(as_at_date(reporting))
        .order_by("end_date", "reference")
    )


def register_totals(contracts: ContractQuerySet, reporting: Reporting) -> dict:
    """The annual value and the spend of `contracts`, every filtered row (not one page's).
    Two queries."""
    chosen = contracts.order_by().values("pk")
    annual = Contract.objects.filter(pk__in=chosen).aggregate(
        total=Coalesce(Sum("annual_value"), Value(ZERO), **MONEY)
    )["total"]
    spend = ZERO
    if reporting.year is not None:
        year_figures = figures_as_at(reporting).filter(year=reporting.year)
        spend = year_figures.filter(line__contract__in=chosen).spend_totals()["actual"]
    return {"annual_value": annual.quantize(PENNY), "spend": spend}


def technology_spend(reporting: Reporting):
    """All technology actuals in the reporting year to the reporting date, from the year's
    twelve stored period totals (the same sum as every line's). One query."""
    if reporting.year is None:
        return ZERO
    periods = PeriodTotal.objects.as_at(reporting.year, reporting.as_at)
    return periods.filter(year=reporting.year).spend_totals()["actual"]


class ContractListMixin(SafeExportMixin, SingleTableMixin):
    """A table of contracts with spend as at the reporting date, exported as CSV or XLSX."""

    table_class = ContractSpendTable

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.reporting = reporting_for(request)
        self.as_at_date = as_at_date(self.reporting)
        self.technology_total = technology_spend(self.reporting)
        return super().get(request, *args, **kwargs)

    def get_table_kwargs(self) -> dict:
        return {
            "technology_total": self.technology_total,
            "as_at": self.as_at_date,
            "totals": register_totals(self.get_table_data(), self.reporting),
            "year_label": self.reporting.year.label if self.reporting.year else "",
        }

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        table = context["table"]
        if (on_page := several_pages_ids(table)) is not None:
            table.page_totals = register_totals(
                Contract.objects.filter(pk__in=on_page), self.reporting
            )
        return {
            **context,
            "reporting": self.reporting,
            "as_at_date": self.as_at_date,
            "technology_total": self.technology_total,
        }


class ContractRegisterView(ContractListMixin, FilterView):
    """`/contracts/`: every contract, filtered, with spend in the reporting year."""

    http_method_names = ["get", "head"]
    filterset_class = ContractFilter
    table_pagination = {"per_page": 50}  # totals and exports still cover every filtered row
    template_name = "contracts/index.html"
    export_name = "contracts"

    def get_queryset(self) -> ContractQuerySet:
        return with_spend(Contract.objects.all(), self.reporting)

    def get_filterset_kwargs(self, filterset_class) -> dict:
        return {**super().get_filterset_kwargs(filterset_class), "as_at_date": self.as_at_date}


class SupplierView(ContractListMixin, TemplateView):
    """`/contracts/suppliers/<pk>/`: one supplier's contracts, and its spend and share of
    technology spend by year (chart, table and CSV at `?data=share`)."""

    http_method_names = ["get", "head"]
    template_name = "contracts/supplier.html"
    table_pagination = False

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.supplier = get_object_or_404(Supplier, pk=kwargs["pk"])
        return super().get(request, *args, **kwargs)

    @property
    def export_name(self) -> str:
        return f"supplier-{self.supplier.pk}"

    def get_table_data(self) -> ContractQuerySet:
        return with_spend(self.supplier.contracts.all(), self.reporting)

    def get_table_kwargs(self) -> dict:
        return {**super().get_table_kwargs(), "exclude": ("supplier",)}

    def render_to_response(self, context, **kwargs) -> HttpResponse:
        chart = context["chart"]
        if self.request.GET.get("data") == "share":
            filename = f"supplier-{self.supplier.pk}-share.csv"
            return csv_response(filename, chart.columns, chart.rows)
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        years = figures_as_at(self.reporting).supplier_shares(
            self.supplier.pk, years=year_spend_as_at(self.reporting)
        )
        return {
            **super().get_context_data(**kwargs),
            "supplier": self.supplier,
            "years": years,
            "chart": charts.supplier_share_chart(
                name=self.supplier.name,
                rows=years,
                year_links=year_links(
                    years, self.reporting, "contracts:index", supplier=self.supplier.pk
                ),
            ),
        }


def year_links(years: list[dict], reporting: Reporting, name: str, **filters) -> dict:
    """Each year's page `name` (a register: the supplier's contracts, the contract's budget
    lines) filtered by `filters`, as at the reporting date in the reporting year."""
    return {
        row["year_label"]: page_url(
            name, query={**year_query(reporting.query, row["year_label"]), **filters}
        )
        for row in years
    }


def contract_history(contract: Contract) -> list[dict]:
    """The contract's saved versions, newest first: who, when, how (and why), and what
    changed (`common.history.differences`). One query."""
    records = list(contract.history.select_related("history_user").order_by("-history_id"))
    return [
        {
            "when": record.history_date,
            "who": record.history_user,
            "kind": record.get_history_type_display(),
            "reason": record.history_change_reason or "",
            "changes": differences(older, record) if older is not None else [],
        }
        # A contract loaded without history (bulk_create, loaddata) has no records at all.
        for record, older in zip(records, [*records[1:], None][: len(records)], strict=True)
    ]


def latest_extension(contract: Contract) -> ContractChange | None:
    extensions = contract.changes.filter(kind=ContractChange.Kind.EXTENSION)
    return extensions.order_by("effective_date", "pk").last()


def uncovered_by_lines(extension: ContractChange | None) -> list[tuple[BudgetLine, str]]:
    """The budget lines paying the extended contract that have no budget or forecast in
    some month the extension added (`BudgetLineQuerySet.uncovered_months`), each with those
    months in words."""
    term = extension.added_term if extension else None
    if term is None:
        return []
    lines = BudgetLine.objects.filter(contract_id=extension.contract_id)
    return [(line, month_spans(months)) for line, months in lines.uncovered_months(*term)]


def month_spans(months: list[date]) -> str:
    """Jan 2016 to Oct 2016, Dec 2016 (11 months): runs of consecutive months."""
    runs: list[list[date]] = []
    for month in months:
        if runs and add_months(runs[-1][-1], 1) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    text = ", ".join(
        f"{run[0]:%b %Y}" if len(run) == 1 else f"{run[0]:%b %Y} to {run[-1]:%b %Y}" for run in runs
    )
    return f"{text} ({len(months)} month{'s' if len(months) != 1 else ''})"


def initiatives_of(contract: Contract):
    """The savings initiatives naming `contract`, with planned and realised over all years."""
    return (
        Initiative.objects.filter(contract=contract)
        .annotate(
            planned=Coalesce(Sum("years__planned"), Value(ZERO), **MONEY),
            realised=Coalesce(Sum("years__realised"), Value(ZERO), **MONEY),
        )
        .order_by("code")
    )


LINES_SHOWN = 50  # a page of the contract's lines; `?lines=N` turns the pages


def lines_paying(contract: Contract, reporting: Reporting, number: str | None) -> dict:
    """The budget lines naming `contract` (in any year, inactive ones too) by code, a
    page of LINES_SHOWN at a time, so that the list stays the same size however many lines
    pay the contract. Gives `lines` (page `number`: the first when it is missing or not a
    number, the last when past the end); `lines_pages`, the (number, url) pairs of
    `get_elided_page_range` at the same reporting date, with no url for this page or an
    ellipsis; and `lines_url`, the budget lines register filtered to the contract, which
    sorts, totals and exports those with figures in the reporting year. Two queries."""
    lines = BudgetLine.objects.filter(contract=contract).select_related("category")
    page = Paginator(lines.order_by("code"), LINES_SHOWN).get_page(number)
    query = reporting.query

    def url(n: int) -> str:
        return page_url("contracts:detail", contract.reference, query={**query, "lines": n})

    paginator = page.paginator
    pages = paginator.get_elided_page_range(page.number) if paginator.num_pages > 1 else []
    return {
        "lines": page,
        "lines_pages": [
            (n, url(n) if isinstance(n, int) and n != page.number else None) for n in pages
        ],
        "lines_url": page_url("budgets:index", query={**query, "contract": contract.pk}),
    }


@require_safe
def contract_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """One contract: details, change timeline, spend by year (chart and CSV at
    `?data=spend`), the budget lines that pay it (a page at a time, `lines_paying`), its
    savings initiatives and history."""
    contract = get_object_or_404(Contract.objects.select_related("supplier"), reference=reference)
    reporting = reporting_for(request)
    years = figures_as_at(reporting).contract_shares(contract.pk, years=year_spend_as_at(reporting))
    chart = charts.contract_spend_chart(
        reference=contract.reference,
        annual_value=contract.annual_value,
        rows=years,
        year_links=year_links(years, reporting, "budgets:index", contract=contract.pk),
    )
    if request.GET.get("data") == "spend":
        return csv_response(f"{contract.reference}-spend.csv", chart.columns, chart.rows)
    day = as_at_date(reporting)
    expiry = Contract.objects.filter(pk=contract.pk).with_expiry_rag(day).get()
    initiatives = initiatives_of(contract)
    extension = latest_extension(contract)
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "reporting": reporting,
            "as_at_date": day,
            "expiry": expiry,
            "expiry_text": time_to_expiry(expiry, day),
            "changes": contract.changes.select_related("recorded_by"),
            **lines_paying(contract, reporting, request.GET.get("lines")),
            "initiatives": initiatives,
            "realised_total": initiatives.aggregate(total=Sum("realised"))["total"] or ZERO,
            "history": contract_history(contract),
            "extension": extension,
            "uncovered": uncovered_by_lines(extension),
            "chart": chart,
            "can_edit": request.user.has_perm("contracts.change_contract"),
            "can_record": request.user.has_perm("contracts.add_contractchange"),
        },
    )
