"""A contract's end date moves only by a recorded change (with its reason, on the change
timeline), and its decision date follows the end date wherever the change is recorded."""

from datetime import date
from decimal import Decimal

from budgets.models import FinancialYear, MonthlyFigure
from contracts.models import Contract
from contracts.services import update_contract
from tests.budgets.admin_helpers import admin_form_data
from tests.conftest import client_for

EDIT = "/contracts/CAP-2005/edit/"


def _edit_data(world, **overrides) -> dict:
    data = {
        "reference": "CAP-2005",
        "title": "Outsourced IT services",
        "supplier": world["suppliers"]["capgemini"].pk,
        "description": "",
        "start_date": "2005-04-01",
        "notice_months": "6",
        "annual_value": "12000.00",
        "total_value": "350000.00",
        "status": "active",
        "owner": "",
        "source": "test",
        "version": "1",
    }
    return {**data, **overrides}


def test_edit_contract_has_no_end_date_field(world, admin_user):
    response = client_for(admin_user).get(EDIT)
    assert "end_date" not in response.context["form"].fields
    assert 'name="end_date"' not in response.text
    assert "record a change" in response.text


def test_a_crafted_end_date_in_the_edit_form_changes_nothing(world, admin_user):
    data = _edit_data(world, end_date="2019-12-31", title="Outsourced services")
    response = client_for(admin_user).post(EDIT, data)
    assert response.status_code == 302
    cap = Contract.objects.get(reference="CAP-2005")
    assert cap.title == "Outsourced services"  # the rest of the form is saved
    assert cap.end_date == date(2015, 12, 31)
    assert cap.changes.count() == 1  # and the timeline is as it was


def test_update_contract_service_ignores_an_end_date(world, admin_user):
    update_contract(
        contract=world["contracts"]["cap"],
        data={"end_date": date(2019, 12, 31), "owner": "CTO"},
        user=admin_user,
    )
    cap = Contract.objects.get(reference="CAP-2005")
    assert (cap.end_date, cap.owner) == (date(2015, 12, 31), "CTO")


def test_a_start_after_the_end_is_explained_on_the_edit_form(world, admin_user):
    response = client_for(admin_user).post(EDIT, _edit_data(world, start_date="2016-01-01"))
    assert response.status_code == 200
    assert (
        "The end date (31 Dec 2015) cannot be before the start date (1 Jan 2016)." in response.text
    )
    assert Contract.objects.get(reference="CAP-2005").start_date == date(2005, 4, 1)


def test_the_admin_cannot_edit_an_existing_contracts_end_date(world, admin_user):
    client = client_for(admin_user)
    cap = world["contracts"]["cap"]
    url = f"/admin/contracts/contract/{cap.pk}/change/"
    data = admin_form_data(client, url, end_date="2019-12-31")
    assert client.post(url, data).status_code == 302
    assert Contract.objects.get(pk=cap.pk).end_date == date(2015, 12, 31)


def _extend(client, new_end: str = "2016-10-31") -> None:
    response = client.post(
        "/contracts/CAP-2005/changes/new/",
        {"kind": "extension", "effective_date": "2015-03-01", "new_end_date": new_end},
    )
    assert response.status_code == 302


def test_after_an_extension_the_decision_date_follows_the_new_end(world, admin_user):
    """As at 31 Mar 2015 CAP-2005's decision (30 Jun 2015) is due within 6 months; extended
    to 31 Oct 2016 it is 30 Apr 2016: off the dashboard's list, the register's filter, and
    the contract page says the new date."""
    client = client_for(admin_user)
    as_at_p12 = "?year=2014-15&as_at=12"
    due = client.get(f"/{as_at_p12}").context["dashboard"].decisions_due
    assert [c.reference for c in due] == ["CAP-2005"]
    _extend(client)
    assert client.get(f"/{as_at_p12}").context["dashboard"].decisions_due == []
    register = client.get(f"/contracts/{as_at_p12}&decision_due_within=6")
    assert [row.record.reference for row in register.context["table"].rows] == []
    page = client.get(f"/contracts/CAP-2005/{as_at_p12}").text
    assert "<dt>Decision date</dt><dd>30 Apr 2016" in page


# After an extension the contract page names the budget lines that pay it but have no
# budget or forecast in the added months (BudgetLineQuerySet.uncovered_months).


def test_contract_page_names_lines_without_budget_or_forecast_in_the_added_months(
    world, admin_user
):
    client = client_for(admin_user)
    _extend(client)  # 31 Dec 2015 -> 31 Oct 2016: Jan to Oct 2016 are added
    response = client.get("/contracts/CAP-2005/")
    assert response.context["uncovered"] == [
        (world["lines"]["out"], "Jan 2016 to Oct 2016 (10 months)")
    ]
    section = response.text.split('id="cover-title"')[1]
    assert "OUT-01" in section and "Jan 2016 to Oct 2016" in section


def test_months_with_a_budget_or_forecast_are_covered(world, admin_user):
    year = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    out = world["lines"]["out"]
    # Jan and Feb 2016 budgeted, Mar 2016 forecast only; the rest of the year has neither.
    for period, budget, forecast in ((10, "900.00", None), (11, "900.00", None), (12, "0", "5")):
        MonthlyFigure.objects.create(
            line=out,
            year=year,
            period=period,
            budget=Decimal(budget),
            forecast=None if forecast is None else Decimal(forecast),
        )
    MonthlyFigure.objects.create(line=out, year=year, period=9, budget=Decimal("0"))  # Dec
    client = client_for(admin_user)
    _extend(client)
    response = client.get("/contracts/CAP-2005/")
    assert response.context["uncovered"] == [(out, "Apr 2016 to Oct 2016 (7 months)")]


def test_months_before_the_first_financial_year_are_not_counted(world, admin_user):
    """CAP-2005's 2010 extension added Apr 2012 to Dec 2015; the figures begin in 2013-14,
    and 2013-14 and 2014-15 are budgeted, so only Apr to Dec 2015 lack cover."""
    response = client_for(admin_user).get("/contracts/CAP-2005/")
    assert response.context["uncovered"] == [
        (world["lines"]["out"], "Apr 2015 to Dec 2015 (9 months)")
    ]


def test_no_cover_section_for_a_contract_never_extended(world, admin_user):
    response = client_for(admin_user).get("/contracts/BT-NET/")
    assert response.context["uncovered"] == []
    assert 'id="cover-title"' not in response.text
