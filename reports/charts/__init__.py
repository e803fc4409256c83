"""The committee dashboard's charts, in named parts: spend (by month, by category),
suppliers (concentration), contracts (the timeline) and the waterfall from the baseline to
the outturn. The savings charts are `savings.charts`, shared with the savings page.

Each builder takes plain rows (dicts of Decimals from QuerySet methods) and returns a
`common.charts.Chart`. Tables and summaries carry the Decimals; figures draw floats in
£m, and their labels and hover text are the formatted Decimals, so no float is ever read
as a figure.
"""

from reports.charts.contracts import contract_timeline_chart
from reports.charts.spend import category_chart, monthly_chart
from reports.charts.suppliers import NO_SUPPLIER, supplier_chart
from reports.charts.waterfall import waterfall_chart

__all__ = [
    "NO_SUPPLIER",
    "category_chart",
    "contract_timeline_chart",
    "monthly_chart",
    "supplier_chart",
    "waterfall_chart",
]
