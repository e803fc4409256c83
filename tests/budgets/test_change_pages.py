"""The budget change pages: the list (filters, export), one change, recording a change
(Admin only, a crafted POST by anyone else changes nothing) and approving a year."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from budgets.models import BudgetChange, FinancialYear, MonthlyFigure
from budgets.revisions import ChangeAmount, approve_budget, record_budget_change

NEW = reverse("budgets:change_new")


def budget(world, code, period) -> D:
    return MonthlyFigure.objects.get(line__code=code, year=world["year"], period=period).budget


@pytest.fixture
def approved(world, admin_user):
    approve_budget(year=world["year"], user=admin_user, expected_version=None)
    return world


def change_post(kind="virement", reason="Networks", seen=0, lines=()) -> dict:
    data = {
        "kind": kind,
        "reason": reason,
        "seen_through": seen,
        "lines-TOTAL_FORMS": 4,
        "lines-INITIAL_FORMS": 0,
        "lines-MIN_NUM_FORMS": 0,
        "lines-MAX_NUM_FORMS": 40,
    }
    for n, (code, year, period, amount) in enumerate(lines):
        data |= {
            f"lines-{n}-line": code,
            f"lines-{n}-year": year,
            f"lines-{n}-period": period,
            f"lines-{n}-amount": amount,
        }
    return data


VIREMENT = [("OUT-01", "2014-15", 6, "(300.00)"), ("NET-01", "2014-15", 6, "£300")]


def test_only_admin_opens_the_change_form(approved, admin_client_, finance_client):
    assert admin_client_.get(NEW).status_code == 200
    assert finance_client.get(NEW).status_code == 403


def test_crafted_post_by_finance_changes_nothing(approved, finance_client):
    response = finance_client.post(NEW, change_post(lines=VIREMENT))
    assert response.status_code == 403
    assert not BudgetChange.objects.exists()
    assert budget(approved, "OUT-01", 6) == D("1000.00")


def test_virement_that_does_not_net_is_refused_with_the_difference_and_typed_values(
    approved, admin_client_
):
    lines = [("OUT-01", "2014-15", 6, "(300.00)"), ("NET-01", "2014-15", 6, "350.00")]
    response = admin_client_.post(NEW, change_post(lines=lines))
    page = response.content.decode()
    assert response.status_code == 200
    assert "add up to £50.00 (more is added than taken away by £50.00)" in page
    assert 'value="(300.00)"' in page and 'value="350.00"' in page
    assert not BudgetChange.objects.exists()


def test_admin_records_a_virement_and_sees_its_lines(approved, admin_client_):
    response = admin_client_.post(NEW, change_post(lines=VIREMENT))
    change = BudgetChange.objects.get()
    assert response.status_code == 302 and response["Location"] == change.get_absolute_url()
    assert (budget(approved, "OUT-01", 6), budget(approved, "NET-01", 6)) == (
        D("700.00"),
        D("800.00"),
    )
    page = admin_client_.get(change.get_absolute_url()).content.decode()
    assert "Virement" in page and "−£300.00" in page and "£300.00" in page


def test_change_recorded_meanwhile_is_a_conflict_and_the_form_kept(
    approved, admin_client_, admin_user
):
    first = record_budget_change(
        kind="revision",
        reason="First",
        amounts=[ChangeAmount(approved["lines"]["out"], approved["year"], 6, D("5.00"))],
        user=admin_user,
    )
    response = admin_client_.post(NEW, change_post(lines=VIREMENT, seen=first.pk - 1))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone changed the budget of these lines" in page
    # The form now remembers the change it has seen (ids depend on the database's sequence).
    assert f'name="seen_through" value="{first.pk}"' in page
    assert BudgetChange.objects.count() == 1


def test_closed_period_is_refused_on_the_page(approved, admin_client_):
    lines = [("OUT-01", "2014-15", 2, "(300.00)"), ("NET-01", "2014-15", 2, "300.00")]
    response = admin_client_.post(NEW, change_post(lines=lines))
    assert response.status_code == 409
    assert "P2 2014-15 is closed" in response.content.decode()


def test_list_filters_and_exports_with_named_columns(approved, admin_user, committee_client):
    out, net, chg = (approved["lines"][k] for k in ("out", "net", "chg"))
    year = approved["year"]
    record_budget_change(
        kind="virement",
        reason="Site links swap",
        amounts=[ChangeAmount(out, year, 6, D("-300.00")), ChangeAmount(net, year, 6, D("300.00"))],
        user=admin_user,
    )
    record_budget_change(
        kind="revision",
        reason="Mobile pilot",
        amounts=[ChangeAmount(chg, year, 9, D("1250.00"))],
        user=admin_user,
    )
    url = reverse("budgets:changes")
    page = committee_client.get(url).content.decode()
    assert "Site links swap" in page and "Mobile pilot" in page
    # Every filter is named for what it picks.
    assert '<label for="id_year">Year</label>' in page
    assert '<label for="id_category">Category</label>' in page
    assert "[invalid name]" not in page
    filtered = committee_client.get(url, {"line": "CHG-01"}).content.decode()
    assert "Mobile pilot" in filtered and "Site links swap" not in filtered
    assert "Site links swap" not in committee_client.get(url, {"kind": "revision"}).content.decode()
    csv = committee_client.get(url, {"year": "2014-15", "_export": "csv"}).content.decode()
    header, *rows = csv.splitlines()
    assert header.startswith("Change,Recorded,Kind,Reason,Lines,Added to budgets,")
    assert "Net change to the revised budget" in header
    assert sorted(row.split(",")[2] for row in rows) == ["Revision", "Virement"]
    assert any(row.endswith(",1250.00,1250.00,adam") for row in rows)


def test_admin_approves_a_year_on_its_page(world, admin_client_, finance_client):
    url = reverse("budgets:approve", args=["2014-15"])
    year = world["year"]
    assert finance_client.post(url, {"version": year.version}).status_code == 403
    assert not FinancialYear.objects.get(pk=year.pk).is_budget_approved
    assert "£20,400.00" in admin_client_.get(url).content.decode()
    response = admin_client_.post(url, {"version": year.version})
    assert response.status_code == 302
    assert FinancialYear.objects.get(pk=year.pk).is_budget_approved
    stale = admin_client_.post(url, {"version": year.version})
    assert stale.status_code == 409


# --- thousands of lines: a box for the line's code ---------------------------------------


@pytest.fixture
def many_lines(monkeypatch):
    """As if the lines were more than a select should hold (here: more than one)."""
    monkeypatch.setattr("common.forms.CODE_BOX_OVER", 1)


def test_few_lines_are_chosen_from_a_select(approved, admin_client_):
    page = admin_client_.get(NEW).content.decode()
    assert '<select name="lines-0-line"' in page
    assert '<option value="OUT-01">OUT-01 Capgemini service</option>' in page


def test_beyond_the_limit_each_line_is_a_box_for_its_code(approved, many_lines, admin_client_):
    page = admin_client_.get(NEW).content.decode()
    assert '<input type="text" name="lines-0-line"' in page
    assert '<select name="lines-0-line"' not in page and 'value="OUT-01"' not in page
    assert "Type the budget line&#x27;s code, as the register shows it." in page

    response = admin_client_.post(NEW, change_post(lines=VIREMENT))
    assert response.status_code == 302
    assert (budget(approved, "OUT-01", 6), budget(approved, "NET-01", 6)) == (
        D("700.00"),
        D("800.00"),
    )


def test_a_code_that_names_no_line_is_refused_by_name_and_kept(approved, many_lines, admin_client_):
    lines = [("OUT-01", "2014-15", 6, "(300.00)"), ("NOPE-9", "2014-15", 6, "300.00")]
    response = admin_client_.post(NEW, change_post(lines=lines))
    page = response.content.decode()
    assert response.status_code == 200
    assert "No budget line has the code “NOPE-9”." in page
    assert 'name="lines-1-line" value="NOPE-9"' in page
    assert not BudgetChange.objects.exists()
    assert budget(approved, "OUT-01", 6) == D("1000.00")
