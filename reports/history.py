"""/history/: recent changes across the system, read from every model's history table.

The history tables of all tracked models are combined with one UNION query (filtered by
user, record type and date, newest first, a page at a time); the page's rows are then
described, linked and compared with the record's previous history row using at most two
queries per record type on the page, so the page's query count does not grow with the
number of rows.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import tablib
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import CharField, F, Model, OuterRef, QuerySet, Subquery, Value
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_safe

from common.exports import csv_response, neutralise
from common.money import format_money

TRACKED_APPS = ("contracts", "budgets", "savings")
PER_PAGE = 50
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
    "savings.initiativeyear": (
        ("initiative", "year"),
        lambda r: (
            f"{r.initiative.code} {r.year.label}" if r.initiative and r.year else f"#{r.id}",
            _url("savings:initiative", r.initiative.code) if r.initiative else None,
        ),
    ),
}


class HistoryFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.order_by("username"),
        required=False,
        empty_label="Anyone",
        label="Changed by",
    )
    record_type = forms.ChoiceField(required=False, label="Record type")
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [("", "Every type")] + [
            (label, model._meta.verbose_name.capitalize())
            for label, model in sorted(tracked_models().items())
        ]
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The end date is before the start date.")
        return data


def changes(filters: dict) -> QuerySet:
    """One row per history record of every tracked model, newest first: history_id,
    history_date, history_type, history_user_id, history_change_reason, record_type,
    object_id. `filters` are a HistoryFilterForm's cleaned data."""
    models = tracked_models()
    if filters.get("record_type"):
        models = {filters["record_type"]: models[filters["record_type"]]}
    parts = []
    for label, model in models.items():
        qs = _history(model)
        if filters.get("user"):
            qs = qs.filter(history_user=filters["user"])
        if filters.get("since"):
            qs = qs.filter(history_date__date__gte=filters["since"])
        if filters.get("until"):
            qs = qs.filter(history_date__date__lte=filters["until"])
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


# Bookkeeping fields that change with every save; the history shows what people changed.
NOT_DIFFED = {"id", "version", "updated_at", "updated_by", "recorded_at"}


def differences(old: Model, new: Model) -> list[tuple[str, str, str]]:
    """(field, old, new) for each field that differs between two history rows."""
    found = []
    for field in new.instance_type._meta.concrete_fields:
        if field.name in NOT_DIFFED:
            continue
        was, now = getattr(old, field.attname), getattr(new, field.attname)
        if was != now:
            found.append((str(field.verbose_name), _shown(was), _shown(now)))
    return found


def _shown(value) -> str:
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, date):
        return date_format(value)
    if value is None or value == "":
        return "—"
    return str(value)


@require_safe
def history(request: HttpRequest) -> HttpResponse:
    form = HistoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = changes(filters)
    export = request.GET.get("_export")
    if export in ("csv", "xlsx"):
        return _export(export, describe(list(rows[:EXPORT_LIMIT])))
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/history.html",
        {
            "form": form,
            "page": page,
            "rows": describe(list(page.object_list)),
            "query": query.urlencode(),
        },
    )


EXPORT_HEADER = ("When", "Who", "Action", "Record type", "Record", "Changes", "Reason")


def _export(export_format: str, rows: list[dict]) -> HttpResponse:
    values = [
        (
            timezone.localtime(row["when"]).strftime("%Y-%m-%d %H:%M:%S"),
            row["who"],
            row["action"],
            row["type_name"],
            row["name"],
            "; ".join(f"{field}: {old} -> {new}" for field, old, new in row["changes"]),
            row["history_change_reason"] or "",
        )
        for row in rows
    ]
    if export_format == "csv":
        return csv_response("history.csv", EXPORT_HEADER, values)
    dataset = tablib.Dataset(headers=list(EXPORT_HEADER), title="History")
    for row in values:
        dataset.append([neutralise(cell) for cell in row])
    response = HttpResponse(
        dataset.export("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="history.xlsx"'
    return response
