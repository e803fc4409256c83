"""A published report built by hand, following the payload's documented keys (format 1),
with amounts chosen so that the tests can state every printed figure."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal as D

from budgets.models import FinancialYear
from common import snapshot
from reports.models import PublishedReport
from tests.figure_text import HOSTILE

FIGURE = json.dumps(
    {
        "data": [
            {"type": "bar", "name": "Budget", "x": ["P1", "P2"], "y": [27.1, 27.1]},
            {"type": "bar", "name": "Actual", "x": ["P1", "P2"], "y": [26.9, 28.35]},
        ],
        "layout": {"barmode": "group", "yaxis": {"ticksuffix": "m"}},
    }
)

HEADLINE = [
    {"key": "budget", "label": "Full-year budget", "value": D("325400000.00")},
    {"key": "actual_to_date", "label": "Actual to date (P1–P6)", "value": D("160212345.67")},
    {"key": "outturn", "label": "Forecast outturn", "value": D("331050000.05")},
    {"key": "variance", "label": "Variance, outturn less budget", "value": D("5650000.05")},
    {"key": "variance_pct", "label": "Variance as a share of budget", "value": D("1.7")},
    {"key": "savings_forecast", "label": "Savings forecast", "value": D("48500000.00")},
    {"key": "gap", "label": "Gap to target", "value": D("11500000.00")},
    {"key": "decisions_due", "label": "Contract decisions due", "value": 2},
]


def payload(**overrides) -> dict:
    data = {
        "format": 1,
        "organisation": "Metropolitan Police Service",
        "year": "2015-16",
        "period": 6,
        "as_at_date": date(2015, 9, 30),
        "label": "2015-16 P6 (30 Sep 2015)",
        "totals": {
            "budget": D("325400000.00"),
            "actual_to_date": D("160212345.67"),
            "outturn": D("331050000.05"),
            "variance": D("5650000.05"),
            "variance_pct": D("1.7"),
            "rag": "amber",
        },
        "savings": {"target": D("60000000.00"), "forecast": D("48500000.00"), "rag": "red"},
        "programme": None,
        "largest_supplier": None,
        "decision_cutoff": date(2016, 3, 31),
        "decisions_due": [
            {
                "reference": "CAP-2005",
                "title": "Outsourced IT services",
                "supplier": "Capgemini",
                "end_date": date(2015, 12, 31),
                "decision_date": date(2015, 6, 30),
                "url": "/contracts/CAP-2005/",
            }
        ],
        "charts": [
            {
                "id": "monthly",
                "title": "Monthly spend 2015-16",
                "summary": "Actual £55.3m to P2 against a budget to date of £54.2m.",
                "figure": FIGURE,
                "columns": ["Period", "Budget", "Actual", "Cumulative budget"],
                "rows": [
                    ["P1", D("27100000.00"), D("26900000.00"), D("27100000.00")],
                    ["P2", D("27100000.00"), D("28350000.50"), D("54200000.00")],
                ],
                "notes": [],
            },
            {
                "id": "pipeline",
                "title": "Savings pipeline 2015-16",
                "summary": "£48.5m forecast against the £60.0m target.",
                "figure": FIGURE,
                "columns": ["Stage", "Amount", "Share of target"],
                "rows": [
                    ["Target", D("60000000.00"), "100.0%"],
                    [HOSTILE, D("-1250.00"), "—"],
                ],
                "notes": ["Non-cashable savings (such as officer time) are not in this chart."],
            },
            {
                "id": "contracts",
                "title": "Contract timeline",
                "summary": "Next to end: CAP-2005 on 31 Dec 2015.",
                "figure": None,
                "columns": ["Contract", "Start", "Annual value"],
                "rows": [["CAP-2005: Outsourced IT services", date(2005, 4, 1), D("120000000")]],
                "notes": [],
            },
        ],
        "lines": [],
        "variance_notes": [
            {
                "code": "OUT-01",
                "name": "Capgemini service",
                "period": 6,
                "actual": D("11000000.00"),
                "budget": D("10000000.00"),
                "forecast": None,
                "note": "Extra support for the custody system cut-over.",
                "url": "/budgets/lines/OUT-01/",
            }
        ],
        "initiatives": [],
        "initiatives_at_risk": [
            {
                "code": "MOBILE",
                "name": "Mobile devices",
                "stage": "In delivery",
                "confidence": "amber_red",
                "planned": D("7000000.00"),
                "forecast": D("5500000.00"),
                "realised": D("1000000.00"),
                "url": "/savings/initiatives/MOBILE/",
            }
        ],
        "headline": HEADLINE,
    }
    data.update(overrides)
    return data


def year_2015(**extra) -> FinancialYear:
    year, _ = FinancialYear.objects.get_or_create(
        label="2015-16", defaults={"start": date(2015, 4, 1), **extra}
    )
    return year


def publish(user, *, period: int = 6, version: int = 1, year=None, **overrides):
    """A PublishedReport row holding `payload(**overrides)`, published 5 Oct 2015."""
    return PublishedReport.objects.create(
        year=year or year_2015(),
        period=period,
        version=version,
        published_at=datetime(2015, 10, 5, 9, 30, tzinfo=UTC),
        published_by=user,
        payload=snapshot.dumps(payload(**overrides)),
    )
