"""The savings models, in named parts: `programme` (the reduction programme, its yearly
targets and the RAG of savings against a target), `initiatives` (initiatives and which of
them count towards the cash target) and `pipeline` (an initiative's savings in one year, and
the pipeline read from them). Claims live in `savings.claims`."""

from savings.models.initiatives import (
    Initiative,
    InitiativeQuerySet,
    counts_as_cash,
    counts_as_non_cash,
)
from savings.models.pipeline import InitiativeYear, InitiativeYearQuerySet
from savings.models.programme import (
    SAVINGS_AMBER_SHORTFALL_PERCENT,
    ReductionProgramme,
    ReductionProgrammeQuerySet,
    SavingsTarget,
    savings_rag,
)

__all__ = [
    "SAVINGS_AMBER_SHORTFALL_PERCENT",
    "Initiative",
    "InitiativeQuerySet",
    "InitiativeYear",
    "InitiativeYearQuerySet",
    "ReductionProgramme",
    "ReductionProgrammeQuerySet",
    "SavingsClaim",
    "SavingsTarget",
    "counts_as_cash",
    "counts_as_non_cash",
    "savings_rag",
]

# The claims model lives in its own module; importing it here registers it with the app.
from savings.claims import SavingsClaim
