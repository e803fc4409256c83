"""A scenario as an appendix of a published report's pack. Its results are frozen when it
is added (`PackAppendix.rows`), as the report is; `pack_tables` hands them to the pack
through `reports.pack.APPENDIX_PROVIDERS` (registered in `ScenariosConfig.ready`)."""

from decimal import Decimal

from django.utils.formats import date_format

from common.money import format_percent, format_points
from reports.models import PublishedReport
from reports.pack import PackRow, PackTable
from scenarios.engine import Results
from scenarios.models import PackAppendix, Scenario

COLUMNS = ("Year and figure", "Base", "Scenario", "Change")


def frozen_rows(results: Results) -> list[list]:
    """Each year's figures as stored text: money as its exact Decimal text, percentages
    with their sign, so the stored appendix reads back exactly."""
    rows = []
    for year in results.years:
        for m in year.measures:
            values = [m["base"], m["scenario"], m["change"]]
            if m["percent"]:
                values = [None if v is None else format_percent(v) for v in values[:2]] + [
                    None if values[2] is None else format_points(values[2])
                ]
                rows.append([f"{year.year.label}: {m['label']}", *values, "text"])
            else:
                text = [None if v is None else str(v) for v in values]
                rows.append([f"{year.year.label}: {m['label']}", *text, "money"])
    return rows


def title_for(scenario: Scenario, results: Results) -> str:
    return (
        f"Appendix: scenario “{scenario.name}”, worked out on "
        f"{date_format(results.computed_at.date())} from the live figures"
    )


def _row(stored: list) -> PackRow:
    label, *values, kind = stored
    if kind == "money":
        values = [None if v is None else Decimal(v) for v in values]
    return PackRow([label, *values])


def pack_tables(report: PublishedReport) -> list[PackTable]:
    """The report's scenario appendices, in the order they were added."""
    return [
        PackTable(
            f"appendix-{appendix.pk}",
            appendix.title,
            COLUMNS,
            [
                PackRow([f"Adjustments: {appendix.summary or 'none'}", None, None, None]),
                *(_row(row) for row in appendix.rows),
            ],
        )
        for appendix in PackAppendix.objects.filter(report=report)
    ]
