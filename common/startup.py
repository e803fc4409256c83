"""What a serving process does once, after loading the project and before its first request.

Python's cyclic garbage collector now and then walks every object it tracks (a full,
"generation 2", collection). A worker that has loaded Django, plotly, openpyxl and every
view holds some hundreds of thousands of such objects that live as long as the process, so
each full collection pauses whichever request triggered it (measured in a process loaded
as gunicorn loads it: 95-103 ms, in about 1 request in 60; about 20 ms once settled). Loading
every view now and setting what is loaded aside (`gc.freeze`) leaves each collection only
what requests made since.
"""

import gc

from django.urls import get_resolver


def settle() -> None:
    """Import every view (and so what they import), collect what loading left behind, and
    set the rest aside from the collector for the life of the process."""
    get_resolver().url_patterns  # noqa: B018 - reading it imports every URLconf and view
    gc.collect()
    gc.freeze()
