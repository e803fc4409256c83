"""The Met demo dataset behind `manage.py seed_demo`: public figures where they exist,
illustrative figures elsewhere.

Every record carrying a public figure keeps its `source`; monthly phasing, monthly actuals,
forecasts and initiative splits are illustrative, and the banner says so on every page.
Generation is deterministic (`budget.SEED`).

The parts: `contracts` (suppliers, contracts, changes), `budget` (years, categories, lines,
monthly figures), `savings` (programme, targets, initiatives), `users` (one per role),
`sources` (£m and shared citations) and `load` (writes what is missing).
"""
