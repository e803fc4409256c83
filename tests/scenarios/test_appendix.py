"""A scenario in a published report's pack: frozen when added, read back exactly in the
pack page and the PDF's body, refused to a Committee member and a second time."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from budgets.models import MonthlyFigure, refresh_line_year_totals
from reports.pack import build_pack
from scenarios.models import Adjustment, PackAppendix
from scenarios.services import add_to_pack, create_scenario
from tests.reports.published import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def cancel(world, finance_user):
    scenario = create_scenario(user=finance_user, data={"name": "Exit Capgemini"})
    Adjustment.objects.create(
        scenario=scenario,
        kind="cancel",
        contract=world["contracts"]["cap"],
        on_date=date(2014, 7, 1),
        amount=D("500.00"),
    )
    return scenario


def test_the_appendix_is_frozen_and_printed_in_the_pack(cancel, finance_user, finance_client):
    report = publish(finance_user)
    response = finance_client.post(f"/scenarios/{cancel.pk}/pack/", {"report": report.pk})
    appendix = PackAppendix.objects.get()
    assert response["Location"] == f"/reports/{report.pk}/pack/#appendix-{appendix.pk}"
    # Later live changes do not move the stored appendix.
    MonthlyFigure.objects.update(forecast=D("1.00"))
    refresh_line_year_totals()  # as every write of figures does
    pack = build_pack(report)
    (table,) = pack.appendices
    texts = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows}
    assert texts["2014-15: Forecast outturn"] == ["£22,000.00", "£19,500.00", "−£2,500.00"]
    assert texts["2014-15: Gap to target"] == [
        "£2,000.00",
        "−£500.00",
        "−£2,500.00",
    ]
    assert "Cancel CAP-2005 from 1 Jul 2014, exit cost £500.00" in table.rows[0].cells[0].text
    page = finance_client.get(f"/reports/{report.pk}/pack/").content.decode()
    assert "Appendix: scenario “Exit Capgemini”" in page
    assert "£19,500.00" in page


def test_a_scenario_goes_in_a_pack_once(cancel, finance_user):
    report = publish(finance_user)
    add_to_pack(scenario=cancel, report=report, user=finance_user)
    with pytest.raises(ValidationError, match="already in the pack"):
        add_to_pack(scenario=cancel, report=report, user=finance_user)
    assert PackAppendix.objects.count() == 1


def test_committee_cannot_add_to_a_pack(cancel, finance_user, committee_user, committee_client):
    report = publish(finance_user)
    with pytest.raises(PermissionDenied):
        add_to_pack(scenario=cancel, report=report, user=committee_user)
    response = committee_client.post(f"/scenarios/{cancel.pk}/pack/", {"report": report.pk})
    assert response.status_code == 403
    assert not PackAppendix.objects.exists()
