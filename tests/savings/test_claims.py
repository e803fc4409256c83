"""Realised savings as claims: made by Finance (or an Admin), counted as claimed until an
Admin who did not make them validates them; rejected with a reason; evidence served only
to signed-in users, as a download."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from common.roles import ADMIN
from savings.claims import SavingsClaim, realised_from_claims
from savings.models import InitiativeYear
from savings.services import decide_claim, make_claim
from tests.conftest import client_for, make_user
from tests.savings.claims_helpers import stored_files, upload

CLAIM_URL = "/savings/initiatives/APP-RAT/years/2014-15/claims/new/"


def apps_year(world) -> InitiativeYear:
    return InitiativeYear.objects.get(initiative=world["initiatives"]["apps"], year=world["year"])


def pipeline_2014_15(client: Client) -> dict:
    rows = client.get("/savings/").context["pipeline"]
    return next(row for row in rows if row["year_label"] == "2014-15")


@pytest.fixture
def apps_lines(world):
    world["initiatives"]["apps"].lines.add(world["lines"]["net"])
    return world


@pytest.fixture
def second_admin(db):
    return make_user("alex", ADMIN)


def test_a_claim_counts_as_claimed_until_another_admin_validates_it(
    apps_lines, media, finance_client, admin_client_
):
    world = apps_lines
    response = finance_client.post(
        CLAIM_URL,
        {
            "amount": "£1,250.00",
            "period": "3",
            "line": world["lines"]["net"].pk,
            "note": "Q1 invoices",
            "evidence": upload(),
        },
    )
    assert response.status_code == 302
    claim = SavingsClaim.objects.get()
    assert (claim.amount, claim.status, claim.made_by.username) == (
        D("1250.00"),
        "claimed",
        "fiona",
    )
    assert claim.evidence_kind == "csv" and len(stored_files(media)) == 1
    row = apps_year(world)
    assert (row.realised, row.claimed) == (None, D("1250.00"))
    pipeline = pipeline_2014_15(finance_client)
    # Target 10,000; validated 4,000 (CAP-RENEG); claimed 1,250 awaiting.
    assert (pipeline["realised"], pipeline["claimed"]) == (D("4000.00"), D("1250.00"))
    assert pipeline["realised_gap"] == D("6000.00")
    assert pipeline["claimed_gap"] == D("4750.00")

    page = admin_client_.get(f"/savings/claims/{claim.pk}/decide/")
    assert page.status_code == 200
    data = {"decision": "validated", "reason": "", "version": "1"}
    assert admin_client_.post(f"/savings/claims/{claim.pk}/decide/", data).status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by.username, claim.version) == ("validated", "adam", 2)
    row = apps_year(world)
    assert (row.realised, row.claimed) == (D("1250.00"), D("0.00"))
    assert realised_from_claims(row.initiative_id, row.year_id) == {
        "realised": row.realised,
        "claimed": row.claimed,
    }
    pipeline = pipeline_2014_15(finance_client)
    assert (pipeline["realised"], pipeline["claimed"]) == (D("5250.00"), D("0.00"))
    assert pipeline["realised_gap"] == pipeline["claimed_gap"] == D("4750.00")


def test_an_admin_cannot_validate_their_own_claim_even_by_a_crafted_post(
    apps_lines, media, admin_user, admin_client_, second_admin
):
    claim = make_claim(
        initiative_year=apps_year(apps_lines), amount=D("900.00"), period=2, user=admin_user
    )
    page = admin_client_.get(f"/savings/claims/{claim.pk}/decide/").content.decode()
    assert "You made this claim: another administrator must validate or reject it." in page
    response = admin_client_.post(
        f"/savings/claims/{claim.pk}/decide/",
        {"decision": "validated", "reason": "", "version": "1"},
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by, claim.version) == ("claimed", None, 1)
    assert apps_year(apps_lines).realised is None
    with pytest.raises(PermissionDenied):
        decide_claim(claim=claim, decision="validated", user=admin_user)

    decide_claim(claim=claim, decision="validated", user=second_admin)
    assert apps_year(apps_lines).realised == D("900.00")


@pytest.mark.parametrize("client_fixture", ["committee_client", "finance_client"])
def test_only_admins_decide_claims(request, apps_lines, media, admin_user, client_fixture):
    claim = make_claim(
        initiative_year=apps_year(apps_lines), amount=D("900.00"), period=2, user=admin_user
    )
    client = request.getfixturevalue(client_fixture)
    url = f"/savings/claims/{claim.pk}/decide/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "validated", "version": "1"}).status_code == 403
    claim.refresh_from_db()
    assert claim.status == "claimed"


def test_committee_cannot_claim(apps_lines, media, committee_client, committee_user):
    response = committee_client.post(
        CLAIM_URL, {"amount": "10.00", "period": "1", "evidence": upload()}
    )
    assert response.status_code == 403
    assert not SavingsClaim.objects.exists()
    assert stored_files(media) == []
    with pytest.raises(PermissionDenied):
        make_claim(
            initiative_year=apps_year(apps_lines),
            amount=D("1.00"),
            period=1,
            user=committee_user,
        )


def test_a_rejection_needs_its_reason_and_a_rejected_claim_counts_nowhere(
    apps_lines, media, finance_user, admin_client_
):
    claim = make_claim(
        initiative_year=apps_year(apps_lines), amount=D("700.00"), period=3, user=finance_user
    )
    url = f"/savings/claims/{claim.pk}/decide/"
    refused = admin_client_.post(url, {"decision": "rejected", "reason": " ", "version": "1"})
    assert refused.status_code == 200
    assert "Give the reason for rejecting the claim." in refused.content.decode()
    assert SavingsClaim.objects.get().status == "claimed"

    data = {"decision": "rejected", "reason": "The invoice is for 2013-14.", "version": "1"}
    assert admin_client_.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.rejection_reason) == ("rejected", "The invoice is for 2013-14.")
    row = apps_year(apps_lines)
    assert (row.realised, row.claimed) == (None, D("0.00"))
    page = admin_client_.get("/savings/initiatives/APP-RAT/").content.decode()
    assert "Rejected by Adam" in page and "The invoice is for 2013-14." in page


def test_a_stale_decision_is_refused(apps_lines, media, finance_user, admin_client_, second_admin):
    claim = make_claim(
        initiative_year=apps_year(apps_lines), amount=D("700.00"), period=3, user=finance_user
    )
    decide_claim(claim=claim, decision="rejected", reason="No invoice", user=second_admin)
    response = admin_client_.post(
        f"/savings/claims/{claim.pk}/decide/", {"decision": "validated", "version": "1"}
    )
    assert response.status_code == 409
    claim.refresh_from_db()
    assert claim.status == "rejected"


def test_a_claim_on_a_line_not_the_initiatives_is_refused(apps_lines, media, finance_client):
    response = finance_client.post(
        CLAIM_URL, {"amount": "10.00", "period": "1", "line": apps_lines["lines"]["chg"].pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not SavingsClaim.objects.exists()


def test_evidence_is_a_download_for_signed_in_users_only(apps_lines, media, finance_user):
    claim = make_claim(
        initiative_year=apps_year(apps_lines),
        amount=D("10.00"),
        period=1,
        evidence=upload("q1.csv", b"invoice,amount\r\n2,3\r\n"),
        user=finance_user,
    )
    url = f"/savings/claims/{claim.pk}/evidence/"
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for role in ("Committee", "Finance", "Admin"):
        response = client_for(make_user(f"reader-{role}", role)).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="q1.csv"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == b"invoice,amount\r\n2,3\r\n"
    assert Client().post(url).status_code == 302  # to the login page, never the file
    no_file = make_claim(
        initiative_year=apps_year(apps_lines), amount=D("1.00"), period=1, user=finance_user
    )
    response = client_for(finance_user).get(f"/savings/claims/{no_file.pk}/evidence/")
    assert response.status_code == 404


def test_an_initiatives_baseline_is_edited_by_admin_with_its_version_and_shown(
    world, admin_client_, committee_client
):
    url = "/savings/initiatives/CAP-RENEG/edit/"
    form = admin_client_.get(url).context["form"]
    data = {
        name: value
        for name, value in {
            **{f.name: f.value() for f in form},
            "baseline_amount": "12,000.00",
            "baseline_year": world["base_year"].pk,
            "baseline_method": "2013-14 outturn of OUT-01",
            "measurement": "Monthly invoices against the 2013-14 rate card",
            "lines": [world["lines"]["out"].pk],
        }.items()
        if value is not None
    }
    saved = admin_client_.post(url, data)
    assert saved.status_code == 302, saved.context["form"].errors
    page = committee_client.get("/savings/initiatives/CAP-RENEG/").content.decode()
    assert "£12,000.00 in 2013-14: 2013-14 outturn of OUT-01" in page
    assert "Monthly invoices against the 2013-14 rate card" in page
    stale = admin_client_.post(url, {**data, "baseline_amount": "1.00"})
    assert stale.status_code == 409
    assert world["initiatives"]["reneg"].__class__.objects.get(
        code="CAP-RENEG"
    ).baseline_amount == D("12000.00")
