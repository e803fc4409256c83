"""Writing the demo dataset: whatever part of it is missing, keyed on natural keys.

Monthly figures go in with simple_history's `bulk_create_with_history`, so the audit trail
is complete from the first row (a plain bulk_create would leave them without history) at
the cost of one more insert per batch.
"""

from collections import Counter
from decimal import Decimal

from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from budgets.models import (
    BudgetLine,
    Category,
    FinancialYear,
    MonthlyFigure,
    refresh_line_year_totals,
)
from common.models import DemoDataset
from contracts.models import Contract, ContractChange, Supplier
from demo.seed.budget import BASELINE, CATEGORIES, FIRST, LINES, SECOND, YEARS, figure_rows
from demo.seed.contracts import CONTRACT_CHANGES, CONTRACTS, SUBCONTRACTS, SUPPLIERS
from demo.seed.plan import load_plan
from demo.seed.savings import INITIATIVES, PROGRAMME, PROGRAMME_NAME, TARGETS
from demo.seed.sources import m
from savings.models import Initiative, InitiativeYear, ReductionProgramme, SavingsTarget

CHANGE_REASON = "Demo data loaded by seed_demo"


class _Loader:
    """Creates what is missing, keyed on natural keys, and counts what it created."""

    def __init__(self) -> None:
        self.created: Counter[type[models.Model]] = Counter()

    def ensure(self, model, lookup: dict, defaults: dict | None = None):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **(defaults or {}))
            obj._change_reason = CHANGE_REASON
            obj.save()
            self.created[model] += 1
        return obj


@transaction.atomic
def load_demo() -> Counter[type[models.Model]]:
    """Create whatever part of the demo dataset is missing, keyed on natural keys (labels,
    names, references, codes); leave what exists as it is, so that running it again
    changes nothing and keeps what a user changed while trying the demo. Returns how many
    records of each model were created (none when the dataset was complete)."""
    loader = _Loader()
    years = {
        y.label: loader.ensure(
            FinancialYear,
            {"label": y.label},
            {"start": y.start, "closed_through": y.closed_through},
        )
        for y in YEARS
    }
    categories = {
        name: loader.ensure(Category, {"name": name}, {"kind": kind, "order": order})
        for order, (name, kind) in enumerate(CATEGORIES, start=1)
    }
    suppliers = {
        name: loader.ensure(Supplier, {"name": name}, {"notes": notes})
        for name, notes in SUPPLIERS.items()
    }
    contracts = {
        c.reference: loader.ensure(
            Contract,
            {"reference": c.reference},
            {
                "title": c.title,
                "supplier": suppliers[c.supplier],
                "description": c.description,
                "start_date": c.start,
                "end_date": c.end,
                "notice_months": c.notice_months,
                "annual_value": c.annual_value,
                "total_value": c.total_value,
                "status": c.status,
                "owner": c.owner,
                "source": c.source,
            },
        )
        for c in CONTRACTS + SUBCONTRACTS
    }
    for change in CONTRACT_CHANGES:
        loader.ensure(
            ContractChange,
            {
                "contract": contracts[change.reference],
                "kind": change.kind,
                "effective_date": change.effective,
            },
            {
                "old_end_date": change.old_end,
                "new_end_date": change.new_end,
                "value_change": change.value_change,
                "expected_annual_saving": change.expected_annual_saving,
                "note": change.note,
                "source": change.source,
            },
        )
    lines = {
        line.code: loader.ensure(
            BudgetLine,
            {"code": line.code},
            {
                "name": line.name,
                "category": categories[line.category],
                "contract": contracts[line.contract] if line.contract else None,
                "owner": line.owner,
            },
        )
        for line in LINES
    }
    _load_figures(loader, lines, years)
    _load_savings(loader, years, contracts, lines)
    load_plan(loader, categories=categories, contracts=contracts)
    loader.ensure(DemoDataset, {})  # the banner
    return loader.created


def _load_figures(loader: _Loader, lines: dict, years: dict) -> None:
    """Bulk-create the missing monthly figures with their history rows, in a few queries."""
    existing = set(
        MonthlyFigure.objects.filter(line__in=lines.values(), year__in=years.values()).values_list(
            "line_id", "year_id", "period"
        )
    )
    missing = [
        MonthlyFigure(
            line=lines[row["line"]],
            year=years[row["year"]],
            period=row["period"],
            budget=row["budget"],
            actual=row["actual"],
            forecast=row["forecast"],
            note=row["note"],
        )
        for row in figure_rows()
        if (lines[row["line"]].pk, years[row["year"]].pk, row["period"]) not in existing
    ]
    if missing:
        bulk_create_with_history(
            missing, MonthlyFigure, batch_size=500, default_change_reason=CHANGE_REASON
        )
        refresh_line_year_totals(year_ids=[year.pk for year in years.values()])
        loader.created[MonthlyFigure] += len(missing)


def _money(value: str | None) -> Decimal | None:
    return None if value is None else m(value)


def _load_savings(loader: _Loader, years: dict, contracts: dict, lines: dict) -> None:
    programme = loader.ensure(
        ReductionProgramme,
        {"name": PROGRAMME_NAME},
        {
            **PROGRAMME,
            "first_year": years[FIRST],
            "last_year": years[SECOND],
            "baseline_year": years[BASELINE],
        },
    )
    for label, (amount, source) in TARGETS.items():
        loader.ensure(
            SavingsTarget,
            {"programme": programme, "year": years[label]},
            {"amount": amount, "source": source},
        )
    for spec in INITIATIVES:
        initiative = Initiative.objects.filter(code=spec.code).first()
        if initiative is None:
            initiative = loader.ensure(
                Initiative,
                {"code": spec.code},
                {
                    "name": spec.name,
                    "description": spec.description,
                    "owner": spec.owner,
                    "lever": spec.lever,
                    "stage": spec.stage,
                    "confidence": spec.confidence,
                    "cashable": spec.cashable,
                    "contract": contracts[spec.contract] if spec.contract else None,
                },
            )
            initiative.lines.set([lines[code] for code in spec.lines])
        # Realised savings are the claims' (demo/seed/claims.py), made once users exist.
        for label, (planned, forecast, _realised) in spec.years.items():
            loader.ensure(
                InitiativeYear,
                {"initiative": initiative, "year": years[label]},
                {"planned": m(planned), "forecast": _money(forecast)},
            )
