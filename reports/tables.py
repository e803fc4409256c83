"""Tables of the pages that live in reports: the contract register with spend, and the
history of changes."""

from datetime import datetime
from decimal import Decimal

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from common.money import format_percent, percent
from common.tables import NUM, MoneyColumn, PagedTotalsMixin
from contracts.tables import ContractTable


class ContractSpendTable(PagedTotalsMixin, ContractTable):
    """The register: contracts with the reporting year's spend to date on each (the actuals
    of the budget lines that name it) and its share of all technology spend. Rows need
    `spend` (`LineYearTotal.objects...contract_spend()`); `technology_total` is the year's
    technology actual to the same date; `totals` adds spend for the footer."""

    row_noun = "contracts"
    reference = tables.Column(
        linkify=True, verbose_name="Reference", footer=lambda table: table.total_label()
    )
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
        return format_percent(percent(spend, self.technology_total))

    def render_share(self, record) -> str:
        return self.share_text(record.spend)

    def value_share(self, record) -> Decimal | None:
        return percent(record.spend, self.technology_total)


class HistoryTable(tables.Table):
    """/history/: one row per recorded change, newest first. Rows come from
    `reports.history.DescribedChanges`; exports carry plain values (a naive local datetime
    for when, the changes as "field: old -> new" text)."""

    row_noun = "changes"
    when = tables.DateTimeColumn(verbose_name="When", format="j M Y, H:i")
    who = tables.Column(verbose_name="Who")
    action = tables.Column(verbose_name="Action")
    type_name = tables.Column(verbose_name="Record type")
    name = tables.Column(verbose_name="Record", linkify=lambda record: record["url"])
    changes = tables.Column(verbose_name="Changes", empty_values=())
    reason = tables.Column(
        verbose_name="Reason", accessor="history_change_reason", empty_values=(None, "")
    )

    class Meta:
        attrs = {"class": "data-table", "id": "history"}
        orderable = False
        empty_text = "No changes match these filters."

    def render_changes(self, value: list) -> str:
        if not value:
            return "—"
        items = format_html_join(
            "", "<li>{}: {} → {}</li>", ((field, old, new) for field, old, new in value)
        )
        return format_html('<ul class="changes">{}</ul>', items)

    def value_changes(self, value: list) -> str:
        return "; ".join(f"{field}: {old} -> {new}" for field, old, new in value)

    def value_when(self, value: datetime) -> datetime:
        # A date cell in a spreadsheet, an ISO date and time in CSV, at the local time.
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)

    def value_reason(self, value: str | None) -> str:
        return value or ""
