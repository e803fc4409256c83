"""Fixtures of the close: tests/world.py as a month ends, 2014-15 closed through P2 (the
year was created so, on 5 June 2014 here), P3 next to close.

Worked by hand with a variance note needed beyond 10% and £50.00: NET-01 has no P3 actual;
CHG-01's P3 actual 300.00 is £100.00 (50%) over its 200.00 budget, and its full-year
outturn as at P3 (0 - 50 + 300 + 8 x 200 + 2,000 = 3,850.00) is £1,450.00 over 2,400.00;
every figure was last changed on 1 June, before P2 closed; MOBILE (in delivery) has no
change since. No contract decision falls due by 30 Dec 2014 (six months after P3 ends).
"""

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from budgets.models import MonthlyFigure
from savings.models import InitiativeYear
from savings.services import record_savings

P2_CLOSED = datetime(2014, 6, 5, 10, 0, tzinfo=UTC)
JUNE_1 = datetime(2014, 6, 1, 9, 0, tzinfo=UTC)
JUNE_10 = datetime(2014, 6, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def month(world, settings):
    """The world as the month ends: P2 closed on 5 June, figures last changed on 1 June."""
    settings.VARIANCE_NOTE_PERCENT = D("10")
    settings.VARIANCE_NOTE_AMOUNT = D("50")
    world["year"].history.update(history_date=P2_CLOSED)
    MonthlyFigure.objects.filter(year=world["year"]).update(updated_at=JUNE_1)
    return world


@pytest.fixture
def clear(month, finance_user):
    """Everything done before P3 closes: the actual entered, the variance explained, the
    forecasts reviewed and MOBILE's savings recorded after P2 closed."""
    year = month["year"]
    figures = MonthlyFigure.objects.filter(year=year)
    figures.filter(line__code="NET-01", period=3).update(actual=D("500.00"))
    figures.filter(line__code="CHG-01", period=3).update(note="Test kit bought early")
    figures.filter(period__gt=3).update(updated_at=JUNE_10)
    mobile = InitiativeYear.objects.get(initiative__code="MOBILE")
    record_savings(
        initiative_year=mobile, forecast=None, note="Reviewed after P2", user=finance_user
    )
    return month
