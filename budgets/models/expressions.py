"""Money expressions and RAG: the terms every budgets figure is summed from."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    ExpressionWrapper,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan

from common.money import MONEY, percent

PERIODS = range(1, 13)


class Rag(models.TextChoices):
    """Red / amber / green status. Always shown with its word, never by colour alone."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


# Forecast outturn against budget: an overspend above RED is red, above AMBER is amber;
# an underspend beyond UNDERSPEND is amber too, because it usually means slippage.
RAG_RED_OVERSPEND_PERCENT = Decimal(getattr(settings, "RAG_RED_OVERSPEND_PERCENT", "5"))
RAG_AMBER_OVERSPEND_PERCENT = Decimal(getattr(settings, "RAG_AMBER_OVERSPEND_PERCENT", "1"))
RAG_AMBER_UNDERSPEND_PERCENT = Decimal(getattr(settings, "RAG_AMBER_UNDERSPEND_PERCENT", "10"))


# SHADOWING: an annotation named like a column (budget, actual, forecast) hides the column
# from the annotations after it, so sums that read those columns come first.


def variance_rag(variance, budget) -> Case:
    """SQL for the RAG of a variance (outturn - budget), comparing without division."""
    return Case(
        When(_over(variance, budget, RAG_RED_OVERSPEND_PERCENT), then=Value(Rag.RED)),
        When(_over(variance, budget, RAG_AMBER_OVERSPEND_PERCENT), then=Value(Rag.AMBER)),
        When(_over(-variance, budget, RAG_AMBER_UNDERSPEND_PERCENT), then=Value(Rag.AMBER)),
        default=Value(Rag.GREEN),
        output_field=models.CharField(),
    )


def _over(variance, budget, percent: Decimal) -> GreaterThan:
    """variance * 100 > budget * percent, as a boolean SQL expression."""
    return GreaterThan(
        ExpressionWrapper(variance * Value(Decimal(100)), output_field=MONEY),
        ExpressionWrapper(budget * Value(percent), output_field=MONEY),
    )


def rag_for(variance: Decimal, budget: Decimal) -> str:
    """The same rule as `variance_rag`, for values already in Python."""
    if variance * 100 > budget * RAG_RED_OVERSPEND_PERCENT:
        return Rag.RED
    if variance * 100 > budget * RAG_AMBER_OVERSPEND_PERCENT:
        return Rag.AMBER
    if -variance * 100 > budget * RAG_AMBER_UNDERSPEND_PERCENT:
        return Rag.AMBER
    return Rag.GREEN


def expected_spend(as_at: int, prefix: str = "") -> Case:
    """A figure's expected spend as at period `as_at`, the term the outturn adds up.

    Up to `as_at`: the actual, or where none was entered yet the forecast or else the
    budget (a missing actual is not a zero spend). After `as_at`: the forecast or else the
    budget. So the outturn as at the latest actual agrees with `spend_by_year`.
    """
    actual, forecast, budget = (f"{prefix}{name}" for name in ("actual", "forecast", "budget"))
    return Case(
        When(**{f"{prefix}period__lte": as_at}, then=Coalesce(actual, forecast, budget)),
        default=Coalesce(forecast, budget),
        output_field=MONEY,
    )


def with_variance(row: dict) -> dict:
    """Add variance (outturn - budget), variance_pct and rag to a row of sums."""
    row["variance"] = row["outturn"] - row["budget"]
    row["variance_pct"] = percent(row["variance"], row["budget"])
    row["rag"] = rag_for(row["variance"], row["budget"])
    return row
