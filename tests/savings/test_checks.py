"""The assurance checks: possible double counts, realised beyond the fall in spend, claims
without evidence, claims awaiting validation over 60 days; on the initiative page and in
the pre-close checklist."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from common.roles import ADMIN
from reports.checklist import checklist_for
from savings.checks import (
    awaiting_too_long,
    beyond_reduction,
    double_counts,
    lines_outturn,
    without_evidence,
)
from savings.claims import SavingsClaim
from savings.models import Initiative, InitiativeYear
from savings.services import decide_claim, make_claim
from tests.conftest import make_user
from tests.savings.claims_helpers import upload


def year_row(world, key: str) -> InitiativeYear:
    return InitiativeYear.objects.get(initiative=world["initiatives"][key], year=world["year"])


@pytest.fixture
def validator(db):
    return make_user("alex", ADMIN)


def test_two_initiatives_claiming_one_line_in_a_year_are_a_possible_double_count(
    world, media, finance_user, committee_client
):
    out = world["lines"]["out"]
    world["initiatives"]["apps"].lines.add(out)
    make_claim(
        initiative_year=year_row(world, "reneg"),
        amount=D("100.00"),
        period=3,
        line=out,
        evidence=upload(),
        user=finance_user,
    )
    assert double_counts(world["year"]) == []
    rejected = make_claim(
        initiative_year=year_row(world, "apps"),
        amount=D("50.00"),
        period=3,
        line=out,
        evidence=upload(),
        user=finance_user,
    )
    assert len(double_counts(world["year"])) == 1
    (row,) = double_counts(world["year"], world["initiatives"]["apps"])
    assert row["what"] == "OUT-01 Capgemini service, 2014-15"
    assert row["detail"] == "Possible double count: claimed by APP-RAT and CAP-RENEG"
    page = committee_client.get("/savings/initiatives/APP-RAT/").content.decode()
    assert "Possible double count: claimed by APP-RAT and CAP-RENEG" in page
    checklist = {i.key: i for i in checklist_for(world["year"], 3).items}
    assert checklist["double_count"].count == 1

    decide_claim(
        claim=rejected,
        decision="rejected",
        reason="Same saving as CAP-RENEG's",
        user=make_user("alex", ADMIN),
    )
    assert double_counts(world["year"]) == []  # a rejected claim counts nowhere


def test_realised_beyond_the_fall_in_the_lines_outturn_is_flagged(
    world, media, finance_user, validator
):
    """CAP-RENEG's line OUT-01: 2013-14 outturn 10,800.00 (900.00 a month); 2014-15 as at
    P2 (closed): 1,100.00 x 2 actuals + 1,000.00 budget (P3) + 1,050.00 x 3 forecasts
    (P4-P6) + 1,000.00 x 6 budget = 12,350.00. The outturn rose by 1,550.00: any realised
    saving exceeds the "fall"."""
    reneg = world["initiatives"]["reneg"]
    assert lines_outturn(reneg, world["base_year"]) == D("10800.00")
    assert lines_outturn(reneg, world["year"]) == D("12350.00")
    assert beyond_reduction(world["year"]) == []  # no baseline year stated yet
    Initiative.objects.filter(pk=reneg.pk).update(baseline_year=world["base_year"])

    (row,) = beyond_reduction(world["year"])
    assert row["what"] == "CAP-RENEG Renegotiate, 2014-15"
    assert row["detail"] == (
        "Realised £4,000.00 is more than the spend reduction: its budget lines' outturn "
        "rose by £1,550.00 since 2013-14"
    )
    # Non-cashable savings take nothing off spend, so are never compared.
    Initiative.objects.filter(code="MOBILE").update(baseline_year=world["base_year"])
    assert len(beyond_reduction(world["year"])) == 1


def test_claims_without_evidence_and_claims_awaiting_over_60_days(
    world, media, finance_user, committee_client
):
    bare = make_claim(
        initiative_year=year_row(world, "apps"), amount=D("75.00"), period=2, user=finance_user
    )
    make_claim(
        initiative_year=year_row(world, "apps"),
        amount=D("25.00"),
        period=2,
        evidence_link="https://intranet.example/invoices/7",
        user=finance_user,
    )
    (row,) = without_evidence(world["year"])
    assert row == {
        "what": "APP-RAT: claim of £75.00, 2014-15 P2",
        "detail": "No evidence file or link",
        "url": "/savings/initiatives/APP-RAT/",
    }
    assert awaiting_too_long(world["year"]) == []
    SavingsClaim.objects.filter(pk=bare.pk).update(made_at=timezone.now() - timedelta(days=61))
    (row,) = awaiting_too_long(world["year"])
    assert row["what"] == "APP-RAT: claim of £75.00, 2014-15 P2"
    SavingsClaim.objects.filter(pk=bare.pk).update(made_at=timezone.now() - timedelta(days=59))
    assert awaiting_too_long(world["year"]) == []

    SavingsClaim.objects.filter(pk=bare.pk).update(made_at=timezone.now() - timedelta(days=61))
    page = committee_client.get("/savings/initiatives/APP-RAT/").content.decode()
    assert "No evidence file or link" in page
    assert "over 60 days" in page
    counts = {i.key: i.count for i in checklist_for(world["year"], 3).items}
    assert (counts["claims_without_evidence"], counts["claims_awaiting"]) == (1, 1)
