"""The floor: the dashboard's aggregates as raw SQL, the time no dashboard request can beat."""

from django.db import connection

from demo.bench.dataset import ACTUALS_THROUGH, Dataset
from demo.bench.timing import time_calls

# What the dashboard has to ask the database, written by hand: the selected year's totals,
# months and categories; spend by year and by supplier across all years (its charts
# compare years); and the savings pipeline by year.
FLOOR_SQL = {
    "year_totals": """
        SELECT SUM(budget),
               SUM(CASE WHEN period <= %(as_at)s THEN actual END),
               SUM(CASE WHEN period > %(as_at)s THEN COALESCE(forecast, budget) END)
        FROM budgets_monthlyfigure WHERE year_id = %(year)s""",
    "by_period": """
        SELECT period, SUM(budget), SUM(actual), SUM(COALESCE(forecast, budget))
        FROM budgets_monthlyfigure WHERE year_id = %(year)s
        GROUP BY period ORDER BY period""",
    "by_category": """
        SELECT c.name, c.kind, SUM(f.budget),
               SUM(CASE WHEN f.period <= %(as_at)s THEN f.actual END),
               SUM(CASE WHEN f.period > %(as_at)s THEN COALESCE(f.forecast, f.budget) END)
        FROM budgets_monthlyfigure f
        JOIN budgets_budgetline l ON l.id = f.line_id
        JOIN budgets_category c ON c.id = l.category_id
        WHERE f.year_id = %(year)s
        GROUP BY c.id, c.name, c.kind, c."order" ORDER BY c."order", c.name""",
    "spend_by_year": """
        SELECT y.label, SUM(f.actual), SUM(COALESCE(f.actual, f.forecast, f.budget))
        FROM budgets_monthlyfigure f JOIN budgets_financialyear y ON y.id = f.year_id
        GROUP BY y.id, y.label, y.start ORDER BY y.start""",
    "spend_by_supplier": """
        SELECT f.year_id, s.id, s.name,
               SUM(f.actual), SUM(COALESCE(f.actual, f.forecast, f.budget)) AS o
        FROM budgets_monthlyfigure f
        JOIN budgets_budgetline l ON l.id = f.line_id
        LEFT JOIN contracts_contract k ON k.id = l.contract_id
        LEFT JOIN contracts_supplier s ON s.id = k.supplier_id
        GROUP BY f.year_id, s.id, s.name ORDER BY f.year_id, o DESC""",
    "savings_by_year": """
        SELECT iy.year_id,
               SUM(CASE WHEN i.cashable AND i.stage <> 'abandoned' THEN iy.planned END),
               SUM(CASE WHEN i.cashable AND i.stage IN ('approved', 'in_delivery', 'delivered')
                        THEN iy.planned END),
               SUM(CASE WHEN i.cashable THEN iy.realised END),
               SUM(CASE WHEN i.cashable AND i.stage <> 'abandoned'
                        THEN COALESCE(iy.forecast, iy.planned) END)
        FROM savings_initiativeyear iy JOIN savings_initiative i ON i.id = iy.initiative_id
        GROUP BY iy.year_id""",
}


def measure_floor(data: Dataset, repeats: int) -> dict:
    """Each aggregate timed alone, and all of them in a row: the floor a dashboard request
    cannot beat, since it needs every one of these answers."""
    params = {"year": data.latest.pk, "as_at": ACTUALS_THROUGH}

    def run(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    queries = {
        name: time_calls(lambda sql=sql: run(sql), repeats) for name, sql in FLOOR_SQL.items()
    }
    total = time_calls(lambda: [run(sql) for sql in FLOOR_SQL.values()], repeats)
    return {**total, "queries": queries}
