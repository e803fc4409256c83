"""The committee's summary of the major projects and benefits, for the dashboard, the
published report and the pack: projects red on cost or schedule, total cost growth, the
devices headline and technology spend per officer by year with its trend.

Every figure comes from `projects.figures` (its one home), seen from the dashboard's
reporting date. `committee_projects` gives them as plain values (what a published report
stores under its `projects` key) and the spend per officer chart; `stored_projects` reads
them back from a report, None for a report published before they were added; `pack_parts`
lays them out for the pack.
"""

from datetime import date

from django.urls import reverse
from django.utils.formats import date_format

from budgets.reporting import Reporting
from common.money import format_percent
from common.rag import rag_word
from projects.charts import spend_per_officer_chart
from projects.figures import devices_headline, projects_summary, spend_per_officer_by_year
from projects.models import COST_RED_PERCENT, SLIP_RED_MONTHS
from reports.models import Commentary

Section = Commentary.Section


def project_url(code: str, as_at_date: date | None) -> str:
    """The project's page as at the same date."""
    url = reverse("projects:detail", args=[code])
    return f"{url}?as_at={as_at_date.isoformat()}" if as_at_date else url


def _summary(as_at_date: date | None) -> dict:
    summary = projects_summary(as_at_date)
    summary["red_projects"] = [
        {**row, "url": project_url(row["code"], as_at_date)} for row in summary["red_projects"]
    ]
    return summary


def _devices(as_at_date: date | None) -> dict | None:
    headline = devices_headline(as_at_date)
    if headline is None:
        return None
    measure = headline.pop("measure")
    return {
        **headline,
        "measure_code": measure.code,
        "measure_name": measure.name,
        "url": measure.get_absolute_url(),
    }


def committee_projects(reporting: Reporting) -> dict | None:
    """The summary as at `reporting`'s date (None without a year): as_at_date; summary
    (`projects_summary`, each red project with its page's url); tolerance (cost_red %,
    slip_red months); devices (`devices_headline`, the measure as code, name and url; None
    without a devices measure); spend_per_officer (`spend_per_officer_by_year` rows up to
    the year, its outturn as at the reporting period); this_year (the selected year's row,
    None when it has no figures); chart (the spend per officer chart)."""
    year = reporting.year
    if year is None:
        return None
    as_at_date = reporting.as_at_date
    rows = spend_per_officer_by_year(year, reporting.as_at)
    return {
        "as_at_date": as_at_date,
        "summary": _summary(as_at_date),
        "tolerance": {"cost_red": COST_RED_PERCENT, "slip_red": SLIP_RED_MONTHS},
        "devices": _devices(as_at_date),
        "spend_per_officer": rows,
        "this_year": next((r for r in rows if r["year_label"] == year.label), None),
        "chart": spend_per_officer_chart(rows),
    }


def stored_projects(data: dict, stored_chart) -> dict | None:
    """A published report's projects summary with its chart made drawable by
    `stored_chart`; None for a report stored before the summary existed."""
    projects = data.get("projects")
    if not projects:
        return None
    return {**projects, "chart": stored_chart(projects["chart"]) if projects.get("chart") else None}


def pack_parts(projects: dict) -> tuple[list[tuple], dict | None]:
    """The stored summary as the pack lays it out: tables as (section, anchor, title,
    columns, rows of (values, url), empty text), the figures after the summary's and the
    red projects among the risks; and the spend per officer chart, for the spend section."""
    summary, devices, year = projects["summary"], projects["devices"], projects["this_year"]
    red_count = (
        f"{summary['red']} ({summary['red_on_cost']} on cost, "
        f"{summary['red_on_schedule']} on schedule)"
    )
    figures = [
        ("Open major projects with a baseline", summary["projects"]),
        ("Red on cost or schedule", red_count),
        ("Total cost growth against baseline", summary["total_growth"]),
        ("Total cost growth, % of baseline", format_percent(summary["total_growth_pct"])),
        ("Mobile devices", devices["text"] if devices else "No measure counts devices"),
        ("Technology spend per officer", (year or {}).get("per_officer")),
    ]
    red = [
        (
            [
                f"{p['code']}: {p['name']}",
                p["cost_growth"],
                format_percent(p["cost_growth_pct"]),
                p["slip_months"],
                rag_word(p["cost_rag"]),
                rag_word(p["schedule_rag"]),
            ],
            p.get("url", ""),
        )
        for p in summary["red_projects"]
    ]
    title = f"Major projects and benefits as at {date_format(projects['as_at_date'])}"
    tables = [
        (Section.SUMMARY, "projects", title, ("Figure", "Value"), [(f, "") for f in figures], ""),
        (
            Section.RISKS,
            "projects-red",
            "Major projects red on cost or schedule",
            ("Project", "Cost growth", "Growth %", "Slip (months)", "Cost", "Schedule"),
            red,
            "No open project is red on cost or schedule.",
        ),
    ]
    return tables, projects.get("chart")
