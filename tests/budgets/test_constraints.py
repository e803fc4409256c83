"""The database itself refuses bad budget rows, whatever the write path."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from budgets.models import BudgetLine, Category, FinancialYear, MonthlyFigure

pytestmark = pytest.mark.django_db


def _refused(create, **fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create(**fields)


def _figure(world, **overrides) -> dict:
    # 2013-14 has no NET-01 figures, so this row is new unless a test says otherwise.
    fields = {
        "line": world["lines"]["net"],
        "year": world["base_year"],
        "period": 1,
        "budget": D("500.00"),
    }
    return {**fields, **overrides}


def test_a_valid_figure_is_accepted(world):
    MonthlyFigure.objects.create(**_figure(world))
    assert MonthlyFigure.objects.filter(line__code="NET-01", year__label="2013-14").count() == 1


def test_one_figure_per_line_year_and_period(world):
    _refused(MonthlyFigure.objects.create, **_figure(world, year=world["year"]))


@pytest.mark.parametrize("period", [0, 13])
def test_period_is_between_1_and_12(world, period):
    _refused(MonthlyFigure.objects.create, **_figure(world, period=period))


@pytest.mark.parametrize("period", [1, 12])
def test_periods_1_and_12_are_accepted(world, period):
    created = MonthlyFigure.objects.create(**_figure(world, period=period))

    stored = MonthlyFigure.objects.get(pk=created.pk)
    assert (stored.line.code, stored.year.label, stored.period) == ("NET-01", "2013-14", period)


def test_budget_cannot_be_negative(world):
    _refused(MonthlyFigure.objects.create, **_figure(world, budget=D("-0.01")))


def test_a_negative_actual_is_a_credit_note_and_is_accepted(world):
    figure = MonthlyFigure.objects.create(**_figure(world, actual=D("-978.00")))
    figure.refresh_from_db()
    assert figure.actual == D("-978.00")


def test_a_negative_forecast_is_accepted(world):
    figure = MonthlyFigure.objects.create(**_figure(world, forecast=D("-100.00")))
    figure.refresh_from_db()
    assert figure.forecast == D("-100.00")


def test_line_code_is_unique(world):
    _refused(
        BudgetLine.objects.create,
        code="OUT-01",
        name="Again",
        category=world["lines"]["out"].category,
    )


def test_category_name_is_unique(world):
    _refused(Category.objects.create, name="Networks")


def test_year_label_and_start_are_unique(world):
    _refused(FinancialYear.objects.create, label="2014-15", start=date(2030, 4, 1))
    _refused(FinancialYear.objects.create, label="2030-31", start=date(2014, 4, 1))


def test_a_year_closes_through_12_at_most(world):
    _refused(
        FinancialYear.objects.create, label="2015-16", start=date(2015, 4, 1), closed_through=13
    )


def test_a_line_with_figures_cannot_be_deleted(world):
    with pytest.raises(ProtectedError), transaction.atomic():
        world["lines"]["out"].delete()
