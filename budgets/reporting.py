"""The reporting date: which year a page shows and the period its figures are "as at".

Financial views are as at the end of the last **closed** period of the selected year (the
start of the year when none is closed), never the wall clock and never a period still
being entered. A later period can be chosen with `?as_at=`; it is then "in progress" and
labelled with how complete its actuals are. The default year is the latest one with a
closed period, else the latest with actuals, else the latest with any figures.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpRequest

from budgets.models import FinancialYear, MonthlyFigure, PeriodTotal
from common.money import percent


@dataclass
class Reporting:
    year: FinancialYear | None
    as_at: int  # 0 = before P1; 12 = the whole year
    years: list[FinancialYear]
    as_at_overridden: bool = False
    # For a period in progress: how many lines have its actual, of how many with figures.
    lines_with_actuals: int = 0
    lines_total: int = 0

    @property
    def closed_through(self) -> int:
        return self.year.closed_through if self.year else 0

    @property
    def in_progress(self) -> bool:
        """The chosen period is not closed: its actuals may be incomplete."""
        return self.year is not None and self.as_at > self.closed_through

    @property
    def latest_actual(self) -> int:
        return getattr(self.year, "latest_actual", None) or 0

    @property
    def beyond_data(self) -> bool:
        """The chosen period is after the last period with any actual."""
        return self.year is not None and self.as_at > self.latest_actual

    @property
    def as_at_date(self) -> date | None:
        if self.year is None:
            return None
        if self.as_at == 0:
            return self.year.start
        return self.year.period_end(self.as_at)

    @property
    def label(self) -> str:
        if self.year is None:
            return "no data"
        if self.as_at == 0:
            return f"{self.year.label}, before any period is closed"
        return f"{self.year.label} P{self.as_at} ({self.as_at_date:%-d %b %Y})"

    @property
    def status(self) -> str:
        """The reporting period in words: closed, or in progress with its completeness."""
        if self.year is None:
            return ""
        if self.in_progress:
            return (
                f"P{self.as_at} in progress: actuals for {self.lines_with_actuals} of "
                f"{self.lines_total} lines"
            )
        if self.as_at == 0:
            return f"No period of {self.year.label} is closed yet"
        return f"P{self.as_at} closed"

    @property
    def periods(self) -> list[dict]:
        """P1-P12 for the period selector: number, closed or not, chosen or not."""
        if self.year is None:
            return []
        return [
            {"n": n, "closed": n <= self.closed_through, "chosen": n == self.as_at}
            for n in range(1, 13)
        ]

    @property
    def query(self) -> dict:
        """The query string that reproduces this reporting date on another page."""
        if self.year is None:
            return {}
        query = {"year": self.year.label}
        if self.as_at_overridden:
            query["as_at"] = self.as_at
        return query


def _default_year(years: list[FinancialYear]) -> FinancialYear | None:
    for has in (
        lambda y: y.closed_through > 0,
        lambda y: y.latest_actual,
        lambda y: y.has_figures,
    ):
        found = [y for y in years if has(y)]
        if found:
            return found[-1]
    return years[-1] if years else None


def _requested_period(request: HttpRequest) -> int | None:
    requested = request.GET.get("as_at", "").strip().upper().removeprefix("P")
    if requested.isdigit() and 0 <= int(requested) <= 12:
        return int(requested)
    return None


def years_with_figures() -> list[FinancialYear]:
    """Every financial year, each with `has_figures` and `latest_actual` (its latest period
    with an actual, None for none: what `actuals_run_past` reads instead of a query of its
    own). One query."""
    # Read from the twelve stored period totals a year: a period has one when it has figures,
    # and an actual total when any of its figures has an actual.
    figures = PeriodTotal.objects.filter(year=OuterRef("pk"))
    return list(
        FinancialYear.objects.annotate(
            has_figures=Exists(figures),
            latest_actual=Subquery(
                figures.filter(actual__isnull=False).order_by("-period").values("period")[:1]
            ),
        )
    )


def reporting_for(request: HttpRequest, year_label: str | None = None) -> Reporting:
    """Read `?year=` (or `year_label`) and `?as_at=`; default to the last closed period.

    An unknown year is a 404; an `as_at` outside 0-12 is ignored. One query for the years
    (each with whether it has figures and its latest period with actuals) and, for a period
    in progress, one more for its completeness.
    """
    years = years_with_figures()
    label = year_label or request.GET.get("year")
    if label:
        year = next((y for y in years if y.label == label), None)
        if year is None:
            raise Http404(f"No financial year {label}")
    else:
        year = _default_year(years)
    if year is None:
        return Reporting(year=None, as_at=0, years=years)
    requested = _requested_period(request)
    reporting = Reporting(
        year=year,
        as_at=year.closed_through if requested is None else requested,
        years=years,
        as_at_overridden=requested is not None,
    )
    if reporting.in_progress:
        counts = MonthlyFigure.objects.for_year(year).period_completeness(reporting.as_at)
        reporting.lines_with_actuals, reporting.lines_total = counts
    return reporting


def line_months(figures: list[MonthlyFigure], year: FinancialYear) -> list[dict]:
    """One line's figures of `year` as the line page's rows: the figure, its month, its
    revised and original budget, committed, actual and stored forecast, what is shown as
    its forecast (forecast or budget, None once an actual exists), and the actual less
    budget in pounds and percent."""
    return [
        {
            "figure": f,
            "period": f.period,
            "month": year.period_start(f.period),
            "budget": f.budget,
            "original_budget": f.original_budget,
            "committed": f.committed,
            "actual": f.actual,
            "forecast": f.forecast,
            "forecast_shown": f.forecast_or_budget if f.actual is None else None,
            "variance": None if f.actual is None else f.actual - f.budget,
            "variance_pct": None if f.actual is None else percent(f.actual - f.budget, f.budget),
        }
        for f in figures
    ]


def reporting_at(year: FinancialYear, period: int) -> Reporting:
    """The reporting date of a published report: `year` as at `period`, chosen explicitly."""
    return Reporting(year=year, as_at=period, years=[year], as_at_overridden=True)
