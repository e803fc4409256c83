"""The pre-close checklist's items (reports.checklist) against the month of
tests/reports/conftest.py: each row says what, where and why, with the page that fixes it."""

from decimal import Decimal as D

import pytest

from budgets.models import MonthlyFigure
from reports.checklist import checklist_for, decisions_item, extensions_item
from savings.models import Initiative

pytestmark = pytest.mark.django_db


def _items(checklist) -> dict:
    return {item.key: item for item in checklist.items}


def test_the_checklist_lists_what_is_still_to_do_with_where_it_is_fixed(month):
    checklist = checklist_for(month["year"], 3)
    items = _items(checklist)

    assert list(items) == [
        "missing_actuals",
        "variance_notes",
        "unreviewed_forecasts",
        "savings_not_updated",
        "decisions_due",
        "unbudgeted_extensions",
        "double_count",
        "beyond_reduction",
        "claims_without_evidence",
        "claims_awaiting",
    ]
    assert items["missing_actuals"].rows == [
        {
            "what": "NET-01 Network services",
            "where": "P3",
            "detail": "No actual entered (budget £500.00)",
            "url": "/budgets/2014-15/p3/",
        }
    ]
    assert items["variance_notes"].rows == [
        {
            "what": "CHG-01 Change projects",
            "where": "P3 actual",
            "detail": "Actual £300.00 against budget £200.00: £100.00 over, no note",
            "url": "/budgets/2014-15/p3/",
        },
        {
            "what": "CHG-01 Change projects",
            "where": "Full-year forecast",
            "detail": "Forecast outturn £3,850.00 against budget £2,400.00: £1,450.00 over, "
            "no note",
            "url": "/budgets/2014-15/p3/",
        },
    ]
    assert [row["what"] for row in items["unreviewed_forecasts"].rows] == [
        "CHG-01 Change projects",
        "NET-01 Network services",
        "OUT-01 Capgemini service",
    ]
    assert items["unreviewed_forecasts"].rows[0]["where"] == "P4 to P12"
    assert items["unreviewed_forecasts"].rows[0]["detail"] == (
        "Not changed since P2 closed on 5 Jun 2014; last changed 1 Jun 2014"
    )
    assert items["savings_not_updated"].rows == [
        {
            "what": "MOBILE Mobile devices",
            "where": "In delivery",
            "detail": "Realised £1,000.00; not updated since P2 closed on 5 Jun 2014",
            "url": "/savings/initiatives/MOBILE/years/2014-15/",
        }
    ]
    assert items["decisions_due"].rows == []
    assert [item.count for item in checklist.items] == [1, 2, 3, 1, 0, 0, 0, 0, 0, 0]
    assert checklist.outstanding == 4
    assert [item.fix_url for item in checklist.items] == [
        "/budgets/2014-15/p3/",
        "/budgets/2014-15/p3/",
        "/budgets/2014-15/forecast/",
        "/savings/",
        "/contracts/",
        "/budgets/2014-15/forecast/",
        *["/savings/"] * 4,  # the savings assurance checks
    ]


def test_a_period_with_everything_done_has_nothing_outstanding(clear):
    checklist = checklist_for(clear["year"], 3)
    assert [item.count for item in checklist.items] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert checklist.outstanding == 0


def test_a_delivered_initiative_counts_and_an_approved_one_does_not(clear):
    Initiative.objects.filter(code="CAP-RENEG").update(stage=Initiative.Stage.DELIVERED)
    rows = _items(checklist_for(clear["year"], 3))["savings_not_updated"].rows
    assert [row["what"] for row in rows] == ["CAP-RENEG Renegotiate"]
    assert rows[0]["where"] == "Delivered"


def test_contract_decisions_due_within_six_months_of_the_periods_end(month):
    # P12 ends 31 Mar 2015: CAP-2005 ends 31 Dec 2015 with 6 months' notice, so its
    # decision (30 Jun 2015) is due by 30 Sep 2015; BT-NET's (31 Mar 2016) is not.
    item = decisions_item(month["year"], 12)
    assert item.label == "Contract decisions due by 30 Sep 2015"
    assert item.rows == [
        {
            "what": "CAP-2005 Outsourced IT services",
            "where": "Capgemini",
            "detail": "Decision due by 30 Jun 2015; ends 31 Dec 2015",
            "url": "/contracts/CAP-2005/",
        }
    ]


def test_a_contract_extended_into_months_its_line_does_not_budget_for(month):
    # CAP-2005 was extended from 31 Mar 2012 to 31 Dec 2015: every month of 2014-15.
    MonthlyFigure.objects.filter(
        line__code="OUT-01", year=month["year"], period__in=[4, 5, 6, 9]
    ).update(budget=D("0.00"), forecast=None)

    item = extensions_item(month["year"])

    assert item.rows == [
        {
            "what": "CAP-2005 Outsourced IT services",
            "where": "OUT-01 Capgemini service",
            "detail": "Extended to 31 Dec 2015: no budget or forecast for P4 to P6, P9",
            "url": "/contracts/CAP-2005/",
        }
    ]
    assert checklist_for(month["year"], 3).outstanding == 5
