"""Keeping the stored totals (`budgets.models.totals`) exact: `refresh_line_year_totals`
adds them up again from the figures, set-based, in the caller's transaction. Every write
path of figures calls it (tests/budgets/test_totals_guard.py holds them to it); a single
figure's `save()` or `delete()` refreshes its own line and year (the signals below)."""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from budgets.models.figures import MonthlyFigure
from budgets.models.totals import PERIOD_SUMS, SUMS, LineYearTotal, PeriodTotal


def fresh_period_totals(year_ids: Iterable[int] | None = None, periods: Q | None = None):
    """The totals `PeriodTotal` stores, added up afresh from the figures of `year_ids`
    (None: every year), narrowed to `periods` (a filter on year_id and period; None: every
    period): one row per year and period, with year_id, period and the PERIOD_SUMS (as
    `total_<name>`)."""
    figures = MonthlyFigure.objects.all()
    if year_ids is not None:
        figures = figures.filter(year_id__in=year_ids)
    if periods is not None:
        figures = figures.filter(periods)
    return (
        figures.values("year_id", "period")
        .order_by()
        .annotate(**{f"total_{name}": expression for name, expression in PERIOD_SUMS.items()})
    )


def fresh_line_year_totals(scope: Q | None = None):
    """The totals `LineYearTotal` stores, added up afresh from the figures in `scope`: one
    row per line and year, with line_id, year_id and the SUMS (as `total_<name>`)."""
    return (
        MonthlyFigure.objects.filter(scope or Q())
        .values("line_id", "year_id")
        .order_by()
        .annotate(**{f"total_{name}": expression for name, expression in SUMS.items()})
    )


def _scope(
    year_ids: Iterable[int] | None,
    line_ids: Iterable[int] | None,
    pairs: Iterable[tuple[int, int]] | None,
) -> Q | None:
    """The lines and years to refresh as a filter (None: nothing to refresh)."""
    scope = Q()
    if year_ids is not None:
        year_ids = set(year_ids)
        scope &= Q(year_id__in=year_ids)
    if line_ids is not None:
        line_ids = set(line_ids)
        scope &= Q(line_id__in=line_ids)
    if pairs is not None:
        either = _by_year(((year_id, line_id) for line_id, year_id in pairs), "line_id")
        if either is None:
            return None
        scope &= either
    if year_ids == set() or line_ids == set():
        return None
    return scope


def refresh_line_year_totals(
    *,
    year_ids: Iterable[int] | None = None,
    line_ids: Iterable[int] | None = None,
    pairs: Iterable[tuple[int, int]] | None = None,
    periods: Iterable[tuple[int, int]] | None = None,
) -> None:
    """Recompute the stored totals of the given years, lines and (line, year) pairs (every
    one given narrows the rest; none given: all of them) from their figures, in the
    caller's transaction, and the period totals of their years (of every year, when only
    lines are given): per store one DELETE and one INSERT ... SELECT, whatever the number
    of lines. A writer that knows which periods it touched passes them as (year, period)
    pairs in `periods`, and only those periods' totals are added up again (a twelfth of a
    year's figures for a save of one period); the other periods' sums cannot have moved.

    Every writer of figures holds its years' row locks (`ensure_periods_open`,
    `check_version`) until it commits, so two refreshes of one year run one after the
    other, the second from the figures as the first left them."""
    year_ids = None if year_ids is None else set(year_ids)
    pairs = None if pairs is None else set(pairs)
    scope = _scope(year_ids, line_ids, pairs)
    if scope is None:
        return
    # The period totals of every year touched: each adds up all the year's lines.
    years = year_ids
    if pairs is not None:
        in_pairs = {year_id for _, year_id in pairs}
        years = in_pairs if years is None else years & in_pairs
    periods = None if periods is None else set(periods)
    within = _periods(periods)
    with transaction.atomic(savepoint=False):  # the caller's transaction, if any
        LineYearTotal.objects.filter(scope).delete()
        _insert(LineYearTotal, ["line_id", "year_id", *SUMS], fresh_line_year_totals(scope))
        if periods == set():  # no period's sums moved
            return
        stored = PeriodTotal.objects.all()
        if years is not None:
            stored = stored.filter(year_id__in=years)
        if within is not None:
            stored = stored.filter(within)
        stored.delete()
        _insert(
            PeriodTotal, ["year_id", "period", *PERIOD_SUMS], fresh_period_totals(years, within)
        )


def _periods(periods: set[tuple[int, int]] | None) -> Q | None:
    """(year, period) pairs as a filter on year_id and period (None: every period)."""
    return _by_year(periods or (), "period")


def _by_year(pairs: Iterable[tuple[int, int]], field: str) -> Q | None:
    """(year_id, value) pairs as a filter: per year, year_id and `field` in its values,
    either of them (None for no pairs)."""
    by_year = defaultdict(set)
    for year_id, value in pairs:
        by_year[year_id].add(value)
    if not by_year:
        return None
    either = Q()
    for year_id, values in sorted(by_year.items()):
        either |= Q(year_id=year_id, **{f"{field}__in": sorted(values)})
    return either


def _insert(model: type[models.Model], columns: list[str], rows: models.QuerySet) -> None:
    """INSERT ... SELECT `rows` (values in the order of `columns`) into `model`'s table."""
    select, params = rows.query.sql_with_params()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(c) for c in columns)}) {select}",
            params,
        )


@receiver(post_save, sender=MonthlyFigure, dispatch_uid="line_year_totals_on_save")
@receiver(post_delete, sender=MonthlyFigure, dispatch_uid="line_year_totals_on_delete")
def _refresh_one(sender, instance: MonthlyFigure, **kwargs) -> None:
    """One figure saved or deleted on its own: its line and year's totals follow."""
    if kwargs.get("raw"):  # loaddata: the fixture's totals arrive with it, or not at all
        return
    refresh_line_year_totals(
        pairs=[(instance.line_id, instance.year_id)],
        periods=[(instance.year_id, instance.period)],
    )
