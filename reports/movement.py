"""Movement since the last report: the difference of two stored reports, never a fresh sum.

Both sides are payloads (`PublishedReport.data`), so every change reconciles exactly with
the two reports the committee was shown.
"""

from decimal import Decimal

# (key, label, where in the payload)
HEADLINE = (
    ("outturn", "Forecast outturn", ("totals", "outturn")),
    ("variance", "Variance, outturn less budget", ("totals", "variance")),
    ("savings_forecast", "Savings forecast", ("savings", "forecast")),
    ("gap", "Gap to target", ("savings", "gap")),
    ("cumulative_realised", "Cumulative savings realised", ("savings", "cumulative_realised")),
)
LARGEST_LINE_MOVEMENTS = 10


def _get(payload: dict, path: tuple[str, str]) -> Decimal | None:
    section = payload.get(path[0]) or {}
    return section.get(path[1])


def _change(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    if current is None or previous is None:
        return None
    return current - previous


def _rag_changes(current: dict, previous: dict) -> list[dict]:
    found = []
    pairs = (
        ("Spend against budget", ("totals", "rag")),
        ("Savings gap to target", ("savings", "rag")),
    )
    for what, path in pairs:
        before, now = _get(previous, path), _get(current, path)
        if before and now and before != now:
            found.append({"what": what, "previous": before, "current": now})
    confidence = {i["code"]: i for i in previous.get("initiatives", [])}
    for initiative in current.get("initiatives", []):
        was = confidence.get(initiative["code"])
        if was and was["confidence"] != initiative["confidence"]:
            found.append(
                {
                    "what": f"{initiative['code']}: {initiative['name']} (delivery confidence)",
                    "previous": was["confidence"],
                    "current": initiative["confidence"],
                }
            )
    return found


def _line_movements(current: dict, previous: dict) -> list[dict]:
    before = {line["code"]: line for line in previous.get("lines", [])}
    moved = []
    for line in current.get("lines", []):
        was = before.get(line["code"])
        change = line["outturn"] - was["outturn"] if was else None
        if change:
            moved.append(
                {
                    "code": line["code"],
                    "name": line["name"],
                    "previous": was["outturn"],
                    "current": line["outturn"],
                    "change": change,
                    "url": line["url"],
                }
            )
    moved.sort(key=lambda m: (-abs(m["change"]), m["code"]))
    return moved[:LARGEST_LINE_MOVEMENTS]


def movement(current: dict, previous: dict | None) -> dict | None:
    """What changed from `previous` to `current` (both report payloads); None without a
    previous report."""
    if previous is None:
        return None
    headline = []
    for key, label, path in HEADLINE:
        now, before = _get(current, path), _get(previous, path)
        headline.append(
            {
                "key": key,
                "label": label,
                "current": now,
                "previous": before,
                "change": _change(now, before),
            }
        )
    seen = {d["reference"] for d in previous.get("decisions_due", [])}
    return {
        "previous_label": previous.get("label", ""),
        "headline": headline,
        "rag_changes": _rag_changes(current, previous),
        "lines": _line_movements(current, previous),
        "new_decisions": [
            d for d in current.get("decisions_due", []) if d["reference"] not in seen
        ],
    }
