"""Savings pages, in named parts: `pipeline` (the index: targets, pipeline, charts and the
year's initiatives), `initiatives` (one initiative, its yearly savings, edits and delivery
confidence), `claims` (make, decide, evidence), `targets` (a year's target, a new year) and
`posting` (how a posted form is saved or refused)."""

from savings.views.claims import claim_decide, claim_evidence, claim_new
from savings.views.initiatives import (
    confidence_edit,
    initiative,
    initiative_edit,
    initiative_new,
    record,
)
from savings.views.pipeline import SavingsIndexView, chart_csv
from savings.views.targets import new_year, target_edit

__all__ = [
    "SavingsIndexView",
    "chart_csv",
    "claim_decide",
    "claim_evidence",
    "claim_new",
    "confidence_edit",
    "initiative",
    "initiative_edit",
    "initiative_new",
    "new_year",
    "record",
    "target_edit",
]
