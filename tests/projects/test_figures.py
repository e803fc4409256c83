"""The figures the pages, dashboard and reports show, worked by hand from
tests/projects/world.py and tests/world.py."""

from datetime import date
from decimal import Decimal as D

import pytest

from projects.figures import (
    devices_headline,
    format_quantity,
    fte_assumption,
    fte_for_hours,
    measure_curve,
    measures_progress,
    project_spend,
    project_timeline,
    projects_summary,
    spend_per_officer_by_year,
)
from projects.models import BenefitMeasure, OfficerCount

pytestmark = pytest.mark.django_db


def test_projects_summary_as_at_june_2015(projects):
    summary = projects_summary(date(2015, 6, 30))
    # Judged: CC (10,000 -> 11,500, 8 months late) and MOB (6,000 -> 6,300, 1 month);
    # OLD closed in January, BC has no baseline.
    assert summary["projects"] == 2
    assert summary["red_on_cost"] == 1
    assert summary["red_on_schedule"] == 1
    assert summary["red"] == 1
    assert summary["total_baseline"] == D("16000.00")
    assert summary["total_forecast"] == D("17800.00")
    assert summary["total_growth"] == D("1800.00")
    assert summary["total_growth_pct"] == D("11.3")  # 11.25, half-up
    assert summary["red_projects"] == [
        {
            "code": "CC",
            "name": "Command and control",
            "cost_growth": D("1500.00"),
            "cost_growth_pct": D("15.0"),
            "slip_months": 8,
            "cost_rag": "red",
            "schedule_rag": "red",
        }
    ]


def test_projects_summary_as_at_december_2014_counts_what_was_open_then(projects):
    summary = projects_summary(date(2014, 12, 31))
    # CC 10,000 -> 10,400; MOB 6,000 -> 5,000; OLD 2,000 -> 3,000 (red on cost).
    assert summary["projects"] == 3
    assert (summary["red_on_cost"], summary["red_on_schedule"], summary["red"]) == (1, 0, 1)
    assert summary["total_baseline"] == D("18000.00")
    assert summary["total_forecast"] == D("18400.00")
    assert summary["total_growth"] == D("400.00")
    assert summary["total_growth_pct"] == D("2.2")
    assert [row["code"] for row in summary["red_projects"]] == ["OLD"]


def test_projects_summary_with_no_projects_is_zero(db):
    summary = projects_summary(None)
    assert summary["projects"] == 0
    assert summary["total_growth"] == D("0.00")
    assert summary["total_growth_pct"] is None
    assert summary["red_projects"] == []


def test_projects_summary_takes_two_queries(projects, django_assert_num_queries):
    with django_assert_num_queries(2):
        projects_summary(date(2015, 6, 30))


def test_project_timeline_carries_baseline_and_forecast_forward(projects):
    rows = project_timeline(projects["mob"])
    assert [(r["date"], r["kind"]) for r in rows] == [
        (date(2014, 1, 15), "baseline"),
        (date(2014, 1, 15), "forecast"),
        (date(2014, 6, 1), "baseline"),
        (date(2015, 1, 1), "forecast"),
    ]
    assert rows[0]["forecast_cost"] is None
    assert rows[2] == {
        "date": date(2014, 6, 1),
        "kind": "baseline",
        "reason": "Scope added",
        "forecast_cost": D("5000.00"),
        "forecast_go_live": date(2015, 3, 31),
        "baseline_cost": D("6000.00"),
        "baseline_go_live": date(2015, 9, 30),
    }
    assert (rows[3]["forecast_cost"], rows[3]["baseline_cost"]) == (D("6300.00"), D("6000.00"))


def test_project_spend_comes_from_its_budget_lines(projects):
    # CC pays CHG-01: actuals 0.00, (50.00), 300.00; outturn adds P4-P11 budgets of
    # 200.00 and the P12 forecast of 2,000.00.
    spend = project_spend(projects["cc"])
    assert spend["to_date"] == D("250.00")
    assert [(r["year_label"], r["actual"], r["outturn"]) for r in spend["by_year"]] == [
        ("2014-15", D("250.00"), D("3850.00"))
    ]
    assert project_spend(projects["bc"])["to_date"] == D("0.00")


# ------------------------------------------------------------------------------ benefits


def test_fte_converts_hours_at_32_productive_hours(settings):
    # 40 hours less 20% abstractions = 32 hours; 160 / 32 = 5.0; 100 / 32 = 3.125 -> 3.1
    assert fte_for_hours(D("160.00")) == D("5.0")
    assert fte_for_hours(D("100")) == D("3.1")
    assert fte_for_hours(D("28800")) == D("900.0")
    assert fte_for_hours(None) is None
    assert fte_assumption().startswith(
        "One full-time officer (FTE) is 40 hours a week less 20% abstractions (leave, "
        "training, sickness, court), so 32 hours a week released is one officer back on "
        "the beat."
    )


def test_measure_curve_as_at_hides_later_actuals(projects):
    rows = measure_curve(projects["devices"], as_at=date(2015, 5, 15))
    assert [(r["month"], r["planned"], r["actual"], r["variance"]) for r in rows] == [
        (date(2015, 4, 1), D("100.00"), D("80.00"), D("-20.00")),
        (date(2015, 5, 1), D("200.00"), None, None),  # May had not ended
        (date(2015, 6, 1), D("300.00"), None, None),
    ]


def test_measure_curve_of_hours_gives_fte(projects):
    (row,) = measure_curve(projects["hours"])
    assert (row["planned_fte"], row["actual_fte"]) == (D("10.0"), D("5.0"))


def test_measures_progress(projects):
    devices, hours = measures_progress(date(2015, 6, 30))
    assert devices.measure.code == "DEVICES"
    assert (devices.month, devices.actual, devices.planned_then) == (
        date(2015, 5, 1),
        D("150.00"),
        D("200.00"),
    )
    assert (devices.plan_final, devices.plan_final_month) == (D("300.00"), date(2015, 6, 1))
    assert devices.share_of_plan == D("75.0")
    assert devices.fte is None
    assert hours.fte == D("5.0")


def test_devices_headline_from_the_data(projects):
    headline = devices_headline(date(2015, 6, 30))
    assert (
        headline["text"]
        == "Devices deployed 150 of 300 planned by Jun 2015 (to the end of May 2015)"
    )
    assert (headline["deployed"], headline["planned"]) == (D("150.00"), D("300.00"))
    assert headline["planned_by"] == date(2015, 6, 1)
    assert devices_headline(date(2015, 5, 15))["deployed"] == D("80.00")
    before = devices_headline(date(2015, 3, 31))
    assert before["text"] == "Devices deployed 0 of 300 planned by Jun 2015"
    assert before["deployed_month"] is None


def test_devices_headline_is_none_without_a_devices_measure(projects):
    BenefitMeasure.objects.filter(unit=BenefitMeasure.Unit.DEVICES).delete()
    assert devices_headline(None) is None


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (D("12400.00"), "devices", "12,400"),
        (D("1234.50"), "hours_per_week", "1,234.5"),
        (D("0.00"), "devices", "0"),
        (D("42000000.00"), "pounds", "£42,000,000"),
        (D("-1234.50"), "pounds", "\u2212£1,234.5"),
        (D("-12.004"), "hours_per_week", "\u221212"),
        (D("-0.004"), "hours_per_week", "0"),
        (None, "devices", "—"),
    ],
)
def test_format_quantity(value, unit, text):
    assert format_quantity(value, unit) == text


# ---------------------------------------------------------------------- spend per officer


def test_spend_per_officer_by_year(projects):
    # 2013-14: outturn 12 x 900.00 = 10,800.00 / 40 = 270.00
    # 2014-15: outturn 22,200.00 (tests/world.py) / 40 = 555.00; +285.00, +105.6%
    rows = spend_per_officer_by_year()
    assert rows == [
        {
            "year_label": "2013-14",
            "outturn": D("10800.00"),
            "actual": D("10800.00"),
            "officers": 40,
            "source": "test",
            "per_officer": D("270.00"),
            "change": None,
            "change_pct": None,
        },
        {
            "year_label": "2014-15",
            "outturn": D("22200.00"),
            "actual": D("4450.00"),  # 3,300.00 + 900.00 + 250.00
            "officers": 40,
            "source": "test",
            "per_officer": D("555.00"),
            "change": D("285.00"),
            "change_pct": D("105.6"),
        },
    ]


def test_spend_per_officer_rounds_half_up_to_the_penny(projects):
    # 22,200.00 / 32,000 = 0.69375 -> 0.69; 10,800.00 / 7 = 1,542.857... -> 1,542.86
    OfficerCount.objects.filter(year__label="2014-15").update(officers=32000)
    OfficerCount.objects.filter(year__label="2013-14").update(officers=7)
    rows = spend_per_officer_by_year()
    assert [r["per_officer"] for r in rows] == [D("1542.86"), D("0.69")]


def test_a_year_without_officer_numbers_has_no_spend_per_officer(projects):
    OfficerCount.objects.filter(year__label="2013-14").delete()
    first, second = spend_per_officer_by_year()
    assert (first["officers"], first["per_officer"]) == (None, None)
    assert (second["per_officer"], second["change"]) == (D("555.00"), None)


def test_spend_per_officer_as_at_a_reporting_period(projects, world):
    # As at 2014-15 P2, P3 counts at its budget, not the actuals entered since: OUT-01
    # 1,100.00 -> 1,000.00 and CHG-01 300.00 -> 200.00, so 22,000.00 / 40 = 550.00.
    rows = spend_per_officer_by_year(projects["year"], 2)
    assert [(r["year_label"], r["outturn"], r["actual"], r["per_officer"]) for r in rows] == [
        ("2013-14", D("10800.00"), D("10800.00"), D("270.00")),
        ("2014-15", D("22000.00"), D("3050.00"), D("550.00")),  # P1-P2 actuals only
    ]
    assert (rows[1]["change"], rows[1]["change_pct"]) == (D("280.00"), D("103.7"))
    # Seen from 2013-14, the later year is left out.
    assert [r["year_label"] for r in spend_per_officer_by_year(world["base_year"], 12)] == [
        "2013-14"
    ]
