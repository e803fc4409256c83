"""The rows of /history/: recent changes across the system, read from every model's history
table (the page is reports.views.HistoryView, with reports.filters and reports.tables).

The history tables of all tracked models are combined with one UNION query (each filtered
by user and date first, newest first, a page at a time); the page's rows are then
described, linked and compared with the record's previous history row
(`common.history.differences`) using at most two queries per record type on the page, so
the page's query count does not grow with the number of rows.
"""

from collections import defaultdict
from collections.abc import Callable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import CharField, F, Model, OuterRef, QuerySet, Subquery, Value
from django.urls import NoReverseMatch, reverse
from django_tables2.data import TableData

from common.history import differences

TRACKED_APPS = ("contracts", "budgets", "savings", "projects")
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
EXPORT_LIMIT = 50_000


def tracked_models() -> dict[str, type[Model]]:
    """Every model of the project's apps that keeps a simple-history table, by label."""
    return {
        model._meta.label_lower: model
        for label in TRACKED_APPS
        for model in apps.get_app_config(label).get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None)
    }


def _history(model: type[Model]) -> QuerySet:
    return getattr(model, model._meta.simple_history_manager_attribute).all()


def _url(name: str, *args, query: str = "") -> str | None:
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return None


# How to name and link a historical row of each model: (related fields to join, describe).
Describe = Callable[[Model], tuple[str, str | None]]
RECORDS: dict[str, tuple[tuple[str, ...], Describe]] = {
    "budgets.monthlyfigure": (
        ("line", "year"),
        lambda r: (
            f"{r.line.code} {r.year.label} P{r.period}" if r.line and r.year else f"#{r.id}",
            _url("budgets:line", r.line.code, query=f"?year={r.year.label}")
            if r.line and r.year
            else None,
        ),
    ),
    "budgets.budgetline": ((), lambda r: (f"{r.code} {r.name}", _url("budgets:line", r.code))),
    "budgets.financialyear": (
        (),
        lambda r: (r.label, _url("budgets:index", query=f"?year={r.label}")),
    ),
    "budgets.importbatch": ((), lambda r: (r.filename, _url("budgets:import_batch", r.id))),
    "budgets.budgetchange": (
        (),
        lambda r: (f"Budget change {r.id} ({r.get_kind_display()})", _url("budgets:change", r.id)),
    ),
    "budgets.budgetchangeline": (
        ("line", "year"),
        lambda r: (
            f"Budget change {r.change_id}: {r.line.code if r.line else '?'} "
            f"{r.year.label if r.year else ''} P{r.period}",
            _url("budgets:change", r.change_id),
        ),
    ),
    "contracts.supplier": ((), lambda r: (r.name, _url("contracts:supplier", r.id))),
    "contracts.contract": (
        (),
        lambda r: (f"{r.reference}: {r.title}", _url("contracts:detail", r.reference)),
    ),
    "contracts.contractchange": (
        ("contract",),
        lambda r: (
            f"{r.get_kind_display()} of {r.contract.reference if r.contract else '?'}",
            _url("contracts:detail", r.contract.reference) if r.contract else None,
        ),
    ),
    "savings.reductionprogramme": ((), lambda r: (r.name, _url("savings:index"))),
    "savings.savingstarget": (
        ("year",),
        lambda r: (
            f"Savings target {r.year.label if r.year else ''}".strip(),
            _url("savings:index"),
        ),
    ),
    "savings.initiative": (
        (),
        lambda r: (f"{r.code} {r.name}", _url("savings:initiative", r.code)),
    ),
    "savings.savingsclaim": (
        ("initiative", "year"),
        lambda r: (
            f"Claim {r.id}: {r.initiative.code if r.initiative else '?'} "
            f"{r.year.label if r.year else ''} ({r.get_status_display().lower()})",
            _url("savings:initiative", r.initiative.code) if r.initiative else None,
        ),
    ),
    "savings.initiativeyear": (
        ("initiative", "year"),
        lambda r: (
            f"{r.initiative.code} {r.year.label}" if r.initiative and r.year else f"#{r.id}",
            _url("savings:initiative", r.initiative.code) if r.initiative else None,
        ),
    ),
    "projects.project": ((), lambda r: (f"{r.code} {r.name}", _url("projects:detail", r.code))),
    "projects.projectforecast": (
        ("project",),
        lambda r: _of_project(r, f"Forecast of {r.as_of:%-d %b %Y}"),
    ),
    "projects.rebaseline": (
        ("project",),
        lambda r: _of_project(r, f"Baseline of {r.effective:%-d %b %Y}"),
    ),
    "projects.benefitmeasure": (
        (),
        lambda r: (f"{r.code} {r.name}", _url("benefits:measure", r.code)),
    ),
    "projects.benefitvalue": (
        ("measure",),
        lambda r: (
            f"{r.measure.code} {r.month:%b %Y}" if r.measure else f"#{r.id}",
            _url("benefits:measure", r.measure.code) if r.measure else None,
        ),
    ),
    "projects.officercount": (
        ("year",),
        lambda r: (f"Officers {r.year.label if r.year else ''}".strip(), _url("benefits:index")),
    ),
}


def _of_project(record: Model, what: str) -> tuple[str, str | None]:
    """A forecast or baseline: named with its project, linked to the project's page."""
    if record.project is None:
        return f"{what} (project #{record.project_id})", None
    return f"{record.project.code}: {what}", _url("projects:detail", record.project.code)


def changes(
    record_type: str | None = None, narrow: Callable[[QuerySet], QuerySet] | None = None
) -> QuerySet:
    """One row per history record of every tracked model (or of `record_type` alone),
    newest first: history_id, history_date, history_type, history_user_id,
    history_change_reason, record_type, object_id. `narrow` filters each model's history
    before the tables are combined (a UNION cannot be filtered afterwards)."""
    models = tracked_models()
    if record_type:
        models = {record_type: models[record_type]}
    parts = []
    for label, model in models.items():
        qs = _history(model)
        if narrow is not None:
            qs = narrow(qs)
        parts.append(
            qs.order_by()
            .annotate(
                record_type=Value(label, output_field=CharField()),
                object_id=F(model._meta.pk.attname),
            )
            .values(
                "history_id",
                "history_date",
                "history_type",
                "history_user_id",
                "history_change_reason",
                "record_type",
                "object_id",
            )
        )
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by("-history_date", "-history_id")


def describe(rows: list[dict]) -> list[dict]:
    """Add who, action, type, record name and link to each row: one query per record
    type present, plus one for the users."""
    models = tracked_models()
    by_type: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_type[row["record_type"]].append(row["history_id"])
    records, before = {}, {}
    for label, ids in by_type.items():
        related, _ = RECORDS.get(label, ((), None))
        history = _history(models[label])
        earlier = (
            history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        found = list(
            history.select_related(*related)
            .filter(history_id__in=ids)
            .annotate(previous_id=Subquery(earlier))
        )
        records.update({(label, r.history_id): r for r in found})
        wanted = [r.previous_id for r in found if r.history_type == "~" and r.previous_id]
        if wanted:
            previous = history.filter(history_id__in=wanted)
            before.update({(label, r.history_id): r for r in previous})
    users = get_user_model().objects.in_bulk({r["history_user_id"] for r in rows} - {None})
    result = []
    for row in rows:
        label = row["record_type"]
        model = models[label]
        record = records.get((label, row["history_id"]))
        name, url = f"{model._meta.verbose_name} #{row['object_id']}", None
        if record is not None and label in RECORDS:
            name, url = RECORDS[label][1](record)
        if row["history_type"] == "-":
            url = None
        previous = before.get((label, getattr(record, "previous_id", None)))
        user = users.get(row["history_user_id"])
        result.append(
            {
                **row,
                "when": row["history_date"],
                "who": (user.get_full_name() or user.username) if user else "system",
                "action": ACTIONS.get(row["history_type"], row["history_type"]),
                "type_name": model._meta.verbose_name.capitalize(),
                "name": name,
                "url": url,
                "changes": differences(previous, record) if previous else [],
            }
        )
    return result


class DescribedChanges(TableData):
    """The combined history rows for a django-tables2 table: counted with one query, and
    described (`describe`) only a page, or an export's chunk, at a time."""

    CHUNK = 1000

    def __init__(self, rows: QuerySet, limit: int = EXPORT_LIMIT):
        super().__init__(rows)
        self.limit = limit

    def __len__(self) -> int:
        if not hasattr(self, "_count"):
            self._count = min(self.data.count(), self.limit)
        return self._count

    def __getitem__(self, key):
        if isinstance(key, slice):
            return describe(list(self.data[key]))
        return describe([self.data[key]])[0]

    def __iter__(self):
        for start in range(0, len(self), self.CHUNK):
            yield from self[start : min(start + self.CHUNK, len(self))]

    def order_by(self, aliases) -> None:
        """Always newest first."""

    @property
    def verbose_name_plural(self) -> str:
        return "changes"
