"""The synthetic dataset: years, categories, the savings programme, one user per role, then
as many suppliers, contracts, lines (12 figures in every year) and initiatives as asked.

Synthetic rows are written with `bulk_create`. The registers (suppliers, contracts, lines,
initiatives) get one "created" history row each, as real ones would; the bulk of the data
(monthly figures, initiative years, contract changes) gets none: the benchmark measures
reads and the import, and millions of history rows would only slow generation down.
"""

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Group, User
from simple_history.utils import bulk_create_with_history

from budgets.models import (
    BudgetLine,
    Category,
    FinancialYear,
    MonthlyFigure,
    refresh_line_year_totals,
)
from common.roles import COMMITTEE, FINANCE
from contracts.models import Contract, ContractChange, Supplier
from savings.models import Initiative, InitiativeYear, ReductionProgramme, SavingsTarget

CATEGORIES = [
    ("Outsourced services", "run"),
    ("Applications", "run"),
    ("Infrastructure & hosting", "run"),
    ("Networks & telephony", "run"),
    ("End-user devices", "run"),
    ("Licences", "run"),
    ("In-house staff", "run"),
    ("Change portfolio", "change"),
]
LAST_YEAR_START = 2015  # the synthetic data ends with 2015-16
ACTUALS_THROUGH = 6  # the latest year is closed through P6, with actuals for P1-P6
# ... and P7 is being entered, as for most of any month: two lines in three have its actual.
ENTERING = ACTUALS_THROUGH + 1
BATCH = 5000


def random_money(rng: random.Random, low: int, high: int) -> Decimal:
    """A random amount in pounds and pence between low and high pounds."""
    return Decimal(rng.randint(low * 100, high * 100)).scaleb(-2)


@dataclass
class Dataset:
    """What the generator made, and what the measurements need to find it again."""

    years: list[FinancialYear] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    suppliers: list[Supplier] = field(default_factory=list)
    contract_ids: list[int] = field(default_factory=list)
    line_count: int = 0
    contract_count: int = 0
    initiative_count: int = 0
    figure_count: int = 0
    initiative_year_count: int = 0
    finance_user: User | None = None
    rng: random.Random = field(default_factory=lambda: random.Random(2015))

    @property
    def latest(self) -> FinancialYear:
        return self.years[-1]

    def counts(self) -> dict:
        return {
            "lines": self.line_count,
            "years": len(self.years),
            "contracts": self.contract_count,
            "initiatives": self.initiative_count,
            "monthly_figures": self.figure_count,
            "initiative_years": self.initiative_year_count,
        }


def start_dataset(*, years: int) -> Dataset:
    """Years, categories, the savings programme with a target per year, and one user per
    role. Everything else is added by `grow`."""
    data = Dataset()
    first = LAST_YEAR_START - years + 1
    data.years = FinancialYear.objects.bulk_create(
        FinancialYear(
            label=FinancialYear.label_for(start),
            start=date(start, 4, 1),
            closed_through=12 if start < LAST_YEAR_START else ACTUALS_THROUGH,
        )
        for start in range(first, LAST_YEAR_START + 1)
    )
    data.categories = Category.objects.bulk_create(
        Category(name=name, kind=kind, order=i) for i, (name, kind) in enumerate(CATEGORIES)
    )
    programme = ReductionProgramme.objects.create(
        name="Synthetic reduction programme",
        organisation_budget=Decimal("3000000000.00"),
        reduction_target=Decimal("500000000.00"),
        first_year=data.years[0],
        last_year=data.latest,
        baseline_year=data.years[0],
        technology_baseline=Decimal("325000000.00"),
    )
    SavingsTarget.objects.bulk_create(
        SavingsTarget(
            programme=programme, year=year, amount=random_money(data.rng, 20_000_000, 60_000_000)
        )
        for year in data.years
    )
    data.finance_user = _user("bench-finance", FINANCE)
    _user("bench-committee", COMMITTEE)
    return data


def _user(username: str, role: str) -> User:
    user = User.objects.create_user(username=username, password=None)
    user.groups.add(Group.objects.get(name=role))
    return user


def grow(data: Dataset, *, lines: int, contracts: int, initiatives: int) -> None:
    """Add rows until the dataset has `lines` lines (each with 12 figures in every year),
    `contracts` contracts (each with an award) and `initiatives` initiatives (each with
    savings in the last three years and one or two lines)."""
    _add_contracts(data, contracts)
    _add_lines(data, lines)
    _add_initiatives(data, initiatives)


def _add_contracts(data: Dataset, total: int) -> None:
    rng = data.rng
    wanted_suppliers = max(1, total // 5)
    if len(data.suppliers) < wanted_suppliers:
        data.suppliers += bulk_create_with_history(
            [
                Supplier(name=f"Supplier {i:05d}")
                for i in range(len(data.suppliers), wanted_suppliers)
            ],
            Supplier,
            batch_size=BATCH,
        )
    new = []
    for i in range(data.contract_count, total):
        start = date(rng.randint(2004, 2014), rng.randint(1, 12), 1)
        years = rng.randint(2, 10)
        annual = random_money(rng, 50_000, 20_000_000)
        status = Contract.Status.ACTIVE if start.year + years >= 2015 else Contract.Status.EXPIRED
        new.append(
            Contract(
                reference=f"BENCH-C{i:05d}",
                title=f"Synthetic contract {i}",
                supplier=data.suppliers[i % len(data.suppliers)],
                start_date=start,
                end_date=date(start.year + years, start.month, 1),
                notice_months=rng.choice([3, 6, 12]),
                annual_value=annual,
                total_value=annual * years,
                status=status,
            )
        )
    created = bulk_create_with_history(new, Contract, batch_size=BATCH)
    ContractChange.objects.bulk_create(
        (
            ContractChange(
                contract=c,
                effective_date=c.start_date,
                kind=ContractChange.Kind.AWARD,
                new_end_date=c.end_date,
                value_change=c.total_value,
            )
            for c in created
        ),
        batch_size=BATCH,
    )
    data.contract_ids += [c.pk for c in created]
    data.contract_count = total


def _add_lines(data: Dataset, total: int) -> None:
    rng = data.rng
    new_lines = [
        BudgetLine(
            code=f"L{i:06d}",
            name=f"Synthetic line {i}",
            category=data.categories[i % len(data.categories)],
            # Three lines in five pay a contract, as in the real budget.
            contract_id=data.contract_ids[i % len(data.contract_ids)] if i % 5 < 3 else None,
            owner=f"Owner {i % 40}",
        )
        for i in range(data.line_count, total)
    ]
    created = bulk_create_with_history(new_lines, BudgetLine, batch_size=BATCH)
    batch: list[MonthlyFigure] = []
    for number, line in enumerate(created):
        monthly = random_money(rng, 1_000, 200_000)
        for year in data.years:
            for period in range(1, 13):
                has_actual = (
                    year.closed_through == 12
                    or period <= ACTUALS_THROUGH
                    or (period == ENTERING and number % 3 != 0)
                )
                budget = monthly
                batch.append(
                    MonthlyFigure(
                        line=line,
                        year=year,
                        period=period,
                        budget=budget,
                        actual=budget + random_money(rng, -500, 800) if has_actual else None,
                        forecast=None
                        if has_actual or rng.random() < 0.7
                        else budget + random_money(rng, 0, 5_000),
                    )
                )
            if len(batch) >= BATCH:
                MonthlyFigure.objects.bulk_create(batch, batch_size=BATCH)
                data.figure_count += len(batch)
                batch = []
    MonthlyFigure.objects.bulk_create(batch, batch_size=BATCH)
    data.figure_count += len(batch)
    data.line_count = total
    refresh_line_year_totals()  # the stored totals per line and year, as every write keeps


def _add_initiatives(data: Dataset, total: int) -> None:
    rng = data.rng
    levers, stages = Initiative.Lever.values, Initiative.Stage.values
    confidences = Initiative.Confidence.values
    created = bulk_create_with_history(
        [
            Initiative(
                code=f"INI-{i:05d}",
                name=f"Synthetic initiative {i}",
                lever=levers[i % len(levers)],
                stage=stages[i % len(stages)],
                confidence=confidences[i % len(confidences)],
                cashable=i % 10 != 0,
                contract_id=data.contract_ids[i % len(data.contract_ids)] if i % 2 else None,
            )
            for i in range(data.initiative_count, total)
        ],
        Initiative,
        batch_size=BATCH,
    )
    rows = []
    for initiative in created:
        for year in data.years[-3:]:
            planned = random_money(rng, 10_000, 500_000)
            rows.append(
                InitiativeYear(
                    initiative=initiative,
                    year=year,
                    planned=planned,
                    forecast=planned - random_money(rng, 0, 5_000) if rng.random() < 0.5 else None,
                    # A saving is never negative: a small plan realises at least nothing.
                    realised=max(Decimal("0.00"), planned - random_money(rng, 0, 20_000))
                    if year.closed_through
                    else None,
                )
            )
    InitiativeYear.objects.bulk_create(rows, batch_size=BATCH)
    data.initiative_year_count += len(rows)
    links = Initiative.lines.through
    line_ids = list(BudgetLine.objects.values_list("pk", flat=True))
    links.objects.bulk_create(
        (
            links(initiative_id=initiative.pk, budgetline_id=line_id)
            for n, initiative in enumerate(created)
            for line_id in {line_ids[n % len(line_ids)], line_ids[(n * 7) % len(line_ids)]}
        ),
        batch_size=BATCH,
    )
    data.initiative_count = total
