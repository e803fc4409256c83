from datetime import date

import django_tables2 as tables
from django.utils.html import format_html

from common.rag import RAG_WORDS
from common.tables import MoneyColumn
from common.templatetags.common import rag
from contracts.models import Contract


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (negative when `end` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and end.day < start.day:
        months -= 1
    elif months < 0 and end.day > start.day:
        months += 1
    return months


def time_to_expiry(contract: Contract, as_at: date) -> str:
    if contract.status == Contract.Status.TERMINATED:
        return "Terminated"
    if contract.end_date < as_at:
        return "Ended"
    months = months_between(as_at, contract.end_date)
    if months == 0:
        return "Under 1 month"
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts)


class ContractTable(tables.Table):
    """A list of contracts with their dates, value and time to expiry: the columns that
    need only contracts. Rows come from `ContractQuerySet.with_expiry_rag`; `as_at` is the
    reporting date; `totals` (annual_value) feeds the footer. The register adds spend
    (reports.tables.ContractSpendTable)."""

    reference = tables.Column(linkify=True, verbose_name="Reference")
    supplier = tables.Column(
        linkify=lambda record: record.supplier.get_absolute_url(), order_by=("supplier__name",)
    )
    title = tables.Column()
    start_date = tables.DateColumn(verbose_name="Start", short=False)
    end_date = tables.DateColumn(verbose_name="End", short=False)
    decision_date = tables.DateColumn(
        verbose_name="Decision date", orderable=False, accessor="decision_date", short=False
    )
    annual_value = MoneyColumn(verbose_name="Annual value", total_key="annual_value")
    status = tables.Column()
    time_to_expiry = tables.Column(
        verbose_name="Time to expiry", empty_values=(), order_by=("end_date",)
    )

    class Meta:
        model = Contract
        fields = ()
        sequence = (
            "reference",
            "supplier",
            "title",
            "start_date",
            "end_date",
            "decision_date",
            "annual_value",
            "...",
            "status",
            "time_to_expiry",
        )
        attrs = {"class": "data-table wide-table"}
        orderable = True
        empty_text = "No contracts match these filters."

    def __init__(self, *args, as_at: date, totals: dict | None = None, **kwargs):
        self.as_at = as_at
        self.totals = totals or {}
        super().__init__(*args, **kwargs)

    def render_decision_date(self, value: date, record) -> str:
        text = f"{value:%-d %b %Y}"
        if record.expiry_rag and value < self.as_at:  # live, and notice is already late
            return format_html('{} <span class="tag">passed</span>', text)
        return text

    def value_decision_date(self, value: date) -> date:
        # The date itself: ISO in CSV, a date cell in XLSX; "passed" is for the page.
        return value

    def render_time_to_expiry(self, record) -> str:
        return format_html("{} {}", rag(record.expiry_rag), time_to_expiry(record, self.as_at))

    def value_time_to_expiry(self, record) -> str:
        text = time_to_expiry(record, self.as_at)
        word = RAG_WORDS.get(record.expiry_rag)
        return f"{text} ({word})" if word else text
