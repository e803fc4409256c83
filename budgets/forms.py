"""Forms for budgets: the figure grids (period entry, forecasts), period close/reopen and
the import's upload and confirmation.

A grid is one page of inputs named `<field>-<figure id>`, each carrying beside it the value
it showed (`was-<field>-<figure id>`) and each figure the `version` it was loaded at. It
parses every cell first and only yields entries when none is bad, so a single typo saves
nothing and every typed value goes back on the page. Only the figures whose values the
person changed become entries, so only their versions are checked: a figure someone else
saved meanwhile, but this person left alone, is no conflict.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.conf import settings

from budgets.models import PERIODS, BudgetLine, MonthlyFigure
from budgets.services import UNCHANGED, Conflict, FigureEntry
from common.money import ZERO, AmountError, format_money, parse_amount

NOTE_MAX_LENGTH = 2000
FIELD_LABELS = {
    "actual": "actual",
    "forecast": "forecast",
    "note": "variance note",
    "committed": "committed",
}


@dataclass
class Cell:
    """One input of a grid: its name (also its id), accessible label, the value in the
    input, the stored value the page showed (`shown`, sent back as `was-<name>`), error."""

    name: str
    label: str
    value: str
    shown: str
    error: str = ""

    @property
    def error_id(self) -> str:
        return f"{self.name}-error"

    @property
    def shown_name(self) -> str:
        return f"was-{self.name}"


class FigureGrid:
    """Inputs for `fields` ("actual", "forecast", "note") of each figure in `figures`.

    Bound to POST data, `is_valid()` parses every submitted cell; `entries` are then
    ready for a service, one per figure the person changed. `errors` lists each problem,
    naming the line, field and period.
    """

    def __init__(
        self,
        figures: Iterable[MonthlyFigure],
        fields: tuple[str, ...],
        data: Mapping[str, str] | None = None,
    ):
        self.figures = list(figures)
        self.fields = fields
        self.data = data
        self.cells: dict[tuple[int, str], Cell] = {}
        self.versions: dict[int, str] = {}
        self.typed: set[tuple[int, str]] = set()  # the cells the person changed
        self.entries: list[FigureEntry] = []
        self.errors: list[dict] = []
        for figure in self.figures:
            self.versions[figure.pk] = str(figure.version)
            for field in fields:
                stored = _shown(getattr(figure, field))
                self.cells[figure.pk, field] = Cell(
                    name=f"{field}-{figure.pk}",
                    label=self.describe(figure, field),
                    value=stored,
                    shown=stored,
                )

    @staticmethod
    def describe(figure: MonthlyFigure, field: str) -> str:
        return f"{figure.line.code} {figure.line.name}, {FIELD_LABELS[field]} P{figure.period}"

    def cell(self, figure: MonthlyFigure, field: str) -> Cell:
        return self.cells[figure.pk, field]

    def add_error(self, figure: MonthlyFigure, field: str, message: str) -> None:
        cell = self.cell(figure, field)
        cell.error = message
        self.errors.append({"anchor": cell.name, "message": f"{cell.label}: {message}"})

    def is_valid(self) -> bool:
        if self.data is None:
            return False
        self.entries, self.errors, self.typed = [], [], set()
        sent = False
        for figure in self.figures:
            values = self._changed_values(figure)
            if values is None:
                continue
            sent = True
            entry = self._entry(figure, values) if values else None
            if entry is not None:
                self.entries.append(entry)
        if not sent:
            self.errors.append({"anchor": "", "message": "Nothing was sent to save."})
        return not self.errors

    def _changed_values(self, figure: MonthlyFigure) -> dict | None:
        """The values typed into this figure's cells that differ from what the page showed
        ({} when none does), or None when none of its cells was sent."""
        values, sent = {}, False
        for field in self.fields:
            cell = self.cell(figure, field)
            raw = self.data.get(cell.name)
            if raw is None:
                continue
            sent = True
            cell.value = raw
            shown = self.data.get(cell.shown_name)
            if shown is not None:
                cell.shown = shown
                if _same(field, raw, shown):
                    continue
            self.typed.add((figure.pk, field))
            values[field] = self._value(figure, field, raw)
        if sent:
            self.versions[figure.pk] = self.data.get(f"version-{figure.pk}", "")
        return values if sent else None

    def _value(self, figure: MonthlyFigure, field: str, raw: str) -> Decimal | str | None:
        if field == "note":
            note = _note(raw)
            if len(note) > NOTE_MAX_LENGTH:
                self.add_error(figure, field, f"is longer than {NOTE_MAX_LENGTH} characters")
            return note
        if not raw.strip():
            return ZERO if field == "committed" else None  # nothing on order
        try:
            amount = parse_amount(raw)
        except AmountError as error:
            self.add_error(figure, field, str(error))
            return None
        if field == "committed" and amount < 0:
            self.add_error(figure, field, "a commitment cannot be negative")
        return amount

    def _entry(self, figure: MonthlyFigure, values: dict) -> FigureEntry | None:
        version = self.versions[figure.pk]
        if not version.isdigit():
            self.add_error(
                figure, self.fields[0], "the page is out of date: reload it and enter again"
            )
            return None
        return FigureEntry(
            figure_id=figure.pk,
            version=int(version),
            **{
                field: values.get(field, UNCHANGED)
                for field in ("actual", "forecast", "note", "committed")
            },
        )

    def offer_again(self, figures: Iterable[MonthlyFigure]) -> "FigureGrid":
        """After a conflict: a grid of the figures as saved now (their values, versions
        and who saved them), in which every cell this person changed keeps the value
        typed, so that saving it again is a deliberate second decision."""
        fresh = FigureGrid(figures, self.fields)
        for key in self.typed & fresh.cells.keys():
            fresh.cells[key].value = self.cells[key].value
        fresh.typed = set(self.typed)
        return fresh

    def rows(self) -> list[dict]:
        """One row per figure, for a page with one figure per line: the figure, a cell per
        field and the version carried."""
        return [
            {
                "figure": f,
                **{field: self.cell(f, field) for field in self.fields},
                "version": self.versions[f.pk],
            }
            for f in self.figures
        ]

    def rows_by_line(self, outturns: Mapping[int, BudgetLine]) -> list[dict]:
        """One row per line, its figures' cells in order, for a grid of lines x periods
        of one field; `outturns` are the lines annotated with their outturn, by id."""
        rows: dict[int, dict] = {}
        field = self.fields[0]
        for figure in self.figures:
            row = rows.setdefault(
                figure.line_id,
                {"line": figure.line, "cells": [], "outturn": outturns.get(figure.line_id)},
            )
            row["cells"].append(
                {
                    "figure": figure,
                    "cell": self.cell(figure, field),
                    "version": self.versions[figure.pk],
                }
            )
        return list(rows.values())

    def conflicts(self, conflicts: Iterable[Conflict]) -> list[dict]:
        """Each figure someone else saved: their values beside the values typed here."""
        return [
            {
                "conflict": conflict,
                "values": [
                    (
                        FIELD_LABELS[field],
                        getattr(conflict.figure, field),
                        self.cell(conflict.figure, field).value,
                    )
                    for field in self.fields
                ],
            }
            for conflict in conflicts
        ]

    def refuse_unexplained(self, figures: Iterable[MonthlyFigure]) -> None:
        """Mark the note cell of each figure whose variance needs explaining."""
        shown = {figure.pk: figure for figure in self.figures}
        for figure in figures:
            self.add_error(
                shown[figure.pk],
                "note",
                f"explain the variance: actual {format_money(figure.actual)} against "
                f"budget {format_money(figure.budget)}",
            )


def _shown(value) -> str:
    """A stored value as it goes back into an input: plain digits, no £ or commas."""
    if value is None:
        return ""
    return str(value)


def _note(text: str) -> str:
    """A note as stored: stripped, with a browser's CRLF line breaks as LF."""
    return text.replace("\r\n", "\n").strip()


def _same(field: str, typed: str, shown: str) -> bool:
    """Whether the typed text says what the page showed: the same note, or the same
    amount however written (1100.00, 1,100.00, £1,100)."""
    if field == "note":
        return _note(typed) == _note(shown)
    if typed.strip() == shown.strip():
        return True
    try:
        return parse_amount(typed) == parse_amount(shown)
    except AmountError:
        return False


class ReopenPeriodForm(forms.Form):
    period = forms.TypedChoiceField(
        label="Reopen from period",
        choices=[(p, f"P{p}") for p in PERIODS],
        coerce=int,
    )
    reason = forms.CharField(
        label="Reason for reopening",
        max_length=500,
        help_text="Kept in the year's history.",
        widget=forms.TextInput,
    )

    def problems(self) -> str:
        """Every error, each after its field's label, on one line (for a message)."""
        return "; ".join(
            f"{self.fields[name].label}: {' '.join(errors)}" for name, errors in self.errors.items()
        )


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text="A .csv or .xlsx file of figure rows or ledger rows (see the formats below).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {limit:,} bytes."
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Choose a .csv or .xlsx file.")
        return upload


class ConfirmImportForm(forms.Form):
    """Which waiting upload the person confirms: its id and the sha256 they previewed."""

    pending = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
