"""Spend and supplier and contract shares by year: the one home of each, for figures
(`MonthlyFigureQuerySet`) and for the stored totals per line and year
(`LineYearTotalQuerySet`), which give the same rows from far fewer; spend by year also
for the stored totals per period (`PeriodTotalQuerySet`), fewer still. Each source says,
through `as_at` and `_seen`, what of each row counts as spent (`spent_as_at`) and as
expected (`expected_as_at`); everything here adds those up by year, contract or supplier,
over the lookups `year__…` and `line__…` both have."""

from collections.abc import Iterable

from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from common.money import MONEY, PENNY, ZERO, money_sum, percent


class YearSpendQuerySet:
    """A QuerySet mixin: spend by year. The QuerySet defines `_seen()`: itself with
    `spent_as_at` and `expected_as_at` annotated."""

    def _seen(self) -> "YearSpendQuerySet":  # pragma: no cover - each source defines it
        raise NotImplementedError

    def spend_by_year(self) -> "YearSpendQuerySet":
        """Per year: actual and outturn, where the outturn takes actuals where they exist
        and forecast or budget elsewhere (so a part-year is comparable with whole years);
        as at the date `as_at` chose, else every year whole."""
        return (
            self._seen()
            .values(year_label=F("year__label"), year_start=F("year__start"))
            .annotate(**self._spend())
            .order_by("year__start")
        )

    def _spend(self) -> dict:
        return {  # see SHADOWING
            "outturn": money_sum(Sum("expected_as_at")),
            "actual": money_sum(Sum("spent_as_at")),
        }

    def spend_totals(self) -> dict:
        """One row: actual (spent) and outturn (expected) of these figures, as at the date
        `as_at` chose (without it, every year whole). One query."""
        totals = self._seen().aggregate(**self._spend())
        return {name: value.quantize(PENNY) for name, value in totals.items()}


class SpendQuerySet(YearSpendQuerySet):
    """A QuerySet mixin over rows of one line each: spend by year, contract and supplier,
    and shares."""

    def spend_by_contract(self) -> "SpendQuerySet":
        """Spend to date on a contract: per year and contract, the actual and outturn of the
        budget lines that name it (lines naming none are left out), as at the date `as_at`
        chose, else every year whole; by year, then reference. One query."""
        return (
            self._seen()
            .filter(line__contract__isnull=False)
            .values(
                year_label=F("year__label"),
                year_start=F("year__start"),
                contract_id=F("line__contract_id"),
                reference=F("line__contract__reference"),
            )
            .annotate(**self._spend())
            .order_by("year__start", "reference")
        )

    def contract_spend(self) -> Coalesce:
        """For `Contract.objects.annotate(spend=...)` over one year's figures: each
        contract's actual from `spend_by_contract`, £0.00 when no line naming it has any."""
        actual = self.spend_by_contract().filter(contract_id=OuterRef("pk")).values("actual")
        return Coalesce(Subquery(actual), Value(ZERO), output_field=MONEY)

    def spend_by_supplier(self) -> "SpendQuerySet":
        """Per year and supplier (None for lines with no contract): actual and outturn, as
        at the date `as_at` chose, else every year whole; largest outturn first within a
        year. One query."""
        return (
            self._seen()
            .values(
                year_label=F("year__label"),
                year_start=F("year__start"),
                supplier_id=F("line__contract__supplier_id"),
                supplier=F("line__contract__supplier__name"),
            )
            .annotate(**self._spend())
            .order_by("year__start", "-outturn", "supplier")
        )

    def supplier_shares(
        self, supplier_id: int | None = None, years: Iterable[dict] | None = None
    ) -> list[dict]:
        """Supplier share: `spend_by_supplier` rows, each with its year's technology_actual
        and technology_outturn (all these figures) and the supplier's share of each (share
        and outturn_share, percentages; None when the year has none). With `supplier_id`,
        that supplier's row for every year of these figures, zeros where it has none.
        One query: every figure is in one supplier's row (None for no contract), so the
        rows add up to each year's totals.

        `years`: the `spend_by_year` rows of these same figures, as at the same date, from a
        smaller source (the stored period totals), to take each year's totals from. With
        `supplier_id` too, only that supplier's rows are then read, not every line's: what
        keeps one supplier's page the same size whatever the number of lines."""
        mine = self
        if years is not None and supplier_id is not None:
            mine = self.filter(line__contract__supplier_id=supplier_id)
        rows = list(mine.spend_by_supplier())
        totals = _added_up(rows) if years is None else _by_label(years)
        if supplier_id is not None:
            rows = [row for row in rows if row["supplier_id"] == supplier_id]
        return self._shares(rows, totals, "supplier_id", supplier_id)

    def contract_shares(
        self, contract_id: int | None = None, years: Iterable[dict] | None = None
    ) -> list[dict]:
        """As `supplier_shares`, per contract: `spend_by_contract` rows with their shares
        of each year's technology spend (with `contract_id`, that contract's row for every
        year). Two queries; one with `years`, taken as `supplier_shares` takes them."""
        totals = _by_label(self.spend_by_year() if years is None else years)
        rows = self.spend_by_contract()
        if contract_id is not None:
            rows = rows.filter(contract_id=contract_id)
        return self._shares(list(rows), totals, "contract_id", contract_id)

    @classmethod
    def _shares(cls, rows: list[dict], years: dict, key: str, wanted: int | None) -> list[dict]:
        if wanted is not None:
            found = {row["year_label"]: row for row in rows}
            empty = {key: wanted, "actual": ZERO, "outturn": ZERO}
            rows = [
                found.get(label, {"year_label": label, "year_start": year["year_start"], **empty})
                for label, year in years.items()
            ]
        return [cls._share_row(row, years[row["year_label"]]) for row in rows]

    @staticmethod
    def _share_row(row: dict, year: dict) -> dict:
        # SQLite hands sums back without a fixed scale; exports show pence.
        actual, outturn = row["actual"].quantize(PENNY), row["outturn"].quantize(PENNY)
        total_actual, total_outturn = (
            year["actual"].quantize(PENNY),
            year["outturn"].quantize(PENNY),
        )
        return {
            **row,
            "actual": actual,
            "outturn": outturn,
            "technology_actual": total_actual,
            "technology_outturn": total_outturn,
            "share": percent(actual, total_actual),
            "outturn_share": percent(outturn, total_outturn),
        }


def _by_label(years: Iterable[dict]) -> dict[str, dict]:
    """`spend_by_year` rows by year label, in their order."""
    return {row["year_label"]: row for row in years}


def _added_up(rows: list[dict]) -> dict[str, dict]:
    """Each year's actual and outturn: the sum of its rows (every supplier's), by label."""
    years: dict[str, dict] = {}
    for row in rows:
        year = years.setdefault(row["year_label"], {**row, "actual": ZERO, "outturn": ZERO})
        year["actual"] += row["actual"]
        year["outturn"] += row["outturn"]
    return years
