"""manage.py send_digest and reports.digest: who is told what, once, and nobody when nothing
is new. The world (tests/world.py): 2014-15 closed through P2; CAP-2005 (notice by
30 Jun 2015, ends 31 Dec 2015) and BT-NET (notice by 31 Mar 2016, ends 31 Mar 2017)."""

import logging
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from budgets.models import FinancialYear
from common import snapshot
from common.models import NotificationPreference
from common.roles import COMMITTEE
from common.services import save_notification_preferences
from contracts.models import Contract, ContractChange
from contracts.services import record_change
from reports import digest
from reports.checklist import checklist_for
from reports.models import PublishedReport
from reports.movement import movement
from reports.publishing import publish_report
from savings.models import Initiative
from tests.conftest import make_user

SITE = "https://metbudget.example.org"
LONDON = ZoneInfo("Europe/London")


def moment(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


RUN = moment(2015, 10, 5, 7, 0)  # the digest's first run in these tests


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The wall clock: the world is built on 1 Oct 2015 at 09:00; `clock.set(...)` moves it."""

    class Clock:
        def set(self, at: datetime) -> None:
            monkeypatch.setattr(timezone, "now", lambda: at)

    clock = Clock()
    clock.set(moment(2015, 10, 1, 9, 0))
    return clock


@pytest.fixture
def send(clock):
    """Run `manage.py send_digest` at `at` (the clock stays there); what it printed."""

    def run(*args, at: datetime = RUN) -> str:
        clock.set(at)
        out = StringIO()
        call_command("send_digest", *args, stdout=out)
        return out.getvalue()

    return run


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def people(world, committee_user, finance_user, admin_user) -> dict:
    for user in (committee_user, finance_user, admin_user):
        user.email = f"{user.username}@example.org"
        user.save()
    return {"carol": committee_user, "fiona": finance_user, "adam": admin_user}


def choose(user, **choices) -> NotificationPreference:
    """The person's own choices, saved as the profile page saves them."""
    current = NotificationPreference.objects.for_user(user)
    return save_notification_preferences(
        actor=user, user=user, choices=choices, expected_version=current.version
    )


def only(user, **choices) -> NotificationPreference:
    """Everything off but `choices`."""
    off = dict(report_published=False, ready_to_close=False, decisions_due=False)
    return choose(user, **{**off, "rag_changes": False, **choices})


def published(year: FinancialYear, period: int, by, at: datetime, version: int = 1):
    """A report row as stored (its payload is not read by the digest)."""
    payload = snapshot.dumps({"format": 1, "year": year.label, "period": period})
    return PublishedReport.objects.create(
        year=year, period=period, version=version, published_at=at, published_by=by, payload=payload
    )


def last_sent(user) -> datetime | None:
    stored = NotificationPreference.objects.filter(user=user).first()
    return stored.last_sent_at if stored else None


def to(mailoutbox, user) -> list[EmailMessage]:
    return [message for message in mailoutbox if message.to == [user.email]]


# Reports published


def test_a_published_report_reaches_everyone_by_default(people, mailoutbox, world, send):
    report = published(world["year"], 2, people["fiona"], moment(2015, 10, 5, 6, 0))

    send()

    assert sorted(m.to[0] for m in mailoutbox) == [
        "adam@example.org",
        "carol@example.org",
        "fiona@example.org",
    ]
    message = to(mailoutbox, people["carol"])[0]
    assert message.subject == "metbudget digest: 1 report published"
    assert "- 2014-15 P2 report (version 1) published by Fiona on 5 Oct 2015\n" in message.body
    assert f"  {SITE}/reports/{report.pk}/\n" in message.body
    assert f"{SITE}/accounts/profile/" in message.body
    assert last_sent(people["carol"]) == moment(2015, 10, 5, 7, 0)


def test_nothing_new_sends_no_email_and_records_nothing(people, mailoutbox, world, send):
    # A first digest covers the last day: this report is two days old.
    published(world["year"], 2, people["fiona"], moment(2015, 10, 3, 6, 0))

    output = send()

    assert mailoutbox == []
    assert not NotificationPreference.objects.exists()
    assert "Sent 0 digests." in output


def test_the_next_run_does_not_tell_the_same_report_again(people, mailoutbox, world, send):
    published(world["year"], 2, people["fiona"], moment(2015, 10, 5, 6, 0))
    send()
    mailoutbox.clear()

    send(at=moment(2015, 10, 6, 7, 0))

    assert mailoutbox == []
    assert last_sent(people["fiona"]) == moment(2015, 10, 5, 7, 0)


def test_a_report_is_told_when_published_after_the_last_digest_only(
    people, mailoutbox, world, send
):
    NotificationPreference.objects.create(user=people["carol"], last_sent_at=moment(2015, 9, 1))
    older = published(world["year"], 1, people["fiona"], moment(2015, 8, 31, 23, 0))
    newer = published(world["year"], 2, people["fiona"], moment(2015, 9, 20, 9, 30))

    send()

    body = to(mailoutbox, people["carol"])[0].body
    assert "Since your last digest (1 Sep 2015 at 00:00):" in body
    assert f"/reports/{newer.pk}/" in body
    assert f"/reports/{older.pk}/" not in body
    assert to(mailoutbox, people["fiona"]) == []  # her first digest covers the last day only


def test_two_reports_and_a_new_version_are_counted_in_the_subject(people, mailoutbox, world, send):
    published(world["year"], 1, people["fiona"], moment(2015, 10, 4, 12, 0))
    published(world["year"], 1, people["adam"], moment(2015, 10, 5, 6, 0), version=2)

    send()

    message = to(mailoutbox, people["carol"])[0]
    assert message.subject == "metbudget digest: 2 reports published"
    assert message.body.index("(version 1)") < message.body.index("(version 2) published by Adam")


def test_people_who_opted_out_or_left_get_nothing(people, mailoutbox, world, send):
    only(people["carol"])
    people["adam"].is_active = False
    people["adam"].save()
    published(world["year"], 2, people["fiona"], moment(2015, 10, 5, 6, 0))

    send()

    assert [m.to for m in mailoutbox] == [["fiona@example.org"]]
    assert last_sent(people["carol"]) is None
    assert last_sent(people["adam"]) is None


def test_a_person_without_an_email_address_is_skipped_with_a_note(people, mailoutbox, world, send):
    people["carol"].email = ""
    people["carol"].save()
    published(world["year"], 2, people["fiona"], moment(2015, 10, 5, 6, 0))

    output = send()

    assert "Skipped carol: no email address (metbudget digest: 1 report published)." in output
    assert len(mailoutbox) == 2
    assert last_sent(people["carol"]) is None


# Contract decisions (as at the wall clock: 5 Oct 2015)


@pytest.mark.parametrize(
    ("months", "references"),
    [(3, ["CAP-2005"]), (6, ["CAP-2005", "BT-NET"]), (24, ["CAP-2005", "BT-NET"])],
)
def test_decisions_due_within_the_persons_window(people, mailoutbox, months, references, send):
    only(people["fiona"], decisions_due=True, decision_window_months=months)

    send()

    (message,) = mailoutbox
    assert message.to == ["fiona@example.org"]
    listed = [ref for ref in ("CAP-2005", "BT-NET") if f"- {ref} " in message.body]
    assert listed == references
    assert f"Contract decisions due within {months} months" in message.body
    # CAP-2005's notice date has passed: it is still due, and says so.
    assert (
        "- CAP-2005 Outsourced IT services (Capgemini): notice by 30 Jun 2015 (passed), "
        "ends 31 Dec 2015\n"
    ) in message.body
    assert f"  {SITE}/contracts/CAP-2005/\n" in message.body


def test_a_decision_is_told_once_then_when_it_comes_within_the_window(people, mailoutbox, send):
    only(people["fiona"], decisions_due=True, decision_window_months=3)
    send()  # 5 Oct 2015: CAP-2005 only
    mailoutbox.clear()

    # BT-NET's notice date (31 Mar 2016) is still 3 months and a day away.
    send(at=moment(2015, 12, 30, 7, 0))
    assert mailoutbox == []

    send(at=moment(2015, 12, 31, 7, 0))
    (message,) = mailoutbox
    assert message.subject == "metbudget digest: 1 decision due"
    assert "- BT-NET " in message.body
    assert "CAP-2005" not in message.body


def test_a_contract_changed_since_the_last_digest_is_told_again(people, clock, mailoutbox, send):
    only(people["fiona"], decisions_due=True, decision_window_months=3)
    send()
    mailoutbox.clear()

    clock.set(moment(2015, 10, 6, 9, 0))
    record_change(  # extended by three months: notice now by 30 Sep 2015, still due
        contract=Contract.objects.get(reference="CAP-2005"),
        kind=ContractChange.Kind.EXTENSION,
        effective_date=date(2015, 10, 6),
        new_end_date=date(2016, 3, 31),
        user=people["adam"],
    )
    send(at=moment(2015, 10, 7, 7, 0))

    (message,) = mailoutbox
    assert "- CAP-2005 Outsourced IT services (Capgemini): notice by 30 Sep 2015 (passed)" in (
        message.body
    )


def test_after_choosing_a_wider_window_every_decision_in_it_is_listed(
    people, clock, mailoutbox, send
):
    only(people["fiona"], decisions_due=True, decision_window_months=3)
    send()
    mailoutbox.clear()

    clock.set(moment(2015, 10, 5, 12, 0))
    choose(people["fiona"], decision_window_months=6)
    send(at=moment(2015, 10, 6, 7, 0))

    (message,) = mailoutbox
    assert message.subject == "metbudget digest: 2 decisions due"


def test_an_expired_contract_is_not_due(people, mailoutbox, send):
    Contract.objects.filter(reference="CAP-2005").update(status=Contract.Status.EXPIRED)
    only(people["fiona"], decisions_due=True, decision_window_months=3)

    send()

    assert mailoutbox == []


def test_the_subject_counts_each_kind(people, mailoutbox, world, send):
    only(people["fiona"], report_published=True, decisions_due=True, decision_window_months=3)
    published(world["year"], 1, people["adam"], moment(2015, 10, 4, 12, 0))
    published(world["year"], 2, people["adam"], moment(2015, 10, 5, 6, 0))

    send()

    (message,) = to(mailoutbox, people["fiona"])
    assert message.subject == "metbudget digest: 2 reports published, 1 decision due"
    assert message.body.startswith("Hello Fiona,\n\nYour first metbudget digest:\n")


# A period ready to close (Finance and Admin), from the close checklist


def test_finance_and_admin_hear_that_a_period_is_ready_to_close(people, mailoutbox, world, send):
    for user in people.values():
        NotificationPreference.objects.create(
            user=user, report_published=False, ready_to_close=True
        )
    # 2014-15 is closed through P2; P3 ended on 30 Jun 2014 and NET-01 has no P3 actual.
    checklist = checklist_for(world["year"], 3)
    outstanding = checklist.outstanding
    missing = next(item for item in checklist.items if item.key == "missing_actuals")
    assert [row["what"] for row in missing.rows] == ["NET-01 Network services"]

    send()

    assert sorted(m.to[0] for m in mailoutbox) == ["adam@example.org", "fiona@example.org"]
    message = to(mailoutbox, people["fiona"])[0]
    assert message.subject == "metbudget digest: 2014-15 P3 ready to close"
    items = "checklist item" if outstanding == 1 else "checklist items"
    assert (
        f"- 2014-15 P3 ended on 30 Jun 2014 and is not closed: {outstanding} {items} outstanding."
        in message.body
    )
    assert f"  {SITE}/reports/2014-15/p3/checklist/\n" in message.body
    # Then each outstanding item, linked to where it is fixed.
    assert f"- Lines missing actuals: 1\n  {SITE}/budgets/2014-15/p3/\n" in message.body
    assert message.body.count("\n- ") == 1 + outstanding


def test_the_period_waiting_to_close_is_the_latest_begun_years_next_open_one(world):
    year = world["year"]  # 2014-15, closed through P2
    FinancialYear.objects.create(label="2099-00", start=date(2099, 4, 1))  # not begun

    assert digest.awaiting_close(date(2014, 6, 30)) is None  # P3 still running
    assert digest.awaiting_close(date(2014, 7, 1)) == (year, 3)
    FinancialYear.objects.filter(pk=year.pk).update(closed_through=12)
    assert digest.awaiting_close(date(2015, 5, 1)) is None


# RAG changes between the two latest published reports


def test_rag_changes_of_the_new_report_are_told(people, clock, mailoutbox, world, send):
    year = world["year"]  # closed through P2
    publish_report(year=year, period=2, user=people["adam"])
    # Before P3 closes, the renegotiation's delivery confidence drops from amber to red.
    Initiative.objects.filter(code="CAP-RENEG").update(confidence="red")
    FinancialYear.objects.filter(pk=year.pk).update(closed_through=3)
    clock.set(moment(2015, 10, 5, 6, 0))
    latest = publish_report(year=year, period=3, user=people["adam"])
    only(people["carol"], rag_changes=True)

    send()

    (message,) = to(mailoutbox, people["carol"])
    assert message.subject == "metbudget digest: 1 RAG change"
    assert "RAG changes in the 2014-15 P3 report since 2014-15 P2" in message.body
    assert "- CAP-RENEG: Renegotiate (delivery confidence): Amber -> Red\n" in message.body
    assert f"  {SITE}/reports/{latest.pk}/\n" in message.body
    # The words are the lead's movement between the two stored reports, not a fresh sum.
    previous = PublishedReport.objects.before(latest).get()
    assert len(movement(latest.data, previous.data)["rag_changes"]) == 1


def test_rag_changes_are_not_told_twice(people, mailoutbox, world, monkeypatch, send):
    report = published(world["year"], 3, people["adam"], moment(2015, 10, 5, 6, 0))
    news = digest.RagNews(
        report=report,
        previous_label="2014-15 P2",
        changes=({"what": "Spend against budget", "previous": "green", "current": "red"},),
    )
    monkeypatch.setattr(digest, "rag_news", lambda: news)
    only(people["carol"], rag_changes=True)

    send()
    (message,) = to(mailoutbox, people["carol"])
    assert message.subject == "metbudget digest: 1 RAG change"
    assert "RAG changes in the 2014-15 P3 report since 2014-15 P2\n" in message.body
    assert "- Spend against budget: Green -> Red\n" in message.body
    mailoutbox.clear()

    send(at=moment(2015, 10, 6, 7, 0))
    assert mailoutbox == []


# Failures and the dry run


def test_one_failed_recipient_does_not_stop_the_others(
    people, mailoutbox, world, monkeypatch, caplog, send
):
    published(world["year"], 2, people["fiona"], moment(2015, 10, 5, 6, 0))
    real_send = EmailMessage.send

    def send_or_fail(message, *args, **kwargs):
        if message.to == ["carol@example.org"]:
            raise ConnectionRefusedError("mail server said no")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", send_or_fail)

    with caplog.at_level(logging.ERROR), pytest.raises(CommandError, match="1 digest was not sent"):
        send()

    assert sorted(m.to[0] for m in mailoutbox) == ["adam@example.org", "fiona@example.org"]
    assert last_sent(people["carol"]) is None
    assert last_sent(people["adam"]) == moment(2015, 10, 5, 7, 0)
    assert "Could not send the digest to carol" in caplog.text
    assert "mail server said no" in caplog.text


def test_a_failed_digest_is_told_again_on_the_next_run(
    people, mailoutbox, world, monkeypatch, send
):
    published(world["year"], 2, people["fiona"], moment(2015, 10, 5, 6, 0))
    monkeypatch.setattr(EmailMessage, "send", lambda *a, **k: 1 / 0)
    with pytest.raises(CommandError, match="3 digests were not sent"):
        send()
    monkeypatch.undo()

    send(at=moment(2015, 10, 5, 8, 0))  # still within the first day

    assert len(mailoutbox) == 3


def test_dry_run_prints_what_would_be_sent_and_sends_nothing(people, mailoutbox, world, send):
    published(world["year"], 2, people["fiona"], moment(2015, 10, 5, 6, 0))

    output = send("--dry-run")

    assert mailoutbox == []
    assert "To: carol@example.org\nSubject: metbudget digest: 1 report published\n" in output
    assert "Hello Carol," in output
    assert "Would send 3 digests." in output
    assert not NotificationPreference.objects.exists()


def test_nobody_asking_for_anything_sends_nothing(people, mailoutbox, world, send):
    for user in people.values():
        only(user)
    published(world["year"], 2, people["fiona"], moment(2015, 10, 5, 6, 0))

    assert "Nobody has asked for a digest." in send()
    assert mailoutbox == []


def test_recipients_are_the_active_people_who_asked_for_anything(people):
    only(people["carol"])
    make_user("dora", COMMITTEE, is_active=False)

    assert [user.username for user, _ in digest.recipients()] == ["adam", "fiona"]


def test_first_digest_covers_the_last_day(people):
    now = moment(2015, 10, 5, 7, 0)
    preference = NotificationPreference(user=people["carol"])
    assert digest.since_for(preference, now) == now - timedelta(days=1)
