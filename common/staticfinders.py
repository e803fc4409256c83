"""Serve plotly.js from the installed plotly wheel, so no copy lives in the repository
and the version always matches the Python library that builds the figures."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_JS = "plotly.min.js"
PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"
STATIC_PATH = f"vendor/{PLOTLY_JS}"


class PlotlyFinder(BaseFinder):
    """Finds exactly one file, `vendor/plotly.min.js`, in plotly's package data."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(PLOTLY_DIR))
        self.storage.prefix = "vendor"

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path == STATIC_PATH:
            match = str(PLOTLY_DIR / PLOTLY_JS)
            return [match] if find_all else match
        return [] if find_all else None

    def list(self, ignore_patterns):
        yield PLOTLY_JS, self.storage
