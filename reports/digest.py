"""What each person's daily digest tells them (`manage.py send_digest`), read from stored data.

`gather` reads once per run what the data says now: the reports published lately, the period
waiting to be closed with its checklist, and the RAG changes of the latest report.
`digest_for` picks from that what one person asked for (their `NotificationPreference`) and
has not been told yet, adds the contract decisions that came within their window, and gives
a `Digest` (subject and plain text), or None when there is nothing new.

"Since the last digest" is since the person's `last_sent_at`, which moves only when an email
actually went out. A person who never had one is told about reports of the last day only
(FIRST_DIGEST_WINDOW): the daily run covers each day once, and a new account is not sent the
whole archive; their first digest lists every contract decision already due in their window.
The period waiting to be closed is a reminder, told every day until it is closed.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from budgets.models import FinancialYear
from common.models import NotificationPreference
from common.money import add_months
from common.rag import rag_word
from common.roles import ADMIN, FINANCE
from contracts.models import Contract
from reports.checklist import checklist_for
from reports.models import PublishedReport
from reports.movement import movement

FIRST_DIGEST_WINDOW = timedelta(days=1)
CLOSERS = (FINANCE, ADMIN)  # the roles told when a period is waiting to be closed


@dataclass(frozen=True)
class Item:
    text: str
    path: str  # the page it is about, on this site


@dataclass(frozen=True)
class Section:
    title: str
    summary: str  # its part of the subject line, e.g. "2 reports published"
    items: tuple[Item, ...]


@dataclass(frozen=True)
class RagNews:
    report: PublishedReport
    previous_label: str
    changes: tuple[dict, ...]  # {"what", "previous", "current"}: rag codes


@dataclass(frozen=True)
class Facts:
    """What the stored data says at `now`, the same for everyone."""

    now: datetime
    reports: tuple[PublishedReport, ...]  # published after the run's earliest `since`
    close: Section | None = None
    rag: RagNews | None = None


@dataclass(frozen=True)
class Digest:
    user: AbstractBaseUser
    since: datetime | None  # the last digest sent; None for the first
    sections: tuple[Section, ...]
    site_url: str
    profile_path: str = field(default_factory=lambda: reverse("profile"))

    @property
    def subject(self) -> str:
        return "metbudget digest: " + ", ".join(section.summary for section in self.sections)

    @property
    def body(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        opening = (
            f"Since your last digest ({_when(self.since)}):"
            if self.since
            else "Your first metbudget digest:"
        )
        lines = [f"Hello {name},", "", opening]
        for section in self.sections:
            lines += ["", section.title, ""]
            for item in section.items:
                lines += [f"- {item.text}", f"  {self.site_url}{item.path}"]
        lines += [
            "",
            "-- ",
            "You receive this because you asked for it. Choose what the digest tells you:",
            f"{self.site_url}{self.profile_path}",
        ]
        return "\n".join(lines) + "\n"


def _day(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%-d %b %Y}"


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%-d %b %Y at %H:%M}"


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _name(user: AbstractBaseUser | None) -> str:
    return (user.get_full_name() or user.get_username()) if user else "someone"


# What the data says: read once per run.


def since_for(preference: NotificationPreference, now: datetime) -> datetime:
    """From when this person's digest reports publications."""
    return preference.last_sent_at or now - FIRST_DIGEST_WINDOW


def awaiting_close(today: date) -> tuple[FinancialYear, int] | None:
    """The next open period of the latest year begun by `today`, once that period has ended
    (its end date before `today`); None when it has not or the year is closed through P12."""
    year = FinancialYear.objects.filter(start__lte=today).order_by("-start").first()
    if year is None or year.closed_through >= 12:
        return None
    period = year.closed_through + 1
    if year.period_end(period) >= today:
        return None
    return year, period


def close_section(today: date) -> Section | None:
    """The period waiting to be closed, with how many checklist items are outstanding; then
    each of them, with how many things it holds and the page where they are fixed."""
    found = awaiting_close(today)
    if found is None:
        return None
    year, period = found
    checklist = checklist_for(year, period)
    status = (
        _count(checklist.outstanding, "checklist item outstanding", "checklist items outstanding")
        if checklist.outstanding
        else "nothing outstanding on its checklist"
    )
    head = Item(
        text=f"{year.label} P{period} ended on {year.period_end(period):%-d %b %Y} and is not "
        f"closed: {status}.",
        path=reverse("reports:checklist", args=[year.label, period]),
    )
    outstanding = tuple(
        Item(text=f"{item.label}: {item.count}", path=item.fix_url)
        for item in checklist.items
        if item.rows
    )
    return Section(
        title="Ready to close",
        summary=f"{year.label} P{period} ready to close",
        items=(head, *outstanding),
    )


def rag_news() -> RagNews | None:
    """The RAG ratings that moved between the latest published report and the one before."""
    reports = PublishedReport.objects.select_related("year")
    latest = reports.current().latest_first().first()
    previous = reports.before(latest).first() if latest else None
    if previous is None:
        return None
    moved = movement(latest.data, previous.data) or {}
    changes = tuple(moved.get("rag_changes") or ())
    if not changes:
        return None
    return RagNews(report=latest, previous_label=moved["previous_label"], changes=changes)


def gather(*, now: datetime, since: datetime, close: bool = True, rag: bool = True) -> Facts:
    """What everyone's digest may draw on, for people whose digests start at `since` or
    later. The checklist and the RAG changes are read only when someone asked for them."""
    published = (
        PublishedReport.objects.filter(published_at__gt=since)
        .select_related("year", "published_by")
        .order_by("published_at", "pk")
    )
    return Facts(
        now=now,
        reports=tuple(published),
        close=close_section(timezone.localdate(now)) if close else None,
        rag=rag_news() if rag else None,
    )


# What one person is told.


def reports_section(reports: list[PublishedReport]) -> Section | None:
    if not reports:
        return None
    items = tuple(
        Item(
            text=f"{r.year.label} P{r.period} report (version {r.version}) published by "
            f"{_name(r.published_by)} on {_day(r.published_at)}",
            path=r.get_absolute_url(),
        )
        for r in reports
    )
    summary = _count(len(items), "report published", "reports published")
    return Section(title="Reports published", summary=summary, items=items)


def chose_since(preference: NotificationPreference, moment: datetime) -> bool:
    """Whether the person saved their choices after `moment`."""
    if preference.pk is None:
        return False
    return preference.history.filter(history_date__gt=moment).exists()


def decisions_due(*, preference: NotificationPreference, today: date) -> QuerySet:
    """Live contracts whose decision date falls within the person's window from `today`
    (overdue ones included), less those a previous digest already told them about: due
    within the window as it stood then, and unchanged since. After the person changes
    their choices, the next digest lists every one of them again."""
    months = preference.decision_window_months
    due = Contract.objects.decision_due_by(add_months(today, months))
    last = preference.last_sent_at
    if last is not None and not chose_since(preference, last):
        changed = Contract.history.filter(history_date__gt=last).values("id")
        told = Contract.objects.decision_due_by(add_months(timezone.localdate(last), months))
        due = due.exclude(pk__in=told.exclude(pk__in=changed).values("pk"))
    return due.select_related("supplier").order_by("end_date", "reference")


def decisions_section(preference: NotificationPreference, today: date) -> Section | None:
    contracts = list(decisions_due(preference=preference, today=today))
    if not contracts:
        return None
    items = tuple(
        Item(
            text=f"{c.reference} {c.title} ({c.supplier.name}): notice by "
            f"{c.decision_date:%-d %b %Y}{' (passed)' if c.decision_date < today else ''}, "
            f"ends {c.end_date:%-d %b %Y}",
            path=c.get_absolute_url(),
        )
        for c in contracts
    )
    months = _count(preference.decision_window_months, "month", "months")
    return Section(
        title=f"Contract decisions due within {months}",
        summary=_count(len(items), "decision due", "decisions due"),
        items=items,
    )


def rag_section(news: RagNews) -> Section:
    report = news.report
    items = tuple(
        Item(
            text=f"{change['what']}: {rag_word(change['previous'])} -> "
            f"{rag_word(change['current'])}",
            path=report.get_absolute_url(),
        )
        for change in news.changes
    )
    return Section(
        title=f"RAG changes in the {report.year.label} P{report.period} report since "
        f"{news.previous_label}",
        summary=_count(len(items), "RAG change", "RAG changes"),
        items=items,
    )


def digest_for(
    *,
    user: AbstractBaseUser,
    preference: NotificationPreference,
    role: str | None,
    facts: Facts,
    site_url: str,
) -> Digest | None:
    """What `user` asked to hear and has not heard yet; None when nothing."""
    since = since_for(preference, facts.now)
    today = timezone.localdate(facts.now)
    sections = []
    if preference.report_published:
        sections.append(reports_section([r for r in facts.reports if r.published_at > since]))
    if preference.ready_to_close and role in CLOSERS:
        sections.append(facts.close)
    if preference.decisions_due:
        sections.append(decisions_section(preference, today))
    if preference.rag_changes and facts.rag and facts.rag.report.published_at > since:
        sections.append(rag_section(facts.rag))
    sections = tuple(section for section in sections if section is not None)
    if not sections:
        return None
    return Digest(user=user, since=preference.last_sent_at, sections=sections, site_url=site_url)


def recipients() -> list[tuple[AbstractBaseUser, NotificationPreference]]:
    """Every active person who asked for anything, with their preferences (the defaults
    for those who never chose), by username."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .select_related("notification_preference")
        .prefetch_related("groups")
        .order_by("username")
    )
    found = []
    for user in users:
        try:
            preference = user.notification_preference
        except NotificationPreference.DoesNotExist:
            preference = NotificationPreference(user=user, version=0)
        if preference.wants_anything:
            found.append((user, preference))
    return found
