"""The pack's tables of the report's stored lists: the lines needing an explanation, the
initiatives at risk, the contract decisions due and the movement since the report published
before it."""

from collections.abc import Iterable

from django.utils.formats import date_format

from common.rag import rag_word
from reports.pack.layout import PackRow, PackTable


def _rows(items: Iterable[dict], *keys: str) -> list[PackRow]:
    return [PackRow([item.get(k) for k in keys], item.get("url", "")) for item in items]


def variance_notes_table(notes: list[dict]) -> PackTable:
    rows = [
        PackRow(
            [
                f"{n['code']}: {n['name']}",
                _period(n["period"]),
                n["actual"],
                n["budget"],
                n.get("forecast"),
                n.get("note") or "No note given",
            ],
            n.get("url", ""),
        )
        for n in notes
    ]
    columns = ("Line", "Period", "Actual", "Revised budget", "Forecast", "Note")
    return PackTable(
        "variance-notes",
        "Lines needing explanation",
        columns,
        rows,
        "No line needed an explanation.",
    )


def _period(period) -> str:
    return f"P{period}" if isinstance(period, int) else str(period)


def initiatives_table(initiatives: list[dict]) -> PackTable:
    rows = [
        PackRow(
            [
                f"{i['code']}: {i['name']}",
                i["stage"],
                rag_word(i["confidence"]),
                i["planned"],
                i["forecast"],
                i["realised"],
                i.get("claimed"),  # not in reports published before claims
            ],
            i.get("url", ""),
        )
        for i in initiatives
    ]
    columns = (
        "Initiative",
        "Stage",
        "Delivery confidence",
        "Planned",
        "Forecast",
        "Realised (validated)",
        "Claimed, awaiting validation",
    )
    return PackTable(
        "initiatives-at-risk",
        "Initiatives at risk (confidence red or amber/red)",
        columns,
        rows,
        "No initiative is at risk.",
    )


def decisions_table(data: dict) -> PackTable:
    cutoff = data.get("decision_cutoff")
    rows = _rows(
        data.get("decisions_due", []),
        "reference",
        "title",
        "supplier",
        "end_date",
        "decision_date",
    )
    columns = ("Contract", "Title", "Supplier", "End date", "Decision date")
    by = f" by {date_format(cutoff)}" if cutoff else ""
    return PackTable(
        "decisions-due", f"Contract decisions due{by}", columns, rows, "No decision is due."
    )


def movement_tables(movement: dict | None) -> list[PackTable]:
    """The movement since the previous report as tables: headline figures, RAG changes,
    the largest line movements and new contract decisions."""
    if movement is None:
        return []
    since = movement["previous_label"]
    figures = [
        PackRow([m["label"], m["previous"], m["current"], m["change"]])
        for m in movement["headline"]
    ]
    rags = [
        PackRow([r["what"], rag_word(r["previous"]), rag_word(r["current"])])
        for r in movement["rag_changes"]
    ]
    lines = [
        PackRow(
            [f"{m['code']}: {m['name']}", m["previous"], m["current"], m["change"]],
            m.get("url", ""),
        )
        for m in movement["lines"]
    ]
    decisions = _rows(movement["new_decisions"], "reference", "title", "decision_date")
    return [
        PackTable(
            "movement",
            f"Movement since {since}",
            ("Figure", since, "Now", "Change"),
            figures,
        ),
        PackTable("rag-changes", "RAG changes", ("What", "Was", "Now"), rags, "No RAG changed."),
        PackTable(
            "line-movements",
            "Largest movements in forecast outturn",
            ("Line", since, "Now", "Change"),
            lines,
            "No line's outturn moved.",
        ),
        PackTable(
            "new-decisions",
            "New contract decisions due",
            ("Contract", "Title", "Decision date"),
            decisions,
            "No new decision is due.",
        ),
    ]
