"""Words about numbers, the same on every page, message and export."""


def counted(count: int, noun: str, plural: str = "") -> str:
    """'1 line', '2 lines', '0 lines'; `plural` where adding an s is wrong."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
