"""Closing a period from its checklist (reports.services.close_and_publish): Admin only,
one period at a time, a reason when items are outstanding, kept with the report and in
the year's history. The month is tests/reports/conftest.py's."""

import pytest
from django.core.exceptions import PermissionDenied

from budgets.models import FinancialYear
from budgets.services import reopen_period
from common.locking import StaleVersionError
from reports.models import PublishedReport
from reports.services import CloseRefusedError, ReasonRequiredError, close_and_publish

pytestmark = pytest.mark.django_db


def _year() -> FinancialYear:
    return FinancialYear.objects.get(label="2014-15")


def test_admin_closes_a_clear_period_and_its_report_is_published(clear, admin_user):
    report = close_and_publish(year=clear["year"], through=3, user=admin_user)

    year = _year()
    assert year.closed_through == 3
    assert year.history.latest().history_change_reason == "Closed through P3"
    stored = PublishedReport.objects.get()
    assert (stored.pk, stored.year, stored.period, stored.version) == (report.pk, year, 3, 1)
    assert (stored.published_by, stored.close_reason) == (admin_user, "")


def test_with_items_outstanding_closing_needs_a_reason_and_nothing_changes(month, admin_user):
    with pytest.raises(ReasonRequiredError, match=r"^4 checklist items are outstanding"):
        close_and_publish(year=month["year"], through=3, user=admin_user, reason="   ")

    assert _year().closed_through == 2
    assert not PublishedReport.objects.exists()


def test_the_reason_is_kept_on_the_report_and_in_the_years_history(month, admin_user):
    close_and_publish(
        year=month["year"], through=3, user=admin_user, reason=" BT invoice late; accrued "
    )

    year = _year()
    assert year.closed_through == 3
    assert (
        year.history.latest().history_change_reason == "Closed through P3: BT invoice late; accrued"
    )
    assert year.history.latest().history_user == admin_user
    assert PublishedReport.objects.get().close_reason == "BT invoice late; accrued"


@pytest.mark.parametrize(
    ("through", "refusal"),
    [
        (2, r"^P2 2014-15 is already closed \(closed through P2\)\.$"),
        (1, r"^P1 2014-15 is already closed"),
        (4, r"^Periods close in order: close P3 2014-15 before P4\.$"),
        (13, r"^A period is P1 to P12\.$"),
    ],
)
def test_a_closed_period_or_one_beyond_the_next_is_refused(clear, admin_user, through, refusal):
    with pytest.raises(CloseRefusedError, match=refusal):
        close_and_publish(year=clear["year"], through=through, user=admin_user, reason="why")

    assert _year().closed_through == 2
    assert not PublishedReport.objects.exists()


@pytest.mark.parametrize("role_fixture", ["finance_user", "committee_user"])
def test_only_admin_closes(request, clear, role_fixture):
    user = request.getfixturevalue(role_fixture)
    with pytest.raises(PermissionDenied):
        close_and_publish(year=clear["year"], through=3, user=user, reason="why")
    assert _year().closed_through == 2
    assert not PublishedReport.objects.exists()


def test_a_close_from_a_stale_page_is_refused(clear, admin_user):
    FinancialYear.objects.filter(pk=clear["year"].pk).update(version=2)
    with pytest.raises(StaleVersionError):
        close_and_publish(year=clear["year"], through=3, user=admin_user, expected_version=1)
    assert _year().closed_through == 2


def test_reopening_and_closing_again_publishes_a_new_version(clear, admin_user):
    close_and_publish(year=clear["year"], through=3, user=admin_user)
    reopen_period(year=clear["year"], period=3, reason="Late BT credit", user=admin_user)
    again = close_and_publish(year=clear["year"], through=3, user=admin_user, reason="Credit in")

    assert again.version == 2
    assert list(
        PublishedReport.objects.order_by("version").values_list("version", "close_reason")
    ) == [
        (1, ""),
        (2, "Credit in"),
    ]
    reasons = [r.history_change_reason for r in _year().history.order_by("history_id")][-3:]
    assert reasons == [
        "Closed through P3",
        "Reopened from P3: Late BT credit",
        "Closed through P3: Credit in",
    ]
