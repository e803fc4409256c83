"""The read API: every figure as a decimal string, filters, a stable order, pages, and the
year's totals equal to the dashboard's (both read `MonthlyFigureQuerySet.totals`).

Numbers are tests/world.py's: 2014-15 budget 12 x (1,000 + 500 + 200) = 20,400.00; as at
the closed P2, actuals to date 2 x 1,100 + 2 x 450 + (0 - 50) = 3,050.00.
"""

import json
from decimal import Decimal as D

import pytest

from budgets.models import MonthlyFigure
from reports.models import PublishedReport


def test_figures_are_decimal_strings_never_floats(world, committee_api):
    response = committee_api.get("/api/v1/figures/?year=2014-15&line=OUT-01&period=1")
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["budget"] == "1000.00" and row["actual"] == "1100.00"
    assert row["original_budget"] is None  # the world's budget is not approved
    assert row["committed"] == "0.00"
    assert row["forecast"] is None
    assert row["line"] == "OUT-01" and row["year"] == "2014-15" and row["period"] == 1
    # The raw body holds strings: no JSON number for any amount.
    assert '"budget":"1000.00"' in response.content.decode().replace(" ", "")


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("year=2014-15", 36),
        ("year=2013-14", 12),
        ("year=2014-15&period=4", 3),
        ("line=NET-01", 12),
        ("contract=CAP-2005", 24),  # OUT-01's figures, both years
        ("year=2014-15&category={networks}", 12),
        ("year=2014-15&supplier={bt}", 12),
    ],
)
def test_figures_filter_by_year_period_line_category_contract_supplier(
    world, committee_api, query, count
):
    ids = {
        "networks": world["lines"]["net"].category_id,
        "bt": world["suppliers"]["bt"].pk,
    }
    response = committee_api.get(f"/api/v1/figures/?{query.format(**ids)}")
    assert response.status_code == 200
    assert response.json()["count"] == count


def test_pages_follow_a_stable_order_without_repeats(world, committee_api):
    seen, url = [], "/api/v1/figures/?year=2014-15&page_size=10&ordering=-period"
    while url:
        body = committee_api.get(url).json()
        seen += [(row["period"], row["id"]) for row in body["results"]]
        url = body["next"]
    assert len(seen) == 36 and len(set(seen)) == 36
    # Within a period (the order asked for), ties are broken by id.
    assert seen == sorted(seen, key=lambda r: (-r[0], r[1]))


def test_year_total_equals_the_dashboards_figure(world, committee_api, committee_client):
    api = committee_api.get("/api/v1/years/2014-15/totals/").json()
    dashboard = committee_client.get("/?year=2014-15").context["dashboard"]
    assert api["as_at"] == dashboard.reporting.as_at == 2
    for name in ("budget", "actual_to_date", "outturn", "variance"):
        assert D(api[name]) == dashboard.totals[name]
    assert api["budget"] == "20400.00" and api["actual_to_date"] == "3050.00"


def test_year_totals_as_at_a_chosen_period(world, committee_api):
    # As at P3 (tests/reports/test_dashboard.py works these out by hand).
    body = committee_api.get("/api/v1/years/2014-15/totals/?as_at=3").json()
    assert body["outturn"] == "22200.00" and body["variance"] == "1800.00"
    assert body["variance_pct"] == "8.8" and body["rag"] == "red"
    assert body["status"] == "P3 in progress: actuals for 2 of 3 lines"


def test_years_list_their_periods_and_which_are_closed(world, committee_api):
    year = committee_api.get("/api/v1/years/2014-15/").json()
    assert year["closed_through"] == 2
    assert [p["closed"] for p in year["periods"]] == [True, True] + [False] * 10
    assert year["periods"][11] == {
        "period": 12,
        "start": "2015-03-01",
        "end": "2015-03-31",
        "closed": False,
    }


def test_registers_lines_contracts_suppliers_savings(world, committee_api):
    lines = committee_api.get("/api/v1/lines/?supplier={}".format(world["suppliers"]["bt"].pk))
    assert [row["code"] for row in lines.json()["results"]] == ["NET-01"]
    contract = committee_api.get("/api/v1/contracts/CAP-2005/").json()
    assert contract["annual_value"] == "12000.00" and contract["supplier"] == "Capgemini"
    changes = committee_api.get("/api/v1/contract-changes/?contract=CAP-2005").json()
    assert [c["value_change"] for c in changes["results"]] == ["193000.00"]
    target = committee_api.get("/api/v1/savings-targets/").json()["results"]
    assert [(t["year"], t["amount"]) for t in target] == [("2014-15", "10000.00")]
    years = committee_api.get("/api/v1/initiative-years/?initiative=CAP-RENEG").json()
    (reneg,) = years["results"]
    assert (reneg["planned"], reneg["forecast"], reneg["realised"]) == (
        "6000.00",
        "5000.00",
        "4000.00",
    )
    initiative = committee_api.get("/api/v1/initiatives/CAP-RENEG/").json()
    assert initiative["lines"] == ["OUT-01"] and initiative["contract"] == "CAP-2005"


@pytest.mark.parametrize(
    ("resource", "query", "found"),
    [
        ("lines", "ne", ["NET-01"]),  # a code that starts with it, whatever the case
        ("lines", "SERVIC", ["NET-01", "OUT-01"]),  # names that hold it
        ("lines", "01", []),  # a code that only holds it
        ("lines", "  ", ["CHG-01", "NET-01", "OUT-01"]),  # nothing typed: every row
        ("contracts", "cap", ["CAP-2005"]),
        ("contracts", "Network", ["BT-NET"]),  # the title
        ("initiatives", "mob", ["MOBILE"]),
        ("initiatives", "idea", ["OLD-X"]),
    ],
)
def test_lines_contracts_and_initiatives_are_searched_by_code_or_name(
    world, committee_api, resource, query, found
):
    """`?q=`: what the forms' code boxes suggest as someone types."""
    response = committee_api.get(f"/api/v1/{resource}/", {"q": query})
    assert response.status_code == 200
    key = "reference" if resource == "contracts" else "code"
    assert sorted(row[key] for row in response.json()["results"]) == found


def test_a_search_longer_than_100_characters_is_refused_by_name(world, committee_api):
    response = committee_api.get("/api/v1/lines/", {"q": "x" * 101})
    assert response.status_code == 400
    assert "q" in response.json()


def test_published_report_payload_is_the_stored_json(world, committee_api, admin_user):
    from django.utils import timezone

    stored = '{"totals":{"budget":{"$decimal":"20400.00"}}}'
    PublishedReport.objects.create(
        year=world["year"],
        period=2,
        published_at=timezone.now(),
        published_by=admin_user,
        payload=stored,
    )
    (report,) = committee_api.get("/api/v1/reports/?year=2014-15").json()["results"]
    assert report["payload"] == json.loads(stored)
    assert report["period"] == 2 and report["version"] == 1


def test_history_lists_changes_with_who_and_what(world, finance_user, finance_api):
    # The world's figures were made without history rows: two writes give a diff.
    for actual in ("470", "480"):
        figure = MonthlyFigure.objects.get(line__code="NET-01", year__label="2014-15", period=3)
        entry = {"line": "NET-01", "period": 3, "version": figure.version, "actual": actual}
        body = {"year": "2014-15", "figures": [entry]}
        assert finance_api.post("/api/v1/figure-batches/", body, format="json").status_code == 200
    rows = finance_api.get("/api/v1/history/?record_type=budgets.monthlyfigure").json()
    latest = rows["results"][0]
    assert latest["who"] == "Fiona" and latest["action"] == "Changed"
    assert latest["name"] == "NET-01 2014-15 P3"
    assert latest["reason"].startswith("API: token tests (batch ")
    assert {"field": "actual", "old": "£470.00", "new": "£480.00"} in latest["changes"]


def test_savings_claims_read_with_status_evidence_and_who_decided(
    world, committee_api, finance_user, admin_user
):
    from savings.models import InitiativeYear
    from savings.services import decide_claim, make_claim

    row = InitiativeYear.objects.filter(initiative__cashable=True).order_by("pk").first()
    claim = make_claim(
        initiative_year=row,
        amount=D("1250.50"),
        period=3,
        evidence_link="https://ledger.example.org/inv/1",
        user=finance_user,
    )
    decide_claim(claim=claim, decision="validated", reason="", expected_version=1, user=admin_user)
    response = committee_api.get(f"/api/v1/savings-claims/?initiative={row.initiative.code}")
    assert response.status_code == 200
    (found,) = response.json()["results"]
    assert found["amount"] == "1250.50" and found["status"] == "validated"
    assert (found["made_by"], found["decided_by"]) == (finance_user.username, admin_user.username)
    assert found["has_evidence_file"] is False
    assert found["evidence_link"] == "https://ledger.example.org/inv/1"
    years = committee_api.get(f"/api/v1/initiative-years/{row.pk}/").json()
    assert years["realised"] == "1250.50" and years["claimed"] == "0.00"


def test_budget_changes_and_original_and_revised_totals(world, committee_api, admin_user):
    from budgets.revisions import ChangeAmount, approve_budget, record_budget_change

    year, out, net = world["year"], world["lines"]["out"], world["lines"]["net"]
    approve_budget(year=year, user=admin_user, expected_version=year.version)
    record_budget_change(
        kind="virement",
        reason="Network refresh paid from the outsourced service",
        amounts=[
            ChangeAmount(line=out, year=year, period=9, amount=D("-300.00")),
            ChangeAmount(line=net, year=year, period=9, amount=D("300.00")),
        ],
        user=admin_user,
    )
    record_budget_change(
        kind="revision",
        reason="Licence uplift",
        amounts=[ChangeAmount(line=net, year=year, period=10, amount=D("125.50"))],
        user=admin_user,
    )
    changes = committee_api.get("/api/v1/budget-changes/?year=2014-15").json()["results"]
    assert [(c["kind"], c["made_by"]) for c in changes] == [
        ("virement", admin_user.username),
        ("revision", admin_user.username),
    ]
    assert [(x["line"], x["period"], x["amount"]) for x in changes[0]["lines"]] == [
        ("NET-01", 9, "300.00"),
        ("OUT-01", 9, "-300.00"),
    ]
    only_net = committee_api.get("/api/v1/budget-changes/?line=OUT-01").json()["results"]
    assert [c["kind"] for c in only_net] == ["virement"]
    totals = committee_api.get("/api/v1/years/2014-15/totals/").json()
    # 20,400.00 approved; the virement nets to zero and the revision adds 125.50.
    assert (totals["original_budget"], totals["budget"]) == ("20400.00", "20525.50")
    assert totals["committed"] == "0.00"
