"""Each adjustment kind against figures worked out by hand on the small world (tests/world.py).

The world's plan is 2013-14 (closed through P12) and 2014-15 (closed through P2). Live
2014-15 as at P2: budget 20,400.00; outturn 22,000.00 (OUT-01 2,200.00 of actuals, P3 at
its budget 1,000.00, P4-P6 at the forecast 1,050.00, P7-P12 at the budget 1,000.00:
12,350.00; NET-01 900.00 + 10 x 500.00 = 5,900.00; CHG-01 0.00 - 50.00 + 9 x 200.00 +
2,000.00 = 3,750.00). Savings forecast 8,000.00 (CAP-RENEG 5,000.00 and APP-RAT 3,000.00,
both amber by default) against a target of 10,000.00: a gap of 2,000.00.
"""

from datetime import date
from decimal import Decimal as D

import pytest

from contracts.models import Contract
from savings.models import Initiative, InitiativeYear
from scenarios.engine import compute
from scenarios.models import Adjustment

pytestmark = pytest.mark.django_db
Kind = Adjustment.Kind


def year(results, label: str):
    return next(r for r in results.years if r.year.label == label)


def test_base_of_the_world_is_as_worked_out_by_hand(world):
    results = compute([])
    this = year(results, "2014-15")
    assert this.base["budget"] == D("20400.00")
    assert this.base["outturn"] == D("22000.00")
    assert this.base["variance"] == D("1600.00")
    assert this.base["savings"] == D("8000.00")
    assert this.base["gap"] == D("2000.00")
    assert this.base["cumulative_savings"] == D("8000.00")
    assert this.base["cumulative_share"] == D("8.0")
    assert this.scenario == this.base
    assert year(results, "2013-14").base["outturn"] == D("10800.00")
    assert results.lines == results.contracts == results.initiatives == []


def test_cancel_stops_the_lines_after_the_notice_and_adds_the_exit_cost(world):
    # Notice on 1 Jul 2014 + 6 months: stops 1 Jan 2015, so OUT-01's P10-P12 (1,000.00
    # each) go; the exit cost of 500.00 falls in 2014-15. Outturn 22,000 - 3,000 + 500.
    cancel = Adjustment(
        kind=Kind.CANCEL,
        contract=world["contracts"]["cap"],
        on_date=date(2014, 7, 1),
        amount=D("500.00"),
    )
    results = compute([cancel])
    this = year(results, "2014-15")
    assert this.scenario["outturn"] == D("19500.00")
    assert this.scenario["variance"] == D("-900.00")
    # The 2,500.00 taken off the outturn is a saving: 8,000 + 2,500, 500 over target.
    assert this.scenario["savings"] == D("10500.00")
    assert this.scenario["gap"] == D("-500.00")
    assert this.scenario["cumulative_savings"] == D("10500.00")
    assert this.scenario["cumulative_share"] == D("10.5")
    assert results.lines == [{"code": "OUT-01", "name": "Capgemini service", "change": D("-3000")}]
    assert results.contracts == [{"reference": "CAP-2005", "change": D("-2500.00")}]
    assert year(results, "2013-14").scenario["outturn"] == D("10800.00")


def test_renegotiate_scales_forecasts_from_the_first_month_after_the_date(world):
    # From 15 Aug 2014: September (P6) on. P6 1,050.00 -> 945.00; P7-P12 1,000.00 -> 900.00.
    reneg = Adjustment(
        kind=Kind.RENEGOTIATE,
        contract=world["contracts"]["cap"],
        on_date=date(2014, 8, 15),
        percent=D("-10"),
    )
    this = year(compute([reneg]), "2014-15")
    assert this.scenario["outturn"] == D("22000.00") - D("105.00") - 6 * D("100.00")


def test_renegotiate_rounds_each_month_half_up_to_the_penny(world):
    # +3.333%: 1,050.00 -> 1,084.9965 -> 1,085.00 (P4-P6); 1,000.00 -> 1,033.33 (P7-P12).
    reneg = Adjustment(
        kind=Kind.RENEGOTIATE,
        contract=world["contracts"]["cap"],
        on_date=date(2014, 7, 1),
        percent=D("3.333"),
    )
    this = year(compute([reneg]), "2014-15")
    assert this.scenario["outturn"] == D("22000.00") + 3 * D("35.00") + 6 * D("33.33")


def test_extend_charges_the_annual_value_monthly_after_the_old_end(world):
    # CAP-2005 ending 30 Sep 2014, extended to 31 Jan 2015 at 6,000.00 a year: October to
    # January (P7-P10) cost 500.00 a month on its one line instead of 1,000.00.
    Contract.objects.filter(pk=world["contracts"]["cap"].pk).update(end_date=date(2014, 9, 30))
    extend = Adjustment(
        kind=Kind.EXTEND,
        contract=Contract.objects.get(reference="CAP-2005"),
        on_date=date(2015, 1, 31),
        amount=D("6000.00"),
    )
    results = compute([extend])
    assert year(results, "2014-15").scenario["outturn"] == D("20000.00")
    assert results.contracts == [{"reference": "CAP-2005", "change": D("-2000.00")}]


def test_set_forecast_never_changes_an_entered_actual(world):
    # NET-01 to 400.00 a month from 2014-15 P2: P2 has its actual (450.00) and stays; P3
    # to P12 go from 500.00 to 400.00.
    set_forecast = Adjustment(
        kind=Kind.SET_FORECAST,
        line=world["lines"]["net"],
        year=world["year"],
        period=2,
        amount=D("400.00"),
    )
    results = compute([set_forecast])
    assert year(results, "2014-15").scenario["outturn"] == D("21000.00")
    assert results.lines == [{"code": "NET-01", "name": "Network services", "change": D("-1000")}]
    assert results.contracts == [{"reference": "BT-NET", "change": D("-1000.00")}]


def test_scale_multiplies_an_initiatives_forecast(world):
    # CAP-RENEG 5,000.00 x 0.333 = 1,665.00: savings 8,000 - 5,000 + 1,665.
    scale = Adjustment(kind=Kind.SCALE, initiative=world["initiatives"]["reneg"], factor=D("0.333"))
    results = compute([scale])
    this = year(results, "2014-15")
    assert this.scenario["savings"] == D("4665.00")
    assert this.scenario["gap"] == D("5335.00")
    assert this.scenario["outturn"] == this.base["outturn"]
    assert results.initiatives == [
        {"code": "CAP-RENEG", "name": "Renegotiate", "base": D("5000.00"), "scenario": D("1665.00")}
    ]


def test_slip_moves_the_months_share_into_the_next_year(world):
    # APP-RAT also plans 1,200.00 in 2013-14. Three months later: 2013-14 keeps 900.00 and
    # 300.00 moves into 2014-15, which keeps 2,250.00 of its 3,000.00; 750.00 slips past
    # the plan's last year.
    InitiativeYear.objects.create(
        initiative=world["initiatives"]["apps"], year=world["base_year"], planned=D("1200.00")
    )
    slip = Adjustment(kind=Kind.SLIP, initiative=world["initiatives"]["apps"], months=3)
    results = compute([slip])
    before, this = year(results, "2013-14"), year(results, "2014-15")
    assert before.base["savings"] == D("1200.00")
    assert before.scenario["savings"] == D("900.00")
    assert this.scenario["savings"] == D("8000.00") - D("3000.00") + D("2250.00") + D("300.00")
    assert this.base["cumulative_savings"] == D("9200.00")
    assert this.scenario["cumulative_savings"] == D("8450.00")
    assert results.savings_beyond_plan == D("750.00")


def test_confidence_weights_discount_each_initiatives_forecast(world):
    # CAP-RENEG green (100%): 5,000.00; APP-RAT red (30%): 900.00.
    Initiative.objects.filter(code="CAP-RENEG").update(confidence="green")
    Initiative.objects.filter(code="APP-RAT").update(confidence="red")
    this = year(compute([], weight_by_confidence=True), "2014-15")
    assert this.scenario["savings"] == D("5900.00")
    assert this.scenario["gap"] == D("4100.00")


def test_default_weights_count_amber_at_seventy_percent(world):
    this = year(compute([], weight_by_confidence=True), "2014-15")
    assert this.scenario["savings"] == D("5600.00")


def test_adjustments_apply_in_order_a_later_forecast_overriding_a_cancellation(world):
    # Cancelled from 1 Jul 2014 (P10-P12 to nil), then OUT-01 set to 800.00 from P11: P10
    # 1,000.00 goes, P11 and P12 go to 800.00 each: 22,000 - 1,000 - 2 x 200.
    adjustments = [
        Adjustment(kind=Kind.CANCEL, contract=world["contracts"]["cap"], on_date=date(2014, 7, 1)),
        Adjustment(
            kind=Kind.SET_FORECAST,
            line=world["lines"]["out"],
            year=world["year"],
            period=11,
            amount=D("800.00"),
        ),
    ]
    assert year(compute(adjustments), "2014-15").scenario["outturn"] == D("20600.00")


def test_a_stored_cancellation_past_the_plan_changes_nothing_and_does_not_fail(world):
    # Checked when saved, then the live data moved: the notice now runs out after the plan.
    cancel = Adjustment(
        kind=Kind.CANCEL,
        contract=world["contracts"]["cap"],
        on_date=date(2015, 1, 1),
        amount=D("500.00"),
    )
    results = compute([cancel])
    assert year(results, "2014-15").scenario["outturn"] == D("22000.00")
    assert results.contracts == []
