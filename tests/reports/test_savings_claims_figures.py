"""Validated and claimed savings, and the gap to target on each, reconcile across the
savings page, the dashboard, the published report and its pack; reports published before
claims existed still render."""

from decimal import Decimal as D

from budgets.reporting import reporting_at
from reports.dashboard import build_dashboard
from reports.pack import build_pack
from reports.publishing import publish_report
from savings.models import InitiativeYear
from savings.services import make_claim
from tests.reports.published import publish

# World 2014-15: target 10,000.00; CAP-RENEG validated 4,000.00; APP-RAT claims 1,250.00.
EXPECTED = {
    "realised": D("4000.00"),
    "claimed": D("1250.00"),
    "realised_gap": D("6000.00"),
    "claimed_gap": D("4750.00"),
}


def test_validated_and_claimed_savings_reconcile_everywhere(
    world, settings, tmp_path, finance_user, admin_user, committee_client
):
    settings.MEDIA_ROOT = str(tmp_path)
    row = InitiativeYear.objects.get(initiative__code="APP-RAT", year=world["year"])
    make_claim(initiative_year=row, amount=D("1250.00"), period=2, user=finance_user)

    page = committee_client.get("/savings/", {"year": "2014-15"})
    savings_row = next(r for r in page.context["pipeline"] if r["year_label"] == "2014-15")
    assert {key: savings_row[key] for key in EXPECTED} == EXPECTED
    html = page.content.decode()
    assert 'data-testid="claimed-2014-15">£1,250.00<' in html
    assert 'data-testid="claimed-gap-2014-15">£4,750.00<' in html

    dashboard = build_dashboard(reporting_at(world["year"], 2))
    assert {key: dashboard.savings[key] for key in EXPECTED} == EXPECTED
    home = committee_client.get("/", {"year": "2014-15"}).content.decode()
    assert "Gap to target on validated: £6,000.00; on validated and claimed: £4,750.00" in home

    report = publish_report(year=world["year"], period=2, user=admin_user)
    headline = {item["key"]: item["value"] for item in report.data["headline"]}
    assert {key: headline[key] for key in EXPECTED} == EXPECTED
    assert {key: report.data["savings"][key] for key in EXPECTED} == EXPECTED
    apps = next(i for i in report.data["initiatives"] if i["code"] == "APP-RAT")
    assert (apps["realised"], apps["claimed"]) == (None, D("1250.00"))

    pack = {figure.key: figure.value for figure in build_pack(report).headline}
    assert {key: pack[key] for key in EXPECTED} == EXPECTED
    pack_html = committee_client.get(f"/reports/{report.pk}/pack/").content.decode()
    assert "Gap to target on validated and claimed" in pack_html
    assert "£4,750.00" in pack_html
    report_html = committee_client.get(f"/reports/{report.pk}/").content.decode()
    assert "Savings claimed, awaiting validation" in report_html


def test_a_report_published_before_claims_still_renders(finance_user, committee_client):
    report = publish(finance_user)
    assert "claimed" not in {item["key"] for item in report.data["headline"]}
    assert committee_client.get(f"/reports/{report.pk}/").status_code == 200
    pack = committee_client.get(f"/reports/{report.pk}/pack/")
    assert pack.status_code == 200
    assert "Gap to target on validated and claimed" not in pack.content.decode()
