"""Tables of the pages that live in reports."""

from decimal import Decimal

import django_tables2 as tables

from common.money import percent
from common.tables import NUM, MoneyColumn
from contracts.tables import ContractTable


class ContractSpendTable(ContractTable):
    """The register: contracts with the reporting year's spend to date on each (the actuals
    of the budget lines that name it) and its share of all technology spend. Rows need
    `spend` (`MonthlyFigure.objects...contract_spend()`); `technology_total` is the year's
    technology actual to the same date; `totals` adds spend for the footer."""

    spend = MoneyColumn(verbose_name="Spend", total_key="spend")
    share = tables.Column(
        verbose_name="Share of spend",
        empty_values=(),
        order_by=("spend",),
        attrs=NUM,
        footer=lambda table: table.share_text(table.totals.get("spend")),
    )

    class Meta(ContractTable.Meta):
        pass

    def __init__(
        self, *args, technology_total: Decimal | None, year_label: str = "", **kwargs
    ) -> None:
        self.technology_total = technology_total
        super().__init__(*args, **kwargs)
        if year_label:
            self.columns["spend"].column.verbose_name = f"Spend {year_label}"

    def share_text(self, spend: Decimal | None) -> str:
        share = percent(spend, self.technology_total)
        return "—" if share is None else f"{share}%"

    def render_share(self, record) -> str:
        return self.share_text(record.spend)

    def value_share(self, record) -> Decimal | None:
        return percent(record.spend, self.technology_total)

