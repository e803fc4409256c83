"""Setting a year's budget: phasing to the penny, the next year from the previous one, and
the budget-setting grid (tests/world.py: 2014-15 is the latest year, a draft, closed
through P2; OUT-01 is 1,000.00 a month, NET-01 500.00, CHG-01 200.00; 2013-14 has OUT-01
only, 900.00 a month)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from budgets.models import FinancialYear, MonthlyFigure
from budgets.setting import (
    BudgetApprovedError,
    PhasingError,
    YearExistsError,
    create_next_year,
    lines_to_carry,
    phase_even,
    phase_profile,
)
from savings.models import SavingsTarget
from tests.conftest import client_for


def budgets(year: FinancialYear, code: str) -> list[D]:
    return list(
        MonthlyFigure.objects.filter(year=year, line__code=code)
        .order_by("period")
        .values_list("budget", flat=True)
    )


# --- phasing -----------------------------------------------------------------------------


def test_even_phasing_puts_the_left_over_pennies_one_each_from_p1():
    # 10,000 pennies / 12 = 833 remainder 4: P1-P4 get 8.34, P5-P12 8.33.
    months = phase_even(D("100.00"))
    assert months == [D("8.34")] * 4 + [D("8.33")] * 8
    assert sum(months) == D("100.00")


def test_even_phasing_of_a_whole_number_of_pennies_per_month_is_exact():
    assert phase_even(D("120000.00")) == [D("10000.00")] * 12


def test_profile_phasing_follows_the_shape_exactly_to_the_penny():
    # Three equal months take 33.333... each: 33.33 x 3 = 99.99; the penny left goes to
    # the earliest of the equal remainders, P1.
    profile = [D("5.00")] * 3 + [D("0.00")] * 9
    assert (
        phase_profile(D("100.00"), profile)
        == [D("33.34"), D("33.33"), D("33.33")] + [D("0.00")] * 9
    )
    # A profile twice as heavy in P12: 1,300.00 over 13 shares is 100.00 a share.
    profile = [D("900.00")] * 11 + [D("1800.00")]
    assert phase_profile(D("1300.00"), profile) == [D("100.00")] * 11 + [D("200.00")]


def test_profile_phasing_refuses_a_profile_with_no_budget():
    with pytest.raises(PhasingError, match="no budget for this line"):
        phase_profile(D("100.00"), [D("0.00")] * 12)


def test_phasing_refuses_a_negative_amount():
    with pytest.raises(PhasingError, match="cannot be negative"):
        phase_even(D("-1.00"))


# --- the next year -----------------------------------------------------------------------


def test_a_line_whose_contract_ends_before_the_new_year_is_offered_unticked(world):
    cap = world["contracts"]["cap"]
    cap.end_date = date(2015, 3, 31)
    cap.save()
    world["lines"]["chg"].active = False
    world["lines"]["chg"].save()
    offered = {row.line.code: row for row in lines_to_carry(world["year"])}
    assert set(offered) == {"OUT-01", "NET-01"}  # CHG-01 is closed: not offered
    assert offered["OUT-01"].carry is False
    assert offered["OUT-01"].reason == "contract CAP-2005 ends 31 Mar 2015, before the year starts"
    assert offered["NET-01"].carry is True
    assert offered["NET-01"].previous_budget == D("6000.00")


def test_admin_creates_the_next_year_with_lines_budgets_and_target(world, admin_user):
    out, net = world["lines"]["out"], world["lines"]["net"]
    response = client_for(admin_user).post(
        "/savings/new-year/",
        {
            "lines": [out.pk, net.pk],
            "start_budget": "copy",
            "target": "12,000.00",
            "target_source": "Illustrative",
        },
    )
    year = FinancialYear.objects.get(label="2015-16")
    assert response.status_code == 302
    assert response["Location"] == "/budgets/2015-16/budget/"
    assert year.start == date(2015, 4, 1) and not year.is_budget_approved
    assert budgets(year, "OUT-01") == [D("1000.00")] * 12
    assert budgets(year, "NET-01") == [D("500.00")] * 12
    assert not MonthlyFigure.objects.filter(year=year, line__code="CHG-01").exists()
    target = SavingsTarget.objects.get(year=year)
    assert target.amount == D("12000.00") and target.source == "Illustrative"
    figure = MonthlyFigure.objects.get(year=year, line=out, period=1)
    assert figure.history.get().history_user == admin_user


def test_the_new_year_page_ticks_the_carried_lines_and_carries_the_target(world, admin_user):
    page = client_for(admin_user).get("/savings/new-year/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Create 2015-16 from 2014-15" in html
    assert page.context["form"].initial["target"] == D("10000.00")
    assert [row["ticked"] for row in page.context["form"].offered_rows()] == [True] * 3


def test_a_line_whose_contract_has_ended_starts_at_zero_even_when_copying(world, admin_user):
    cap = world["contracts"]["cap"]
    cap.end_date = date(2015, 3, 31)
    cap.save()
    lines = [world["lines"]["out"], world["lines"]["net"]]
    year = create_next_year(previous=world["year"], lines=lines, copy_budgets=True, user=admin_user)
    assert budgets(year, "OUT-01") == [D("0.00")] * 12
    assert budgets(year, "NET-01") == [D("500.00")] * 12


def test_a_year_starts_at_zero_unless_budgets_are_copied(world, admin_user):
    year = create_next_year(
        previous=world["year"], lines=[world["lines"]["chg"]], copy_budgets=False, user=admin_user
    )
    assert budgets(year, "CHG-01") == [D("0.00")] * 12


@pytest.mark.parametrize("role", ["finance_user", "committee_user"])
def test_only_an_admin_creates_a_year(request, world, role):
    user = request.getfixturevalue(role)
    response = client_for(user).post("/savings/new-year/", {"lines": [world["lines"]["out"].pk]})
    assert response.status_code == 403
    assert not FinancialYear.objects.filter(label="2015-16").exists()
    with pytest.raises(PermissionDenied):
        create_next_year(previous=world["year"], lines=[], copy_budgets=False, user=user)


def test_an_existing_year_is_not_created_again(world, admin_user):
    with pytest.raises(YearExistsError, match="2014-15 already exists"):
        create_next_year(previous=world["base_year"], lines=[], copy_budgets=False, user=admin_user)
    assert MonthlyFigure.objects.filter(year=world["year"]).count() == 36


def test_a_bad_target_creates_nothing(world, admin_user):
    response = client_for(admin_user).post(
        "/savings/new-year/",
        {"lines": [world["lines"]["out"].pk], "start_budget": "zero", "target": "-5"},
    )
    assert response.status_code == 200
    assert "cannot be negative" in response.content.decode()
    assert not FinancialYear.objects.filter(label="2015-16").exists()


# --- the grid ----------------------------------------------------------------------------


@pytest.fixture
def draft(world, admin_user) -> FinancialYear:
    """2015-16, a draft with OUT-01 and NET-01 at £0 each month."""
    lines = [world["lines"]["out"], world["lines"]["net"]]
    return create_next_year(
        previous=world["year"], lines=lines, copy_budgets=False, user=admin_user
    )


def grid_data(page, **changes) -> dict:
    """Every input of the grid as the page shows it, with `changes` typed over."""
    grid = page.context["grid"]
    data = {}
    for row in grid.rows:
        data[row.annual.name] = row.annual.value
        data[row.phasing_name] = row.phasing
        for item in row.cells():
            cell = item["cell"]
            data[cell.name] = cell.value
            data[cell.shown_name] = cell.shown
            data[f"version-{item['figure'].pk}"] = item["version"]
    data.update(changes)
    return data


def test_admin_phases_a_year_evenly_by_the_previous_profile_and_by_months(world, draft, admin_user):
    client = client_for(admin_user)
    url = "/budgets/2015-16/budget/"
    page = client.get(url)
    out, net = world["lines"]["out"], world["lines"]["net"]
    march = MonthlyFigure.objects.get(year=draft, line=net, period=12)
    data = grid_data(
        page,
        **{
            f"annual-{out.pk}": "13,000.00",
            f"phasing-{out.pk}": "previous",  # 2014-15: 1,000.00 every month
            f"budget-{march.pk}": "£700.00",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert budgets(draft, "OUT-01") == [D("1083.34")] * 4 + [D("1083.33")] * 8
    assert sum(budgets(draft, "OUT-01")) == D("13000.00")
    assert budgets(draft, "NET-01") == [D("0.00")] * 11 + [D("700.00")]
    march.refresh_from_db()
    assert march.version == 2 and march.history.first().history_user == admin_user

    data = grid_data(client.get(url), **{f"annual-{net.pk}": "1000", f"phasing-{net.pk}": "even"})
    assert client.post(url, data).status_code == 302
    assert budgets(draft, "NET-01") == [D("83.34")] * 4 + [D("83.33")] * 8


def test_a_bad_cell_saves_nothing_names_line_and_field_and_keeps_what_was_typed(
    world, draft, admin_user
):
    client = client_for(admin_user)
    url = "/budgets/2015-16/budget/"
    out, net = world["lines"]["out"], world["lines"]["net"]
    april = MonthlyFigure.objects.get(year=draft, line=out, period=1)
    data = grid_data(
        client.get(url),
        **{
            f"budget-{april.pk}": "12.345",
            f"annual-{net.pk}": "-10",
            f"phasing-{net.pk}": "even",
        },
    )
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "OUT-01 Capgemini service, budget P1:" in html
    assert "NET-01 Network services, full-year budget: a budget cannot be negative" in html
    assert 'value="12.345"' in html and 'value="-10"' in html
    assert MonthlyFigure.objects.filter(year=draft).exclude(budget=0).count() == 0


def test_a_budget_saved_meanwhile_by_someone_else_is_a_conflict(world, draft, admin_user):
    client = client_for(admin_user)
    url = "/budgets/2015-16/budget/"
    april = MonthlyFigure.objects.get(year=draft, line=world["lines"]["out"], period=1)
    data = grid_data(client.get(url), **{f"budget-{april.pk}": "500.00"})
    MonthlyFigure.objects.filter(pk=april.pk).update(budget=D("400.00"), version=5)
    response = client.post(url, data)
    assert response.status_code == 409
    assert 'value="500.00"' in response.content.decode()
    april.refresh_from_db()
    assert april.budget == D("400.00")


def test_an_approved_year_is_refused_with_a_budget_change_message(world, draft, admin_user):
    client = client_for(admin_user)
    url = "/budgets/2015-16/budget/"
    april = MonthlyFigure.objects.get(year=draft, line=world["lines"]["out"], period=1)
    data = grid_data(client.get(url), **{f"budget-{april.pk}": "500.00"})
    FinancialYear.objects.filter(pk=draft.pk).update(budget_approved_at=timezone.now())
    response = client.post(url, data)
    assert response.status_code == 409
    assert "2015-16&#x27;s budget is approved; change it with a budget change" in (
        response.content.decode()
    )
    assert MonthlyFigure.objects.get(pk=april.pk).budget == D("0.00")


def test_set_budgets_refuses_an_approved_year_in_the_service(world, draft, admin_user):
    from budgets.services import FigureEntry
    from budgets.setting import set_budgets

    april = MonthlyFigure.objects.get(year=draft, line=world["lines"]["out"], period=1)
    FinancialYear.objects.filter(pk=draft.pk).update(budget_approved_at=timezone.now())
    entry = FigureEntry(figure_id=april.pk, version=1, budget=D("5.00"))
    with pytest.raises(BudgetApprovedError, match="2015-16's budget is approved"):
        set_budgets(year=draft, entries=[entry], user=admin_user)


@pytest.mark.parametrize("role", ["finance_user", "committee_user"])
def test_only_an_admin_saves_the_grid(request, world, draft, role):
    client = client_for(request.getfixturevalue(role))
    url = "/budgets/2015-16/budget/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="annual-' not in page.content.decode()
    april = MonthlyFigure.objects.get(year=draft, line=world["lines"]["out"], period=1)
    response = client.post(url, {f"budget-{april.pk}": "5", f"version-{april.pk}": "1"})
    assert response.status_code == 403
    assert MonthlyFigure.objects.get(pk=april.pk).budget == D("0.00")
