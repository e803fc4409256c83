"""The checklist page: Finance and Admin read it, Admin closes from it; Committee gets
403 and a crafted POST changes nothing. The month is tests/reports/conftest.py's."""

from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.models import BudgetLine, Category, FinancialYear, MonthlyFigure
from reports.models import PublishedReport
from reports.services import close_and_publish
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/reports/2014-15/p3/checklist/"
CLOSE_BUTTON = b"Close P3 and publish the report"


def _year() -> FinancialYear:
    return FinancialYear.objects.get(label="2014-15")


def test_finance_reads_the_checklist_without_a_close_button(month, finance_user):
    response = client_for(finance_user).get(URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert "4 of 10 items outstanding." in body
    assert "No actual entered (budget £500.00)" in body
    assert '<a href="/savings/initiatives/MOBILE/years/2014-15/">MOBILE Mobile devices</a>' in body
    assert CLOSE_BUTTON not in response.content
    assert 'name="reason"' not in body


def test_finance_cannot_close_by_a_crafted_post(clear, finance_user):
    response = client_for(finance_user).post(URL, {"version": "1", "reason": "x"})
    assert response.status_code == 403
    assert _year().closed_through == 2
    assert not PublishedReport.objects.exists()


def test_committee_may_not_see_or_post_the_checklist(clear, committee_user):
    client = client_for(committee_user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"version": "1", "reason": "x"}).status_code == 403
    assert _year().closed_through == 2
    assert not PublishedReport.objects.exists()


def test_admin_sees_the_close_form_with_a_required_reason_when_items_are_outstanding(
    month, admin_user
):
    response = client_for(admin_user).get(URL)

    assert CLOSE_BUTTON in response.content
    body = response.content.decode()
    textarea = body[body.index("<textarea") : body.index("</textarea>")]
    assert 'name="reason"' in textarea and "required" in textarea
    assert 'aria-describedby="id_reason-hint"' in textarea


def test_a_clear_period_closes_without_a_reason_field(clear, admin_user):
    response = client_for(admin_user).get(URL)
    assert b"Nothing outstanding: every item is clear." in response.content
    assert CLOSE_BUTTON in response.content
    assert b'name="reason"' not in response.content


def test_admin_closing_without_a_reason_is_told_why_and_nothing_changes(month, admin_user):
    response = client_for(admin_user).post(URL, {"version": "1", "reason": ""})

    assert response.status_code == 200
    assert "4 checklist items are outstanding: give a reason" in response.content.decode()
    assert b'id="id_reason-error"' in response.content
    assert _year().closed_through == 2
    assert not PublishedReport.objects.exists()


def test_admin_closes_with_a_reason_and_lands_on_the_published_report(month, admin_user):
    response = client_for(admin_user).post(URL, {"version": "1", "reason": "BT invoice late"})

    report = PublishedReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{report.pk}/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "P3 2014-15 is closed and its report is published (version 1)."
    ]
    assert report.close_reason == "BT invoice late"
    assert _year().closed_through == 3


def test_closing_an_already_closed_period_is_refused_on_the_page(clear, admin_user):
    response = client_for(admin_user).post(
        "/reports/2014-15/p2/checklist/", {"version": "1", "reason": "again"}
    )
    assert response.status_code == 409
    assert b"P2 2014-15 is already closed (closed through P2)." in response.content
    assert not PublishedReport.objects.exists()


def test_closing_beyond_the_next_period_is_refused_on_the_page(clear, admin_user):
    client = client_for(admin_user)
    page = client.get("/reports/2014-15/p5/checklist/")
    assert CLOSE_BUTTON not in page.content
    assert b'<a href="/reports/2014-15/p3/checklist/">review and close P3</a>' in page.content

    response = client.post("/reports/2014-15/p5/checklist/", {"version": "1", "reason": "x"})
    assert response.status_code == 409
    assert b"Periods close in order: close P3 2014-15 before P5." in response.content
    assert _year().closed_through == 2


def test_a_close_from_a_page_opened_before_someone_else_closed_is_refused(clear, admin_user):
    client = client_for(admin_user)
    close_and_publish(year=clear["year"], through=3, user=admin_user)

    response = client.post(URL, {"version": "1", "reason": ""})
    assert response.status_code == 409
    assert b"P3 2014-15 is already closed" in response.content
    assert PublishedReport.objects.count() == 1


def test_a_stale_close_offers_the_form_again_with_the_typed_reason(clear, admin_user):
    FinancialYear.objects.filter(pk=clear["year"].pk).update(version=2)

    response = client_for(admin_user).post(URL, {"version": "1", "reason": "Kept words"})

    assert response.status_code == 409
    assert b"Someone else saved this record after you opened it" in response.content
    assert b"Kept words" in response.content
    assert b'name="version" value="2"' in response.content
    assert _year().closed_through == 2


@pytest.mark.parametrize(
    "url", ["/reports/2099-00/p3/checklist/", "/reports/2014-15/p13/checklist/"]
)
def test_an_unknown_year_or_period_is_not_found(world, admin_user, url):
    assert client_for(admin_user).get(url).status_code == 404


def test_the_checklist_of_a_closed_period_links_its_published_reports(clear, admin_user):
    report = close_and_publish(year=clear["year"], through=3, user=admin_user)

    response = client_for(admin_user).get(URL)

    assert CLOSE_BUTTON not in response.content
    assert b"P3 2014-15 is closed." in response.content
    assert f'<a href="/reports/{report.pk}/">Version 1'.encode() in response.content


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_page_needs_the_same_queries_however_many_lines_there_are(month, admin_user):
    client = client_for(admin_user)
    before = _queries(client)
    category = Category.objects.get(name="Networks")
    for n in range(5):
        line = BudgetLine.objects.create(
            code=f"NET-1{n}", name=f"Line {n}", category=category, contract=month["contracts"]["bt"]
        )
        MonthlyFigure.objects.bulk_create(
            MonthlyFigure(line=line, year=month["year"], period=p, budget=D("10.00"))
            for p in range(1, 13)
        )

    assert _queries(client) == before
    assert b"NET-14 Line 4" in client.get(URL).content
