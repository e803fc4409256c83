"""The line page's change history: who changed what on a line and its figures, old -> new,
read from django-simple-history rows and compared by `common.history.differences`."""

from collections.abc import Callable, Iterable

from django.db.models import Model

from budgets.models import BudgetLine, FinancialYear, MonthlyFigure
from common.history import differences

CHANGES_SHOWN = 100
FIGURE_FIELDS = ("budget", "original_budget", "actual", "forecast", "note")
LINE_FIELDS = ("code", "name", "category", "contract", "owner", "active")
NOT_RECORDED = "not recorded"


def line_changes(line: BudgetLine, year: FinancialYear) -> list[dict]:
    """Who changed what, old -> new, on the line and its figures in `year`, newest first
    (at most CHANGES_SHOWN). Each is a dict: when, order, who, reason, what, field, old, new.

    Compares consecutive history rows of each record: two queries, whatever the number
    of changes.
    """
    figures = (
        MonthlyFigure.history.filter(line_id=line.pk, year_id=year.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    lines = (
        BudgetLine.history.filter(id=line.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    changes = _changes(figures, _labels(MonthlyFigure, FIGURE_FIELDS), lambda r: f"P{r.period}")
    changes += _changes(lines, _labels(BudgetLine, LINE_FIELDS), lambda r: "Line", created=True)
    changes.sort(key=lambda change: (change["when"], change["order"]), reverse=True)
    return changes[:CHANGES_SHOWN]


def _labels(model: type[Model], fields: tuple[str, ...]) -> dict[str, str]:
    """The label `differences` gives each shown field -> the name the page shows."""
    return {
        str(model._meta.get_field(name).verbose_name): name.replace("_", " ") for name in fields
    }


def _changes(
    records: Iterable, labels: dict[str, str], subject: Callable, *, created: bool = False
) -> list[dict]:
    """A row per changed field of each change ("~") record, against the record's previous
    history row; a record first seen as a change (written before history was kept for it)
    has old values NOT_RECORDED. With `created`, a creation ("+") is one row."""
    previous: dict[int, Model] = {}
    changes = []
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        base = {
            "when": record.history_date,
            "order": record.history_id,
            "who": _who(record.history_user),
            "reason": record.history_change_reason or "",
            "what": subject(record),
        }
        if record.history_type == "+" and created:
            changes.append({**base, "field": "", "old": "", "new": "created"})
        if record.history_type != "~":
            continue
        for label, old, new in differences(before, record):
            if label in labels:
                old = old if before is not None else NOT_RECORDED
                changes.append({**base, "field": labels[label], "old": old, "new": new})
    return changes


def _who(user) -> str:
    if user is None:
        return "system"
    return user.get_full_name() or user.get_username()
