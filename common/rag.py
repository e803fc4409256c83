"""RAG (red, amber, green) and the five-point delivery confidence, as words and shapes:
shown beside colour or instead of it, never colour alone."""

RAG_WORDS = {
    "red": "Red",
    "amber_red": "Amber/Red",
    "amber": "Amber",
    "amber_green": "Amber/Green",
    "green": "Green",
}

# The badge's CSS class (and so its colour and shape) for each status.
RAG_CSS = {"amber_red": "red", "amber_green": "green"}


def rag_word(status: str | None) -> str:
    """The status as its word (Red, Amber/Green, ...); an em dash for none."""
    return RAG_WORDS.get(status or "", "—")


def rag_css(status: str) -> str:
    return RAG_CSS.get(status, status)
