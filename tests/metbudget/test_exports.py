"""Every export in the project carries plain values: found by walking the URLconf, each page
is asked for `?_export=csv` and `?_export=xlsx`, and every download link it shows (chart
CSVs, `?data=...`) is followed. No cell may hold markup, and a date in a CSV is ISO
(2014-12-31), never display text (31 Dec 2014); in XLSX a date is a date cell."""

import csv
import io
import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from openpyxl import load_workbook

from budgets.models import ImportBatch
from contracts.models import Contract
from tests.conftest import client_for
from tests.metbudget.permission_matrix import pages
from tests.metbudget.test_permission_matrix import sample_values

MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
DISPLAY_DATE = re.compile(rf"\b\d{{1,2}} ({MONTHS})[a-z]* \d{{4}}\b")
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The exports the walk must reach, so that it cannot pass by finding nothing.
EXPECTED = (
    "/budgets/?_export=csv",
    "/budgets/?_export=xlsx",
    "/contracts/?_export=csv",
    "/contracts/?_export=xlsx",
    "/savings/?_export=csv",
    "/savings/?_export=xlsx",
    "/history/?_export=csv",
    "/history/?_export=xlsx",
    "/budgets/import/batches/?_export=csv",
    "/budgets/import/batches/?_export=xlsx",
    "/charts/contracts.csv",
    "/charts/suppliers.csv",
    "/contracts/CAP-2005/?data=spend",
    "/savings/charts/pipeline.csv",
)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _download_links(page_url: str, html: str) -> set[str]:
    parser = Links()
    parser.feed(html)
    found = set()
    for href in parser.hrefs:
        url = urljoin(page_url, href)
        parts = urlsplit(url)
        if parts.netloc or parts.path.startswith("/admin/"):
            continue
        if "_export=" in parts.query or "data=" in parts.query or parts.path.endswith(".csv"):
            found.add(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    return found


def export_urls(client, samples: dict) -> set[str]:
    urls = set()
    for _, url in pages(samples=samples):
        response = client.get(url)
        if response.status_code != 200:
            continue
        if response["Content-Type"].startswith("text/html"):
            urls |= _download_links(url, response.content.decode())
            urls |= {f"{url}?_export=csv", f"{url}?_export=xlsx"}
        else:
            urls.add(url)
    return urls


def _csv_problems(url: str, content: bytes) -> list[str]:
    problems = []
    for number, row in enumerate(csv.reader(io.StringIO(content.decode("utf-8-sig")))):
        for cell in row:
            if "<" in cell:
                problems.append(f"{url} row {number}: markup in {cell!r}")
            elif number and DISPLAY_DATE.search(cell):  # a heading may name a date
                problems.append(f"{url} row {number}: display date in {cell!r}, not ISO")
    return problems


def _xlsx_problems(url: str, content: bytes) -> list[str]:
    problems = []
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for number, row in enumerate(sheet.iter_rows(values_only=True)):
            for cell in row:
                if not isinstance(cell, str):
                    continue
                if "<" in cell:
                    problems.append(f"{url} row {number}: markup in {cell!r}")
                elif number and DISPLAY_DATE.search(cell):
                    problems.append(f"{url} row {number}: date as text {cell!r}, not a date cell")
    return problems


@pytest.fixture
def exported(world, admin_user) -> dict[str, tuple[str, bytes]]:
    """Every export the walk finds, as {url: (content type, content)}, with rows that once
    carried markup: a live contract whose decision date has passed, an applied import."""
    Contract.objects.create(
        reference="LATE-1",
        title="Notice already late",
        supplier=world["suppliers"]["bt"],
        start_date=date(2010, 1, 1),
        end_date=date(2014, 12, 31),
        notice_months=12,  # decision 31 Dec 2013, before the reporting date 30 Jun 2014
    )
    ImportBatch.objects.create(
        sha256="0" * 64,
        filename="p3.csv",
        file_format="figures",
        uploaded_by=admin_user,
        row_count=1,
        figure_count=1,
        total=Decimal("1.00"),
    )
    client = client_for(admin_user)
    found = {}
    for url in sorted(export_urls(client, sample_values(world))):
        response = client.get(url)
        kind = response.get("Content-Type", "").split(";")[0]
        if response.status_code == 200 and kind in (CSV, XLSX):
            found[url] = (kind, response.content)
    return found


def _reached(expected: str, urls) -> bool:
    path, _, query = expected.partition("?")
    wanted = set(filter(None, query.split("&")))
    return any(
        url.partition("?")[0] == path and wanted <= set(url.partition("?")[2].split("&"))
        for url in urls
    )


def test_the_walk_reaches_every_kind_of_export(exported):
    assert [url for url in EXPECTED if not _reached(url, exported)] == []


def test_no_export_cell_holds_markup_and_csv_dates_are_iso(exported):
    problems = []
    for url, (kind, content) in exported.items():
        check = _csv_problems if kind == CSV else _xlsx_problems
        problems += check(url, content)
    assert problems == []


def test_register_exports_its_passed_decision_date_as_a_plain_date(exported):
    """The register's decision date once exported as `31 Dec 2013 <span ...>passed</span>`."""
    rows = list(csv.reader(io.StringIO(exported["/contracts/?_export=csv"][1].decode("utf-8-sig"))))
    header, late = rows[0], next(row for row in rows if row[0] == "LATE-1")
    assert late[header.index("Decision date")] == "2013-12-31"
    assert late[header.index("End")] == "2014-12-31"
    sheet = load_workbook(io.BytesIO(exported["/contracts/?_export=xlsx"][1])).active
    cells = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert cells["LATE-1"][header.index("Decision date")].date() == date(2013, 12, 31)
