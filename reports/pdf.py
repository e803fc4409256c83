"""The committee pack as a PDF, made on the server with WeasyPrint.

WeasyPrint is pure Python over Pango (Debian's libpango-1.0-0 and libpangoft2-1.0-0, which
`make system-deps` installs): no browser runs on the server. It lays out the same pack
(`templates/reports/pack_pdf.html`, sharing the pack's body with the page) on A4 with
`static/css/pack.css`; each chart is drawn from its stored table as an SVG (`reports.svg`),
since plotly's own image export would need kaleido and Chromium.

Nothing is fetched while rendering: the stylesheet is read from the static files and
handed over as text, and the fetcher refuses every URL, so a link or a name in the data
can never make the server request anything.
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from reports.pack import Pack

STYLESHEET = "css/pack.css"


def _stylesheet() -> CSS:
    path = finders.find(STYLESHEET)
    if path is None:  # pragma: no cover - a deployment without the app's static files
        raise FileNotFoundError(f"static file {STYLESHEET} not found")
    with open(path, encoding="utf-8") as css:
        return CSS(string=css.read(), url_fetcher=_no_fetching())


def _no_fetching() -> URLFetcher:
    """A fetcher that allows no protocol at all."""
    return URLFetcher(allowed_protocols=())


def pack_pdf(pack: Pack) -> bytes:
    """The pack as PDF bytes: cover, contents, every section, numbered A4 pages."""
    html = render_to_string("reports/pack_pdf.html", {"pack": pack, "pdf": True})
    document = HTML(string=html, base_url=None, url_fetcher=_no_fetching())
    return document.write_pdf(stylesheets=[_stylesheet()])
