"""The pre-close checklist of one period: what is still to do before it closes.

Each item is a question answered by the app that owns the data (`budgets.closing`, the
savings and contracts QuerySets); this module only puts the answers into words, one row
per thing to fix, with a link to the page where it is fixed. "Since the last close" is the
moment the period before this one was closed (`budgets.closing.closed_at`); in a year with
no period closed yet it means "since the figures were loaded": never changed by a person.
"""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from budgets import closing
from budgets.models import FinancialYear
from common.money import add_months, format_money
from contracts.models import Contract
from reports.dashboard import DECISION_WINDOW_MONTHS
from savings.checks import assurance_checks
from savings.models import InitiativeYear


@dataclass(frozen=True)
class Item:
    """One question of the checklist: its rows (plain dicts of what, where, detail and
    url, the page that fixes that row) and the page where such things are fixed."""

    key: str
    label: str
    rows: list[dict]
    fix_url: str
    fix_label: str

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class Checklist:
    year: FinancialYear
    period: int
    since: datetime | None  # when the previous period closed (None: none has)
    items: list[Item]

    @property
    def outstanding(self) -> int:
        """How many items still have rows."""
        return sum(1 for item in self.items if item.rows)

    @property
    def closed(self) -> bool:
        return self.period <= self.year.closed_through

    @property
    def next_to_close(self) -> int:
        return self.year.closed_through + 1

    @property
    def since_words(self) -> str:
        return _since_words(self.period, self.since)


def checklist_for(year: FinancialYear, period: int) -> Checklist:
    """The checklist of `year`'s `period` as the figures stand now."""
    since = closing.closed_at(year, period - 1)
    items = [
        missing_actuals_item(year, period),
        variance_notes_item(year, period),
        unreviewed_forecasts_item(year, period, since),
        savings_item(year, period, since),
        decisions_item(year, period),
        extensions_item(year),
        *assurance_items(year),
    ]
    return Checklist(year=year, period=period, since=since, items=items)


def _since_words(period: int, since: datetime | None) -> str:
    if since is None:
        return "since the figures were loaded"
    return f"since P{period - 1} closed on {_day(since)}"


def _day(moment) -> str:
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment)
    return f"{moment:%-d %b %Y}"


def _line(line) -> str:
    return f"{line.code} {line.name}"


def _period_url(year: FinancialYear, period: int) -> str:
    return reverse("budgets:period", args=[year.label, period])


def missing_actuals_item(year: FinancialYear, period: int) -> Item:
    rows = [
        {
            "what": _line(figure.line),
            "where": f"P{figure.period}",
            "detail": f"No actual entered (budget {format_money(figure.budget)})",
            "url": _period_url(year, figure.period),
        }
        for figure in closing.missing_actuals(year, period)
    ]
    return Item(
        key="missing_actuals",
        label="Lines missing actuals",
        rows=rows,
        fix_url=_period_url(year, period),
        fix_label=f"Enter actuals for P{period}",
    )


def variance_notes_item(year: FinancialYear, period: int) -> Item:
    """Actuals of the open periods, and full-year forecast outturns, far enough from budget
    to need a note (the entry grid's rule) that have none."""
    rows = [
        {
            "what": _line(figure.line),
            "where": f"P{figure.period} actual",
            "detail": _against(figure.actual, figure.budget, "Actual"),
            "url": _period_url(year, figure.period),
        }
        for figure in closing.unexplained_actuals(year, period)
    ]
    rows += [
        {
            "what": _line(line),
            "where": "Full-year forecast",
            "detail": _against(line.outturn, line.full_year_budget, "Forecast outturn"),
            "url": _period_url(year, period),
        }
        for line in closing.unexplained_outturns(year, period)
    ]
    return Item(
        key="variance_notes",
        label="Actuals and full-year forecasts that need a variance note",
        rows=rows,
        fix_url=_period_url(year, period),
        fix_label=f"Write the notes on the P{period} page",
    )


def _against(amount, budget, what: str) -> str:
    gap = amount - budget
    side = "over" if gap > 0 else "under"
    return (
        f"{what} {format_money(amount)} against budget {format_money(budget)}: "
        f"{format_money(abs(gap))} {side}, no note"
    )


def unreviewed_forecasts_item(year: FinancialYear, period: int, since: datetime | None) -> Item:
    forecast_url = reverse("budgets:forecast", args=[year.label])
    rows = []
    for row in closing.unreviewed_forecasts(year, period):
        first, last, stale = row["first_period"], row["last_period"], row["stale"]
        where = f"P{first}" if first == last else f"P{first} to P{last}"
        if stale != last - first + 1:
            where += f" ({stale} periods)"
        rows.append(
            {
                "what": f"{row['line__code']} {row['line__name']}",
                "where": where,
                "detail": f"Not changed {_since_words(period, since)}; last changed "
                f"{_day(row['last_changed'])}",
                "url": forecast_url,
            }
        )
    return Item(
        key="unreviewed_forecasts",
        label="Forecasts not reviewed since the last close",
        rows=rows,
        fix_url=forecast_url,
        fix_label=f"Review the forecasts for {year.label}",
    )


def savings_item(year: FinancialYear, period: int, since: datetime | None) -> Item:
    stale = (
        InitiativeYear.objects.filter(year=year)
        .not_updated_since(since)
        .select_related("initiative")
        .order_by("initiative__code")
    )
    rows = [
        {
            "what": f"{row.initiative.code} {row.initiative.name}",
            "where": row.initiative.get_stage_display(),
            "detail": (
                f"Realised {format_money(row.realised)}"
                if row.realised is not None
                else "No realised saving recorded"
            )
            + f"; not updated {_since_words(period, since)}",
            "url": reverse("savings:record", args=[row.initiative.code, year.label]),
        }
        for row in stale
    ]
    return Item(
        key="savings_not_updated",
        label="Initiatives whose realised savings were not updated since the last close",
        rows=rows,
        fix_url=reverse("savings:index"),
        fix_label="Record realised savings",
    )


def decision_cutoff(year: FinancialYear, period: int):
    """The dashboard's window: decisions due within six months of the period's end."""
    return add_months(year.period_end(period), DECISION_WINDOW_MONTHS)


def decisions_item(year: FinancialYear, period: int) -> Item:
    cutoff = decision_cutoff(year, period)
    contracts = (
        Contract.objects.decision_due_by(cutoff)
        .select_related("supplier")
        .order_by("end_date", "reference")
    )
    rows = [
        {
            "what": f"{contract.reference} {contract.title}",
            "where": contract.supplier.name,
            "detail": f"Decision due by {_day(contract.decision_date)}; "
            f"ends {_day(contract.end_date)}",
            "url": contract.get_absolute_url(),
        }
        for contract in contracts
    ]
    return Item(
        key="decisions_due",
        label=f"Contract decisions due by {_day(cutoff)}",
        rows=rows,
        fix_url=reverse("contracts:index"),
        fix_label="The contract register",
    )


def extensions_item(year: FinancialYear) -> Item:
    rows = [
        {
            "what": f"{row['change'].contract.reference} {row['change'].contract.title}",
            "where": _line(row["line"]),
            "detail": f"Extended to {_day(row['change'].new_end_date)}: no budget or forecast "
            f"for {_periods(row['periods'])}",
            "url": row["change"].contract.get_absolute_url(),
        }
        for row in closing.unbudgeted_extensions(year)
    ]
    return Item(
        key="unbudgeted_extensions",
        label="Contracts extended with unbudgeted months",
        rows=rows,
        fix_url=reverse("budgets:forecast", args=[year.label]),
        fix_label=f"Forecast the added months for {year.label}",
    )


def _periods(periods: list[int]) -> str:
    """P4 to P6, P9: runs of consecutive periods."""
    runs: list[list[int]] = []
    for period in periods:
        if runs and runs[-1][-1] + 1 == period:
            runs[-1].append(period)
        else:
            runs.append([period])
    return ", ".join(f"P{r[0]}" if len(r) == 1 else f"P{r[0]} to P{r[-1]}" for r in runs)


def assurance_items(year: FinancialYear) -> list[Item]:
    """The savings assurance checks of `savings.checks` for the year: possible double
    counts, realised beyond the fall in spend, claims without evidence or awaiting
    validation too long. Each row links to its initiative, where claims are decided."""
    return [
        Item(
            key=check["key"],
            label=check["label"],
            rows=[{**row, "where": ""} for row in check["rows"]],
            fix_url=reverse("savings:index"),
            fix_label="Review savings claims",
        )
        for check in assurance_checks(year=year)
    ]
