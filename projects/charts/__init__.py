"""Project and benefit charts: plain rows in (from `projects.figures`), a Chart out.

Tables and summaries carry the Decimals and dates; figures draw floats (£m for money) with
the formatted Decimal as hover text. Names reach plotly escaped (plotly renders some HTML in
labels); the tables are escaped by the template.
"""

from projects.charts.benefits import benefit_chart, spend_per_officer_chart
from projects.charts.projects import (
    cost_history_chart,
    go_live_history_chart,
    growth_chart,
    month_label,
)

__all__ = [
    "benefit_chart",
    "cost_history_chart",
    "go_live_history_chart",
    "growth_chart",
    "month_label",
    "spend_per_officer_chart",
]
