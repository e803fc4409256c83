"""The contract register, when it runs to several pages: its total says what it covers and
the page's own subtotal is shown above it. tests/world.py has two contracts, annual values
CAP-2005 12,000.00 and BT-NET 6,000.00."""

import re
from datetime import date
from decimal import Decimal as D
from html import unescape

from contracts.models import Contract, Supplier
from tests.conftest import client_for


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _money(text: str) -> D:
    return D(text.replace("£", "").replace(",", ""))


def test_paged_register_total_says_what_it_covers_beside_the_page_subtotal(world, committee_user):
    supplier = Supplier.objects.create(name="Small supplier")
    Contract.objects.bulk_create(
        Contract(
            reference=f"SMALL-{i:02d}",
            title=f"Small contract {i}",
            supplier=supplier,
            start_date=date(2013, 4, 1),
            end_date=date(2018, 3, 31),
            notice_months=3,
            annual_value=D("100.00"),
            total_value=D("500.00"),
        )
        for i in range(58)
    )
    client = client_for(committee_user)
    pages = [
        text_of(client.get(f"/contracts/?page={n}").content.decode().split("<tfoot")[1])
        for n in (1, 2)
    ]
    # 12,000.00 + 6,000.00 + 58 x 100.00; 50 contracts a page.
    assert "Total, all 60 contracts £23,800.00" in pages[0]
    assert "Total, all 60 contracts £23,800.00" in pages[1]
    first = re.search(r"This page, 50 contracts (£[\d,.]+)", pages[0])
    second = re.search(r"This page, 10 contracts (£[\d,.]+)", pages[1])
    assert _money(first.group(1)) + _money(second.group(1)) == D("23800.00")


def test_one_page_register_has_only_its_total(world, committee_user):
    html = client_for(committee_user).get("/contracts/").content.decode()
    footer = text_of(html.split("<tfoot")[1])
    assert "Total, all 2 contracts £18,000.00" in footer
    assert "This page" not in footer
