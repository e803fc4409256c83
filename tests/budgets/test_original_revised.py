"""Original and revised budget side by side, and the uncommitted budget: the lines table
and its export, the line page (with its budget changes) and the dashboard headline. With
tests/world.py 2014-15 approved (original 20,400.00), a virement of 300.00 from OUT-01 P6
to NET-01 P6 and a revision of +1,250.00 to CHG-01 P9: revised 21,650.00."""

import csv
import io
from decimal import Decimal as D

import pytest

from budgets.models import MonthlyFigure, refresh_line_year_totals
from budgets.revisions import ChangeAmount, approve_budget, record_budget_change


@pytest.fixture
def revised(world, admin_user) -> dict:
    year = world["year"]
    out, net, chg = (world["lines"][k] for k in ("out", "net", "chg"))
    approve_budget(year=year, user=admin_user, expected_version=None)
    record_budget_change(
        kind="virement",
        reason="Site links",
        amounts=[ChangeAmount(out, year, 6, D("-300.00")), ChangeAmount(net, year, 6, D("300.00"))],
        user=admin_user,
    )
    record_budget_change(
        kind="revision",
        reason="Mobile pilot funded",
        amounts=[ChangeAmount(chg, year, 9, D("1250.00"))],
        user=admin_user,
    )
    MonthlyFigure.objects.filter(line=out, year=year, period=7).update(committed=D("400.00"))
    refresh_line_year_totals(year_ids=[year.pk])  # as every bulk write of figures does
    return world


def test_lines_table_exports_original_revised_committed_and_uncommitted(revised, committee_client):
    response = committee_client.get("/budgets/?year=2014-15&as_at=3&_export=csv")
    rows = {row["Code"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows["OUT-01"]["Original budget"] == "12000.00"
    assert rows["OUT-01"]["Revised budget"] == "11700.00"
    assert rows["OUT-01"]["Committed"] == "400.00"
    # 11,700.00 revised - 3,300.00 actual (P1-P3) - 400.00 committed
    assert rows["OUT-01"]["Uncommitted budget"] == "8000.00"
    assert rows["CHG-01"]["Revised budget"] == "3650.00"
    page = committee_client.get("/budgets/?year=2014-15&as_at=3").content.decode()
    assert "£20,400.00" in page and "£21,650.00" in page  # the footer totals


def test_line_page_shows_both_budgets_its_changes_and_the_commitments_sentence(
    revised, committee_client
):
    response = committee_client.get("/budgets/lines/OUT-01/?year=2014-15&as_at=3")
    totals = response.context["totals"]
    assert (totals["original_budget"], totals["budget"]) == (D("12000.00"), D("11700.00"))
    assert totals["uncommitted"] == D("8000.00")
    page = response.content.decode()
    assert "do not change the forecast outturn" in page
    assert "Site links" in page and "−£300.00" in page
    assert "Mobile pilot funded" not in page  # a change to another line
    export = committee_client.get("/budgets/lines/OUT-01/?year=2014-15&_export=csv")
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[6] == ["P6", "1000.00", "700.00", "", "1050.00", "0.00", ""]


def test_dashboard_headline_names_revised_and_original(revised, committee_client):
    page = committee_client.get("/?year=2014-15").content.decode()
    assert "Full-year budget (revised)" in page
    assert "£21,650.00; original £0.0m (£20,400.00; " in page


def test_draft_year_says_it_has_no_original(world, committee_client):
    page = committee_client.get("/budgets/?year=2014-15").content.decode()
    assert "The 2014-15 budget is a draft" in page
