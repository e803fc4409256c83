"""Every string in a chart's figure, to check that nothing from the data reaches plotly as
markup (plotly draws a subset of HTML in labels, ticks, legends, hover text, annotations)."""

HOSTILE = '<a href="https://evil.example/">x</a>'
BOLD = "<b>bold</b>"
HOSTILE_ESCAPED = '&lt;a href="https://evil.example/"&gt;x&lt;/a&gt;'


def figure_strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [text for value in node.values() for text in figure_strings(value)]
    if hasattr(node, "tolist"):  # numpy arrays in plotly's JSON
        return figure_strings(node.tolist())
    if isinstance(node, list | tuple):
        return [text for value in node for text in figure_strings(value)]
    return []


def markup_in(chart) -> list[str]:
    """The strings of `chart`'s figure that plotly would read as a tag."""
    return [text for text in figure_strings(chart.figure_json) if "<a" in text or "<b>" in text]


def end_labels(figure: dict) -> dict[str, str]:
    """The contract timeline's end-marker labels, by the contract's row."""
    return {
        note["y"]: note["text"]
        for note in figure["layout"].get("annotations", [])
        if note.get("yref") == "y"
    }
