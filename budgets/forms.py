"""Forms for budgets: the figure grids (period entry, forecasts) and period close/reopen.

A grid is one page of inputs named `<field>-<figure id>`, each row carrying the `version`
it was loaded at. It parses every cell first and only yields entries when none is bad, so
a single typo saves nothing and every typed value goes back on the page.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django import forms

from budgets.models import PERIODS, MonthlyFigure
from budgets.services import UNCHANGED, FigureEntry
from common.money import AmountError, format_money, parse_amount

NOTE_MAX_LENGTH = 2000
FIELD_LABELS = {"actual": "actual", "forecast": "forecast", "note": "variance note"}


@dataclass
class Cell:
    """One input of a grid: its name (also its id), accessible label, shown value, error."""

    name: str
    label: str
    value: str
    error: str = ""

    @property
    def error_id(self) -> str:
        return f"{self.name}-error"


class FigureGrid:
    """Inputs for `fields` ("actual", "forecast", "note") of each figure in `figures`.

    Bound to POST data, `is_valid()` parses every submitted cell; `entries` are then
    ready for a service. `errors` lists each problem, naming the line, field and period.
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
        self.entries: list[FigureEntry] = []
        self.errors: list[dict] = []
        for figure in self.figures:
            self.versions[figure.pk] = str(figure.version)
            for field in fields:
                self.cells[figure.pk, field] = Cell(
                    name=f"{field}-{figure.pk}",
                    label=self.describe(figure, field),
                    value=_shown(getattr(figure, field)),
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
        self.entries, self.errors = [], []
        for figure in self.figures:
            entry = self._parse(figure)
            if entry is not None:
                self.entries.append(entry)
        if not self.errors and not self.entries:
            self.errors.append({"anchor": "", "message": "Nothing was sent to save."})
        return not self.errors

    def _parse(self, figure: MonthlyFigure) -> FigureEntry | None:
        values = {}
        for field in self.fields:
            cell = self.cell(figure, field)
            raw = self.data.get(cell.name)
            if raw is None:
                continue
            cell.value = raw
            if field == "note":
                values[field] = raw.strip()
                if len(values[field]) > NOTE_MAX_LENGTH:
                    self.add_error(figure, field, f"is longer than {NOTE_MAX_LENGTH} characters")
                continue
            values[field] = self._amount(figure, field, raw)
        if not values:
            return None
        version = self.data.get(f"version-{figure.pk}", "")
        self.versions[figure.pk] = version
        if not version.isdigit():
            self.add_error(
                figure, self.fields[0], "the page is out of date: reload it and enter again"
            )
            return None
        return FigureEntry(
            figure_id=figure.pk,
            version=int(version),
            **{field: values.get(field, UNCHANGED) for field in ("actual", "forecast", "note")},
        )

    def _amount(self, figure: MonthlyFigure, field: str, raw: str) -> Decimal | None:
        if not raw.strip():
            return None
        try:
            return parse_amount(raw)
        except AmountError as error:
            self.add_error(figure, field, str(error))
            return None

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


class ClosePeriodForm(forms.Form):
    through = forms.TypedChoiceField(
        label="Close periods up to and including",
        choices=[(p, f"P{p}") for p in PERIODS],
        coerce=int,
    )


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
