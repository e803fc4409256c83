"""Finance's commentary on a published report: the service, who may write it, optimistic
locking, and the pack's commentary form."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from common.locking import StaleVersionError
from reports.commentary import save_commentary
from reports.models import Commentary
from tests.figure_text import HOSTILE
from tests.reports.published import publish


@pytest.fixture
def report(finance_user):
    return publish(finance_user)


def stored(report, section: str) -> Commentary | None:
    return Commentary.objects.filter(report=report, section=section).first()


def form_url(report, section: str) -> str:
    return f"/reports/{report.pk}/pack/commentary/{section}/"


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


# The form in the pack.


def test_finance_saves_commentary_through_the_form(report, finance_client):
    page = finance_client.get(form_url(report, "spend"))
    assert page.status_code == 200
    assert page.context["form"]["version"].value() == 0
    response = finance_client.post(
        form_url(report, "spend"), {"text": "Timing only.\n\nNo action.", "version": "0"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{report.pk}/pack/#commentary-spend"
    assert stored(report, "spend").paragraphs == ["Timing only.", "No action."]
    pack = finance_client.get(response["Location"]).content.decode()
    assert "<p>Timing only.</p>" in pack and "<p>No action.</p>" in pack


def test_the_form_offers_the_stored_words_and_version(report, finance_user, finance_client):
    save_commentary(report=report, section="savings", text="Stored words.", user=finance_user)
    form = finance_client.get(form_url(report, "savings")).context["form"]
    assert (form["text"].value(), form["version"].value()) == ("Stored words.", 1)


def test_committee_cannot_open_or_post_the_form(report, committee_client):
    assert committee_client.get(form_url(report, "summary")).status_code == 403
    response = committee_client.post(form_url(report, "summary"), {"text": "x", "version": "0"})
    assert response.status_code == 403
    assert not Commentary.objects.exists()


def test_committee_post_changes_no_stored_commentary(report, finance_user, committee_client):
    save_commentary(report=report, section="summary", text="Finance's words.", user=finance_user)
    response = committee_client.post(
        form_url(report, "summary"), {"text": "Committee's words.", "version": "1"}
    )
    assert response.status_code == 403
    row = stored(report, "summary")
    assert (row.text, row.version) == ("Finance's words.", 1)


def test_a_stale_form_is_refused_with_both_versions_and_the_typed_words_kept(
    report, finance_client, admin_user
):
    save_commentary(report=report, section="spend", text="Adam's words.", user=admin_user)
    response = finance_client.post(
        form_url(report, "spend"), {"text": "Fiona's words.", "version": "0"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this record after you opened it" in html
    assert "Adam&#x27;s words." in html and "Fiona&#x27;s words." in html
    form = response.context["form"]
    assert (form["text"].value(), form["version"].value()) == ("Fiona's words.", "1")
    assert stored(report, "spend").text == "Adam's words."


def test_an_unknown_section_is_not_found(report, finance_client):
    assert finance_client.get(form_url(report, "gossip")).status_code == 404


def test_an_unknown_report_is_not_found(db, finance_client):
    assert finance_client.get("/reports/999/pack/commentary/summary/").status_code == 404


def test_commentary_is_escaped_in_the_pack(report, finance_user, finance_client):
    save_commentary(report=report, section="summary", text=HOSTILE, user=finance_user)
    html = finance_client.get(f"/reports/{report.pk}/pack/").content.decode()
    assert HOSTILE not in html
    assert "&lt;a href=&quot;https://evil.example/&quot;&gt;x&lt;/a&gt;" in html


def test_commentary_belongs_to_its_report_version(finance_user, finance_client):
    first = publish(finance_user, version=1)
    second = publish(finance_user, version=2)
    save_commentary(report=first, section="summary", text="Said of version 1.", user=finance_user)
    assert "Said of version 1." in finance_client.get(f"/reports/{first.pk}/pack/").content.decode()
    assert "Said of version 1." not in (
        finance_client.get(f"/reports/{second.pk}/pack/").content.decode()
    )
