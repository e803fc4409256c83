"""The reporting date: which year a page shows and the period its figures are "as at".

Financial views are as at the end of the latest period with actuals in the selected year
(overridable with `?as_at=`), never the wall clock, so a committee pack printed next year
shows the same numbers.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpRequest

from budgets.models import FinancialYear, MonthlyFigure
from common.money import percent


@dataclass
class Reporting:
    year: FinancialYear | None
    as_at: int  # 0 = before P1; 12 = the whole year
    years: list[FinancialYear]
    as_at_overridden: bool = False

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
            return f"{self.year.label}, before any actuals"
        return f"{self.year.label} P{self.as_at} ({self.as_at_date:%-d %b %Y})"


def reporting_for(request: HttpRequest, year_label: str | None = None) -> Reporting:
    """Read `?year=` (or `year_label`) and `?as_at=`; default to the latest year with data.

    An unknown year is a 404; an `as_at` outside 0-12 is ignored. One query: each year
    comes with whether it has figures and its latest period with actuals.
    """
    figures = MonthlyFigure.objects.filter(year=OuterRef("pk"))
    years = list(
        FinancialYear.objects.annotate(
            has_figures=Exists(figures),
            latest_actual=Subquery(
                figures.filter(actual__isnull=False).order_by("-period").values("period")[:1]
            ),
        )
    )
    label = year_label or request.GET.get("year")
    if label:
        year = next((y for y in years if y.label == label), None)
        if year is None:
            raise Http404(f"No financial year {label}")
    else:
        # The latest year with any figures.
        with_data = [y for y in years if y.has_figures]
        year = with_data[-1] if with_data else (years[-1] if years else None)
    if year is None:
        return Reporting(year=None, as_at=0, years=years)
    requested = request.GET.get("as_at", "")
    if requested.upper().removeprefix("P").isdigit():
        as_at = int(requested.upper().removeprefix("P"))
        if 0 <= as_at <= 12:
            return Reporting(year=year, as_at=as_at, years=years, as_at_overridden=True)
    as_at = year.latest_actual or 0  # `MonthlyFigure.objects.latest_actual_period()`
    return Reporting(year=year, as_at=as_at, years=years)


def line_months(figures: list[MonthlyFigure], year: FinancialYear) -> list[dict]:
    """One line's figures of `year` as the line page's rows: the figure, its month, its
    budget, actual and stored forecast, what is shown as its forecast (forecast or budget,
    None once an actual exists), and the actual less budget in pounds and percent."""
    return [
        {
            "figure": f,
            "period": f.period,
            "month": year.period_start(f.period),
            "budget": f.budget,
            "actual": f.actual,
            "forecast": f.forecast,
            "forecast_shown": f.forecast_or_budget if f.actual is None else None,
            "variance": None if f.actual is None else f.actual - f.budget,
            "variance_pct": None if f.actual is None else percent(f.actual - f.budget, f.budget),
        }
        for f in figures
    ]
