"""Finance's commentary on a published report: the service, who may write it, optimistic
locking, and the pack's commentary form."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from common.locking import StaleVersionError
from reports.commentary import save_commentary
from reports.models import Commentary
from tests.reports.published import publish


@pytest.fixture
def report(finance_user):
    return publish(finance_user)


def stored(report, section: str) -> Commentary | None:
    return Commentary.objects.filter(report=report, section=section).first()


def test_finance_writes_the_first_commentary_of_a_section(report, finance_user):
    save_commentary(
        report=report,
        section="spend",
        text="Spend is on track.\r\n\r\nThe overspend on OUT-01 is timing.\r\n",
        user=finance_user,
        expected_version=0,
    )
    row = stored(report, "spend")
    assert row.text == "Spend is on track.\n\nThe overspend on OUT-01 is timing."
    assert row.paragraphs == ["Spend is on track.", "The overspend on OUT-01 is timing."]
    assert (row.version, row.updated_by) == (1, finance_user)
    assert row.history.get().history_user == finance_user


def test_saving_again_takes_the_next_version(report, finance_user):
    save_commentary(report=report, section="summary", text="One.", user=finance_user)
    save_commentary(
        report=report, section="summary", text="Two.", user=finance_user, expected_version=1
    )
    row = stored(report, "summary")
    assert (row.text, row.version) == ("Two.", 2)
    assert Commentary.objects.filter(report=report).count() == 1


def test_a_stale_save_is_refused_and_keeps_the_other_persons_words(
    report, finance_user, admin_user
):
    save_commentary(report=report, section="savings", text="Fiona's view.", user=finance_user)
    save_commentary(
        report=report, section="savings", text="Adam's view.", user=admin_user, expected_version=1
    )
    with pytest.raises(StaleVersionError) as error:
        save_commentary(
            report=report,
            section="savings",
            text="Fiona again.",
            user=finance_user,
            expected_version=1,
        )
    assert error.value.changed_by == "Adam"
    row = stored(report, "savings")
    assert (row.text, row.version) == ("Adam's view.", 2)


def test_a_first_commentary_written_meanwhile_is_not_overwritten(report, finance_user, admin_user):
    save_commentary(
        report=report, section="risks", text="First.", user=admin_user, expected_version=0
    )
    with pytest.raises(StaleVersionError):
        save_commentary(
            report=report,
            section="risks",
            text="Also first.",
            user=finance_user,
            expected_version=0,
        )
    assert stored(report, "risks").text == "First."


def test_committee_cannot_write_commentary(report, committee_user):
    with pytest.raises(PermissionDenied):
        save_commentary(report=report, section="summary", text="Mine.", user=committee_user)
    assert not Commentary.objects.exists()


def test_admin_writes_commentary_too(report, admin_user):
    save_commentary(report=report, section="contracts", text="Decide by June.", user=admin_user)
    assert stored(report, "contracts").text == "Decide by June."


def test_an_unknown_section_is_refused(report, finance_user):
    with pytest.raises(ValidationError):
        save_commentary(report=report, section="gossip", text="x", user=finance_user)
    assert not Commentary.objects.exists()


def test_writing_commentary_leaves_the_published_report_as_it_was(report, finance_user):
    before = (report.payload, report.version, report.published_at)
    save_commentary(report=report, section="summary", text="Words.", user=finance_user)
    report.refresh_from_db()
    assert (report.payload, report.version, report.published_at) == before
