"""/history/ names and links budget changes and savings claims like every other record."""

from decimal import Decimal as D

from budgets.revisions import ChangeAmount, approve_budget, record_budget_change
from savings.models import InitiativeYear
from savings.services import make_claim
from tests.conftest import client_for
from tests.reports.test_history_page import page_rows


def rows(client, record_type: str) -> dict[str, str]:
    response = client.get("/history/", {"record_type": record_type})
    assert response.status_code == 200
    return {row["name"]: row["url"] for row in page_rows(response)}


def test_budget_changes_and_their_amounts_are_named_and_linked(world, admin_user, committee_user):
    year, out = world["year"], world["lines"]["out"]
    approve_budget(year=year, user=admin_user, expected_version=year.version)
    change = record_budget_change(
        kind="revision",
        reason="Licence uplift",
        amounts=[ChangeAmount(line=out, year=year, period=10, amount=D("125.50"))],
        user=admin_user,
    )
    client = client_for(committee_user)
    url = f"/budgets/changes/{change.pk}/"
    assert rows(client, "budgets.budgetchange") == {f"Budget change {change.pk} (Revision)": url}
    assert rows(client, "budgets.budgetchangeline") == {
        f"Budget change {change.pk}: OUT-01 2014-15 P10": url
    }


def test_savings_claims_are_named_with_their_status_and_linked(world, finance_user, committee_user):
    year_row = InitiativeYear.objects.get(
        initiative=world["initiatives"]["apps"], year=world["year"]
    )
    claim = make_claim(
        initiative_year=year_row,
        amount=D("900.00"),
        period=2,
        evidence_link="https://ledger.example.org/inv/2",
        user=finance_user,
    )
    code = world["initiatives"]["apps"].code
    assert rows(client_for(committee_user), "savings.savingsclaim") == {
        f"Claim {claim.pk}: {code} 2014-15 (awaiting validation)": f"/savings/initiatives/{code}/"
    }
