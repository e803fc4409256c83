"""The initiatives table, when it runs to several pages: its cash total says what it covers
and the page's own subtotal is shown above it. tests/world.py has four 2014-15 initiatives
(cash planned: CAP-RENEG 6,000.00, APP-RAT 3,000.00; OLD-X abandoned; MOBILE non-cashable).
"""

import re
from decimal import Decimal as D
from html import unescape

from budgets.models import FinancialYear
from savings.models import Initiative, InitiativeYear
from tests.conftest import client_for


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _money(text: str) -> D:
    return D(text.replace("£", "").replace(",", ""))


def test_paged_initiatives_total_says_what_it_covers_beside_the_page_subtotal(
    world, committee_user
):
    year = FinancialYear.objects.get(label="2014-15")
    extra = Initiative.objects.bulk_create(
        Initiative(code=f"ZZ-{i:02d}", name=f"Idea {i}", lever="cancel", stage="identified")
        for i in range(56)
    )
    InitiativeYear.objects.bulk_create(
        InitiativeYear(initiative=i, year=year, planned=D("100.00")) for i in extra
    )
    client = client_for(committee_user)
    pages = [
        text_of(client.get(f"/savings/?year=2014-15&page={n}").content.decode().split("<tfoot")[1])
        for n in (1, 2)
    ]
    # Cash planned: CAP-RENEG 6,000.00 + APP-RAT 3,000.00 + 56 x 100.00 (OLD-X is
    # abandoned, MOBILE non-cashable); 50 initiatives a page.
    assert "Cash total, all 60 initiatives £14,600.00" in pages[0]
    first = re.search(r"This page, 50 initiatives (£[\d,.]+)", pages[0])
    second = re.search(r"This page, 10 initiatives (£[\d,.]+)", pages[1])
    assert _money(first.group(1)) + _money(second.group(1)) == D("14600.00")
