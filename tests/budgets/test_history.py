"""Every write path leaves a history row saying who, when, and old -> new."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from budgets.models import BudgetLine, MonthlyFigure
from budgets.services import close_period, reopen_period
from contracts.models import Supplier
from tests.budgets.admin_helpers import admin_form_data
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _changes(record) -> dict:
    """{field: (old, new)} between a history row and the one before it."""
    return {c.field: (c.old, c.new) for c in record.diff_against(record.prev_record).changes}


def test_admin_add_leaves_a_history_row_with_the_user(world, admin_user):
    before = timezone.now()

    client_for(admin_user).post(reverse("admin:contracts_supplier_add"), {"name": "Vodafone"})

    record = Supplier.objects.get(name="Vodafone").history.get()
    assert record.history_type == "+"
    assert record.history_user == admin_user
    assert record.history_date >= before
    assert record.name == "Vodafone"


def test_admin_change_leaves_old_and_new_values(world, admin_user):
    admin = client_for(admin_user)
    figure = MonthlyFigure.objects.get(line__code="NET-01", year=world["year"], period=3)
    url = reverse("admin:budgets_monthlyfigure_change", args=[figure.pk])
    before = timezone.now()

    admin.post(url, admin_form_data(admin, url, actual="455.50", note="Late invoice"))
    admin.post(url, admin_form_data(admin, url, actual="460.00"))

    latest = figure.history.latest()
    assert latest.history_user == admin_user
    assert latest.history_date >= before
    assert _changes(latest) == {
        "actual": (D("455.50"), D("460.00")),
        "version": (2, 3),
    }
    assert latest.prev_record.history_user == admin_user


def test_admin_change_of_a_line_records_the_old_name(world, admin_user):
    admin = client_for(admin_user)
    line = world["lines"]["chg"]
    url = reverse("admin:budgets_budgetline_change", args=[line.pk])

    admin.post(url, admin_form_data(admin, url, name="Change portfolio projects"))
    admin.post(url, admin_form_data(admin, url, owner="CIO"))

    first_edit = line.history.order_by("history_date")[1]
    assert first_edit.history_user == admin_user
    assert _changes(first_edit) == {
        "name": ("Change projects", "Change portfolio projects"),
        "version": (1, 2),
    }
    assert _changes(line.history.latest()) == {"owner": ("", "CIO"), "version": (2, 3)}


def test_close_and_reopen_services_record_old_and_new_lock(world, admin_user):
    close_period(year=world["year"], through=4, user=admin_user)
    reopen_period(year=world["year"], period=3, reason="Accrual reversed", user=admin_user)

    reopened, closed, created = world["year"].history.order_by("-history_id")
    assert _changes(closed) == {"closed_through": (2, 4), "version": (1, 2)}
    assert _changes(reopened) == {"closed_through": (4, 2), "version": (2, 3)}
    assert {closed.history_user, reopened.history_user} == {admin_user}
    assert reopened.history_change_reason == "Reopened from P3: Accrual reversed"
    assert created.history_type == "+"


def test_bulk_update_with_history_gives_every_row_a_history_row(world, finance_user):
    figures = list(MonthlyFigure.objects.filter(year=world["year"], period=4).order_by("pk"))
    for figure in figures:
        figure.actual = D("10.00")
        figure.updated_by = finance_user
    now = timezone.now()

    bulk_update_with_history(
        figures,
        MonthlyFigure,
        ["actual", "updated_by"],
        default_user=finance_user,
        default_date=now,
    )

    records = [figure.history.get() for figure in figures]
    assert len(records) == 3
    assert {r.history_user for r in records} == {finance_user}
    assert {r.history_date for r in records} == {now}
    assert {r.actual for r in records} == {D("10.00")}
    # The world bulk-created these figures without history: the row before is the table.
    assert {r.history_type for r in records} == {"~"}


def test_bulk_create_with_history_names_the_user(world, admin_user):
    lines = bulk_create_with_history(
        [
            BudgetLine(code=f"APP-0{n}", name=f"App {n}", category=world["lines"]["out"].category)
            for n in (1, 2)
        ],
        BudgetLine,
        default_user=admin_user,
    )

    assert [line.history.get().history_user for line in lines] == [admin_user, admin_user]


def test_admin_history_page_shows_who_and_old_and_new(world, admin_user):
    admin = client_for(admin_user)
    figure = MonthlyFigure.objects.get(line__code="OUT-01", year=world["year"], period=5)
    url = reverse("admin:budgets_monthlyfigure_change", args=[figure.pk])
    admin.post(url, admin_form_data(admin, url, actual="1010.10"))
    admin.post(url, admin_form_data(admin, url, actual="1020.20"))

    page = admin.get(reverse("admin:budgets_monthlyfigure_history", args=[figure.pk]))

    html = page.content.decode()
    assert "adam" in html
    assert "1010.10" in html
    assert "1020.20" in html
    newest = page.context["page_obj"].object_list[0]
    assert [c["field"] for c in newest.history_delta_changes] == ["Actual", "Version"]
