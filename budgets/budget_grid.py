"""The budget-setting grid: per line, a full-year amount, its phasing and twelve monthly
budgets, named like the entry grids' inputs (`budget-<figure id>` with `was-budget-<id>`
and `version-<id>`; `annual-<line id>` and `phasing-<line id>` per line).

Every cell is parsed first (`common.money.parse_amount`, the entry grids' rule); only when
none is bad does the grid yield entries, one per figure whose budget changes, so only their
versions are checked. Whatever was typed goes back on the page.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from budgets.forms import Cell, _same, _shown
from budgets.models import BudgetLine, MonthlyFigure
from budgets.services import Conflict, FigureEntry
from budgets.setting import EVEN, MONTHLY, PHASINGS, PhasingError, phase_even
from budgets.setting import phase_profile as phase_like
from common.money import ZERO, AmountError, parse_amount


class LineRow:
    """One line of the grid: its full-year cell, its phasing and its months' cells."""

    def __init__(self, line: BudgetLine, figures: list[MonthlyFigure]):
        self.line = line
        self.figures = {figure.period: figure for figure in figures}
        total = sum((figure.budget for figure in figures), ZERO)
        name = f"{line.code} {line.name}"
        self.annual = Cell(
            name=f"annual-{line.pk}",
            label=f"{name}, full-year budget",
            value=_shown(total),
            shown=_shown(total),
        )
        self.phasing = MONTHLY
        self.phasing_name = f"phasing-{line.pk}"
        self.phasing_error = ""
        self.total = total
        self.months = {
            figure.pk: Cell(
                name=f"budget-{figure.pk}",
                label=f"{name}, budget P{figure.period}",
                value=_shown(figure.budget),
                shown=_shown(figure.budget),
            )
            for figure in figures
        }
        self.versions = {figure.pk: str(figure.version) for figure in figures}

    def cells(self) -> list[dict]:
        """The twelve periods in order: the figure, its cell and version (None where the
        line has no figure for that period)."""
        return [
            {
                "period": period,
                "figure": figure,
                "cell": self.months[figure.pk] if figure else None,
                "version": self.versions[figure.pk] if figure else "",
            }
            for period in range(1, 13)
            for figure in [self.figures.get(period)]
        ]


class BudgetGrid:
    """The grid of a year's lines; `profiles` are the previous year's monthly budgets by
    line id (for the "previous" phasing)."""

    def __init__(
        self,
        figures: Iterable[MonthlyFigure],
        profiles: Mapping[int, list[Decimal]],
        data: Mapping[str, str] | None = None,
    ):
        by_line: dict[int, list[MonthlyFigure]] = {}
        lines: dict[int, BudgetLine] = {}
        for figure in figures:
            by_line.setdefault(figure.line_id, []).append(figure)
            lines[figure.line_id] = figure.line
        self.rows = [LineRow(lines[pk], by_line[pk]) for pk in by_line]
        self.profiles = profiles
        self.data = data
        self.entries: list[FigureEntry] = []
        self.errors: list[dict] = []
        self.typed: set[str] = set()  # names of the cells the person changed
        self.phasings = PHASINGS

    def add_error(self, cell: Cell, message: str) -> None:
        cell.error = message
        self.errors.append({"anchor": cell.name, "message": f"{cell.label}: {message}"})

    def is_valid(self) -> bool:
        if self.data is None:
            return False
        self.entries, self.errors, self.typed = [], [], set()
        for row in self.rows:
            months = self._months(row)
            if months is not None:
                self._add_entries(row, months)
        return not self.errors

    def _months(self, row: LineRow) -> dict[int, Decimal] | None:
        """The new budget of each figure of the row (by figure id) that the person changed,
        or None when a cell of the row is bad."""
        row.phasing = self.data.get(row.phasing_name, MONTHLY)
        raw_annual = self.data.get(row.annual.name)
        if raw_annual is not None:
            row.annual.value = raw_annual
        if row.phasing not in PHASINGS:
            row.phasing_error = "choose a phasing from the list"
            self.errors.append(
                {"anchor": row.phasing_name, "message": f"{row.line.code}: {row.phasing_error}"}
            )
            return None
        if row.phasing == MONTHLY:
            return self._typed_months(row)
        return self._phased_months(row)

    def _typed_months(self, row: LineRow) -> dict[int, Decimal] | None:
        months, bad = {}, False
        for figure_id, cell in row.months.items():
            raw = self.data.get(cell.name)
            if raw is None:
                continue
            cell.value = raw
            cell.shown = self.data.get(cell.shown_name, cell.shown)
            if _same("budget", raw, cell.shown):
                continue
            self.typed.add(cell.name)
            amount = self._amount(cell, raw)
            if amount is None:
                bad = True
            else:
                months[figure_id] = amount
        return None if bad else months

    def _phased_months(self, row: LineRow) -> dict[int, Decimal] | None:
        self.typed.update({row.annual.name, row.phasing_name})
        annual = self._amount(row.annual, row.annual.value)
        if annual is None:
            return None
        try:
            if row.phasing == EVEN:
                phased = phase_even(annual)
            else:
                phased = phase_like(annual, self.profiles.get(row.line.pk, []))
        except PhasingError as error:
            self.add_error(row.annual, str(error))
            return None
        for figure in row.figures.values():  # what the page will show if it comes back
            row.months[figure.pk].value = _shown(phased[figure.period - 1])
        return {figure.pk: phased[figure.period - 1] for figure in row.figures.values()}

    def _amount(self, cell: Cell, raw: str) -> Decimal | None:
        if not raw.strip():
            self.add_error(cell, "is empty: write 0 for no budget")
            return None
        try:
            amount = parse_amount(raw)
        except AmountError as error:
            self.add_error(cell, str(error))
            return None
        if amount < 0:
            self.add_error(cell, "a budget cannot be negative")
            return None
        return amount

    def _add_entries(self, row: LineRow, months: dict[int, Decimal]) -> None:
        for figure in row.figures.values():
            new = months.get(figure.pk)
            if new is None or new == figure.budget:
                continue
            version = self.data.get(f"version-{figure.pk}", "")
            row.versions[figure.pk] = version
            if not version.isdigit():
                self.add_error(row.months[figure.pk], "the page is out of date: reload it")
                continue
            self.entries.append(FigureEntry(figure_id=figure.pk, version=int(version), budget=new))

    def offer_again(self, figures: Iterable[MonthlyFigure]) -> "BudgetGrid":
        """After a conflict: the figures as saved now, with every cell this person changed
        keeping what was typed, so that saving again is a deliberate second decision."""
        fresh = BudgetGrid(figures, self.profiles)
        typed = {
            cell.name: cell.value
            for row in self.rows
            for cell in [row.annual, *row.months.values()]
            if cell.name in self.typed
        }
        phasing = {row.line.pk: row.phasing for row in self.rows}
        for row in fresh.rows:
            row.phasing = phasing.get(row.line.pk, MONTHLY)
            for cell in [row.annual, *row.months.values()]:
                cell.value = typed.get(cell.name, cell.value)
        fresh.typed = set(self.typed)
        return fresh

    def conflicts(self, conflicts: Iterable[Conflict]) -> list[dict]:
        """Each figure someone else saved: their budget beside the one this grid sends."""
        sent = {entry.figure_id: entry.budget for entry in self.entries}
        return [
            {
                "conflict": conflict,
                "values": [
                    ("budget", conflict.figure.budget, _shown(sent.get(conflict.figure.pk)))
                ],
            }
            for conflict in conflicts
        ]
