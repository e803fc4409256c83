"""The glossary: the words the pages use, in plain English, with the rules the figures follow.

Pages link a term where it first appears with `{% term "slug" "text" %}` (common's template
tags); tests/reports/test_glossary.py checks that every such link has an entry here.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from budgets.models import (
    RAG_AMBER_OVERSPEND_PERCENT,
    RAG_AMBER_UNDERSPEND_PERCENT,
    RAG_RED_OVERSPEND_PERCENT,
)


@dataclass(frozen=True)
class Term:
    slug: str
    term: str
    meaning: str


TERMS = (
    Term(
        "outturn",
        "Outturn (forecast outturn)",
        "What the year is expected to cost in the end. For each month: the actual where one "
        "is recorded, else the forecast, else the budget. A missing past actual counts at its "
        "forecast or budget, never as £0, so a late entry does not look like an underspend.",
    ),
    Term(
        "variance",
        "Variance",
        "Outturn minus budget. Positive is an overspend, negative an underspend; negative "
        "amounts are shown in brackets, e.g. (£1.2m).",
    ),
    Term(
        "rag",
        "RAG (red, amber, green)",
        f"A status in colour, always with its word and a shape. For spend: red when the "
        f"outturn is more than {RAG_RED_OVERSPEND_PERCENT}% over budget, amber when more than "
        f"{RAG_AMBER_OVERSPEND_PERCENT}% over or more than {RAG_AMBER_UNDERSPEND_PERCENT}% "
        "under, green otherwise. For savings: green when the forecast meets the target, amber "
        "within 10% short, red beyond.",
    ),
    Term(
        "original-budget",
        "Original and revised budget",
        "The original budget is the year's budget as approved; it never changes. The revised "
        "budget is the original plus every recorded budget change (revisions, virements and "
        "carry-forwards).",
    ),
    Term(
        "virement",
        "Virement",
        "Moving budget from one line (or month) to another without changing the total: the "
        "amounts of a virement add up to zero.",
    ),
    Term(
        "carry-forward",
        "Carry-forward",
        "Moving an amount of one year's budget on a line into the next year's budget.",
    ),
    Term(
        "committed",
        "Committed (commitments)",
        "Orders placed but not yet invoiced. Uncommitted budget is the revised budget less "
        "actuals and commitments. Commitments do not change the outturn.",
    ),
    Term(
        "cashable",
        "Cashable and non-cashable savings",
        "A cashable saving takes cash off the budget and counts towards the savings target. "
        "A non-cashable saving (such as officer time freed by mobile devices) is real but "
        "releases no cash, so it never counts towards the cash target.",
    ),
    Term(
        "realised",
        "Planned, forecast and realised savings",
        "Planned is what an initiative was expected to save when approved; forecast is what "
        "it is now expected to save; realised is what it has saved.",
    ),
    Term(
        "confidence",
        "Delivery confidence",
        "The Infrastructure and Projects Authority's five-point rating of how likely an "
        "initiative or project is to deliver: Green, Amber/Green, Amber, Amber/Red, Red. A "
        "change of rating is recorded with its reason.",
    ),
    Term(
        "challenge-20-20-20",
        "The 20:20:20 challenge",
        "The Mayor's challenge to the Metropolitan Police for 2013-16: cut costs by 20%, "
        "cut crime by 20% and raise confidence by 20%. For the Met's £3bn budget the cost "
        "cut is £500m, towards which the technology savings count.",
    ),
    Term(
        "period",
        "Periods (P1 to P12)",
        "The financial year runs April to March: P1 is April, P12 is March. A closed period's "
        "figures are final and cannot be changed unless an Admin reopens it, with a reason.",
    ),
    Term(
        "supplier-share",
        "Supplier share",
        "A supplier's part of a year's technology outturn, from the budget lines on its contracts.",
    ),
)


@require_safe
def glossary(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/glossary.html", {"terms": TERMS})
