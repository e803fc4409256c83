"""The Django admin and an approved budget: budget changes are added (only) through the
service, with the same rules as the page; an approved year's figure keeps its budget
read-only and refuses a crafted budget; years are approved by an admin action."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from budgets.models import BudgetChange, FinancialYear, MonthlyFigure
from budgets.revisions import approve_budget
from tests.budgets.admin_helpers import admin_form_data
from tests.conftest import client_for

ADD = reverse("admin:budgets_budgetchange_add")


@pytest.fixture
def admin(admin_user):
    return client_for(admin_user)


@pytest.fixture
def approved(world, admin_user):
    approve_budget(year=world["year"], user=admin_user, expected_version=None)
    return world


def figure(world, code, period) -> MonthlyFigure:
    return MonthlyFigure.objects.get(line__code=code, year=world["year"], period=period)


def change_data(world, amounts) -> dict:
    data = {
        "kind": "virement",
        "reason": "Site links",
        "lines-TOTAL_FORMS": str(len(amounts)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for n, (key, period, amount) in enumerate(amounts):
        data |= {
            f"lines-{n}-line": world["lines"][key].pk,
            f"lines-{n}-year": world["year"].pk,
            f"lines-{n}-period": period,
            f"lines-{n}-amount": amount,
        }
    return data


def test_admin_adds_a_change_through_the_service(approved, admin, admin_user):
    response = admin.post(ADD, change_data(approved, [("out", 6, "-300.00"), ("net", 6, "300.00")]))
    assert response.status_code == 302
    change = BudgetChange.objects.get()
    assert change.made_by == admin_user
    assert figure(approved, "OUT-01", 6).budget == D("700.00")
    assert figure(approved, "NET-01", 6).budget == D("800.00")


def test_admin_change_that_does_not_net_is_refused_on_the_form(approved, admin):
    response = admin.post(ADD, change_data(approved, [("out", 6, "-300.00"), ("net", 6, "310.00")]))
    assert response.status_code == 200
    assert "add up to £10.00" in response.content.decode()
    assert not BudgetChange.objects.exists()
    assert figure(approved, "NET-01", 6).budget == D("500.00")


def test_admin_cannot_edit_or_delete_a_change(approved, admin):
    admin.post(ADD, change_data(approved, [("chg", 6, "50.00")]) | {"kind": "revision"})
    change = BudgetChange.objects.get()
    url = reverse("admin:budgets_budgetchange_change", args=[change.pk])
    before = figure(approved, "CHG-01", 6).budget
    admin.post(url, {"kind": "revision", "reason": "Edited"})
    assert BudgetChange.objects.get().reason == "Site links"
    delete = reverse("admin:budgets_budgetchange_delete", args=[change.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    assert figure(approved, "CHG-01", 6).budget == before == D("250.00")


def test_finance_cannot_add_a_change_in_the_admin(approved, finance_user):
    client = client_for(finance_user)
    client.post(ADD, change_data(approved, [("out", 6, "50.00")]))
    assert not BudgetChange.objects.exists()


def test_approved_figure_budget_is_read_only_and_a_crafted_budget_is_ignored(approved, admin):
    row = figure(approved, "OUT-01", 6)
    url = reverse("admin:budgets_monthlyfigure_change", args=[row.pk])
    data = admin_form_data(admin, url, actual="990.00")
    assert "budget" not in data
    response = admin.post(url, data | {"budget": "5000.00"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.budget, row.actual) == (D("1000.00"), D("990.00"))


def test_admin_action_approves_a_year(world, admin, admin_user):
    url = reverse("admin:budgets_financialyear_changelist")
    response = admin.post(
        url, {"action": "approve_budgets", "_selected_action": [world["year"].pk]}, follow=True
    )
    assert "Approved the 2014-15 budget." in response.content.decode()
    year = FinancialYear.objects.get(pk=world["year"].pk)
    assert year.budget_approved_by == admin_user
    assert figure(world, "OUT-01", 6).original_budget == D("1000.00")
