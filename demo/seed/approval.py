"""The demo's approved budgets and its budget changes (illustrative).

Each demo year's budget is approved as loaded, so its original budget is the budget the
seed phased. 2015-16 then carries two illustrative changes recorded through
`budgets.revisions`, so that the original and revised budgets differ as a committee would
see them: a virement between two network lines and a revision funding the Capgemini exit's
dual running (+£0.4m). Keyed on each change's reason, so a second run writes nothing.
"""

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from budgets.models import BudgetChange, BudgetLine, FinancialYear
from budgets.revisions import ChangeAmount, approve_budget, record_budget_change
from demo.seed.budget import SECOND, YEARS

K = Decimal("1000")

# (kind, reason, [(line code, period, £)]): periods after 2015-16's last closed one (P6).
CHANGES = (
    (
        BudgetChange.Kind.VIREMENT,
        "Illustrative: mobile airtime for the tablet roll-out runs above plan; funded from "
        "the wide area network, whose site links came in under budget.",
        [("NET-WAN", 9, -150 * K), ("NET-MOB", 9, 150 * K)],
    ),
    (
        BudgetChange.Kind.REVISION,
        "Illustrative: dual running of Capgemini and the new towers in January and February "
        "2016, approved from the corporate contingency.",
        [("CHG-TOWER", 10, 200 * K), ("CHG-TOWER", 11, 200 * K)],
    ),
)


@transaction.atomic
def approve_demo_budgets(*, admin: AbstractBaseUser) -> int:
    """Approve each demo year still in draft and record the illustrative changes not yet
    recorded; return how many approvals and changes were written (0 on a second run)."""
    written = 0
    for year in FinancialYear.objects.filter(label__in=[y.label for y in YEARS]):
        if not year.is_budget_approved and year.figures.exists():
            approve_budget(year=year, user=admin, expected_version=None)
            written += 1
    second = FinancialYear.objects.get(label=SECOND)
    lines = BudgetLine.objects.in_bulk(field_name="code")
    for kind, reason, amounts in CHANGES:
        if BudgetChange.objects.filter(reason=reason).exists():
            continue
        record_budget_change(
            kind=kind,
            reason=reason,
            amounts=[ChangeAmount(lines[code], second, p, amount) for code, p, amount in amounts],
            user=admin,
        )
        written += 1
    return written
