"""Charts built from plain dicts without plotly's property checks (`plain_figure`) are
what a checked figure would be: every property one plotly knows, and the same JSON."""

from datetime import date
from decimal import Decimal as D

import plotly.graph_objects as go
import pytest

from common.charts import chart_layout, plain_figure
from reports.charts import contracts, waterfall


def checked(figure: go.Figure) -> go.Figure:
    """`figure` rebuilt through plotly's checks: ValueError on a property it does not know."""
    return go.Figure(figure.to_plotly_json())


def timeline() -> go.Figure:
    rows = [
        {
            "reference": f"MPS-C-{i:02}",
            "supplier_name": f"Supplier {i}",
            "start_date": date(2010 + i % 5, 4, 1),
            "end_date": date(2016 + i % 7, 3, 31),
            "annual_value": D(1_000_000 + i) if i % 4 else D(0),
        }
        for i in range(20)
    ]
    return contracts._figure(rows, date(2015, 9, 30), {"MPS-C-01", "MPS-C-02"})


def steps() -> go.Figure:
    saved = [(f"SAV-{i:02}: Initiative {i}", None, D(-1_000_000 - i), "relative") for i in range(9)]
    return waterfall._figure(
        [("Baseline", None, D(325_000_000), "absolute"), *saved, ("Outturn", None, D(1), "total")],
        200.0,
        330.0,
    )


@pytest.mark.parametrize("build", [timeline, steps], ids=["contract timeline", "waterfall"])
def test_a_plain_figure_passes_plotlys_checks_and_gives_a_checked_figures_json(build):
    figure = build()
    assert figure.to_plotly_json() == checked(figure).to_plotly_json()
    assert figure.layout.template.data.scatter  # the named template, as plotly expands it


def test_a_property_plotly_does_not_know_fails_the_check():
    figure = plain_figure([{"type": "bar", "x": [1], "colour": "red"}], chart_layout())
    with pytest.raises(ValueError, match="colour"):
        checked(figure)


def test_every_dashboard_chart_passes_plotlys_checks(world, committee_client):
    charts = committee_client.get("/?year=2014-15").context["dashboard"].charts
    drawn = {chart.id: chart.figure for chart in charts if chart.figure is not None}
    assert {"contracts", "waterfall"} <= set(drawn)
    for figure in drawn.values():
        assert figure.to_plotly_json() == checked(figure).to_plotly_json()
