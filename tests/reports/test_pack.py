"""The committee pack of a published report: built from the stored payload only, as a page
(cover, contents, sections in order, charts with their words and tables, commentary) and
as a PDF made on the server, whose text carries the cover, the period and every headline
figure exactly as the snapshot gives them."""

import io
import json
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from budgets.models import FinancialYear, MonthlyFigure
from common.money import format_millions, format_money
from reports.commentary import save_commentary
from reports.models import PublishedReport
from reports.pack import build_pack, headline_text, movement_tables
from reports.pdf import _no_fetching, pack_pdf
from reports.publishing import publish_report
from tests.figure_text import HOSTILE, HOSTILE_ESCAPED
from tests.reports.published import FIGURE, HEADLINE, publish

SECTIONS = ["summary", "spend", "savings", "contracts", "risks"]


@pytest.fixture
def report(finance_user):
    return publish(finance_user)


def pack_html(client, report) -> str:
    response = client.get(f"/reports/{report.pk}/pack/")
    assert response.status_code == 200
    return response.content.decode()


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_sections_follow_the_commentary_sections_with_their_charts_and_tables(report):
    pack = build_pack(report)
    assert [s.key for s in pack.sections] == SECTIONS
    assert [s.title for s in pack.sections] == [
        "Summary",
        "Spend against budget",
        "Savings",
        "Contracts",
        "Risks and actions",
    ]
    charts = {s.key: [c.id for c in s.charts] for s in pack.sections}
    assert charts == {
        "summary": [],
        "spend": ["monthly"],
        "savings": ["pipeline"],
        "contracts": ["contracts"],
        "risks": [],
    }
    tables = {s.key: [t.anchor for t in s.tables] for s in pack.sections}
    assert tables == {
        "summary": [],  # no earlier report: no movement
        "spend": ["variance-notes"],
        "savings": [],
        "contracts": ["decisions-due"],
        "risks": ["initiatives-at-risk"],
    }


def test_the_cover_names_the_body_the_period_the_date_the_version_and_who(report, committee_client):
    html = pack_html(committee_client, report)
    cover = html[
        html.index('class="pack-cover"') : html.index("</header>", html.index("pack-cover"))
    ]
    assert "Metropolitan Police Service" in cover
    assert "Technology budget and savings" in cover
    assert "2015-16 P6 (30 Sep 2015)" in cover
    assert '<dd data-testid="published">5 Oct 2015</dd>' in cover
    assert '<dd data-testid="version">1</dd>' in cover
    assert "<dt>Published by</dt><dd>Fiona</dd>" in cover


def test_every_contents_link_leads_to_a_part_of_the_pack(report, committee_client):
    html = pack_html(committee_client, report)
    contents = html[
        html.index('class="pack-contents"') : html.index("</nav>", html.index("pack-contents"))
    ]
    links = re.findall(r'href="#([^"]+)"', contents)
    assert links[:3] == ["section-summary", "headline", "commentary-summary"]
    assert {"chart-monthly", "variance-notes", "decisions-due", "initiatives-at-risk"} <= set(links)
    ids = set(re.findall(r' id="([^"]+)"', html))
    assert [link for link in links if link not in ids] == []


def test_every_headline_figure_is_printed_as_stored(report, committee_client):
    html = pack_html(committee_client, report)
    for figure in HEADLINE:
        item = re.search(rf'data-kpi="{figure["key"]}">(.*?)</li>', html, re.S).group(1)
        assert figure["label"] in item
        assert headline_text(figure["key"], figure["value"]) in item
    assert "£331,050,000.05" in html and "£331.1m" in html
    assert "1.7%" in html
    assert re.search(r'data-kpi="decisions_due">.*?<span class="kpi-value">2</span>', html, re.S)


def test_headline_text_is_money_to_the_penny_percent_or_count():
    assert headline_text("outturn", D("331050000.05")) == "£331,050,000.05"
    assert headline_text("variance", D("-5.50")) == "−£5.50"
    assert headline_text("variance_pct", D("1.7")) == "1.7%"
    assert headline_text("cumulative_realised_share", D("12.0")) == "12.0%"
    assert headline_text("decisions_due", 2) == "2"
    assert headline_text("gap", None) == "—"


def test_each_chart_has_its_words_its_stored_figure_and_its_table(report, committee_client):
    html = pack_html(committee_client, report)
    assert "Actual £55.3m to P2 against a budget to date of £54.2m." in html
    script = re.search(
        r'<script id="chart-data-monthly" type="application/json">(.*?)</script>', html, re.S
    ).group(1)
    assert json.loads(script) == json.loads(FIGURE)
    assert 'data-chart="chart-data-monthly"' in html
    # The stored table, to the penny.
    assert '<th scope="row">P2</th><td class="num">£27,100,000.00</td>' in html
    assert '<td class="num">£28,350,000.50</td><td class="num">£54,200,000.00</td>' in html
    # A chart stored without a figure shows its words and table only.
    assert 'data-chart="chart-data-contracts"' not in html
    assert "<td>1 Apr 2005</td>" in html and "£120,000,000.00" in html
    assert "Non-cashable savings (such as officer time) are not in this chart." in html


def test_lines_needing_explanation_initiatives_at_risk_and_decisions_due(report, committee_client):
    html = pack_html(committee_client, report)
    assert '<a href="/budgets/lines/OUT-01/">OUT-01: Capgemini service</a>' in html
    assert "Extra support for the custody system cut-over." in html
    assert "£11,000,000.00" in html and "£10,000,000.00" in html
    assert '<a href="/savings/initiatives/MOBILE/">MOBILE: Mobile devices</a>' in html
    assert "<td>In delivery</td><td>Amber/Red</td>" in html
    assert "Contract decisions due by 31 Mar 2016" in html
    assert "<td>Capgemini</td><td>31 Dec 2015</td><td>30 Jun 2015</td>" in html


def test_empty_lists_say_so(finance_user, committee_client):
    report = publish(finance_user, variance_notes=[], initiatives_at_risk=[], decisions_due=[])
    html = pack_html(committee_client, report)
    assert "No line needed an explanation." in html
    assert "No initiative is at risk." in html
    assert "No decision is due." in html


def test_text_from_the_data_is_escaped(report, committee_client):
    html = pack_html(committee_client, report)
    assert HOSTILE not in html
    assert HOSTILE_ESCAPED.replace('"', "&quot;") in html


def test_finance_sees_links_to_write_commentary_and_committee_does_not(
    report, finance_client, committee_client
):
    write = f'href="/reports/{report.pk}/pack/commentary/spend/"'
    assert write in pack_html(finance_client, report)
    assert write not in pack_html(committee_client, report)


def test_print_button_and_pdf_download_without_inline_script(report, committee_client):
    html = pack_html(committee_client, report)
    assert '<button type="button" class="button" data-print hidden>Print</button>' in html
    assert f'href="/reports/{report.pk}/pack.pdf"' in html
    assert re.search(r'<script src="/static/js/pack\.\w+\.js" defer>', html)
    scripts = re.findall(r"<script(?![^>]*(?:src=|application/json))[^>]*>", html)
    assert scripts == []
    assert "onclick" not in html


def test_committee_downloads_the_pdf(report, committee_client):
    response = committee_client.get(f"/reports/{report.pk}/pack.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="committee-pack-2015-16-P6-v1.pdf"'
    )
    assert response.content.startswith(b"%PDF-")


def test_the_pdf_holds_the_cover_the_period_and_every_headline_figure(report):
    pages, text = pdf_text(pack_pdf(build_pack(report)))
    assert pages >= 6  # cover, contents, then one section a page at least
    for words in (
        "Metropolitan Police Service",
        "Technology budget and savings",
        "2015-16 P6 (30 Sep 2015)",
        "Published 5 Oct 2015",
        "Version 1",
        "Published by Fiona",
    ):
        assert words in text
    assert date_format(timezone.localtime(report.published_at), "j M Y") == "5 Oct 2015"
    data = report.data
    for figure in data["headline"]:
        assert figure["label"] in text
        assert headline_text(figure["key"], figure["value"]) in text
    assert format_money(data["totals"]["outturn"]) in text
    assert format_millions(data["totals"]["outturn"]) in text


def test_the_pdf_holds_the_tables_notes_commentary_and_page_numbers(report, finance_user):
    save_commentary(
        report=report,
        section="risks",
        text="Mobile is at risk.\n\nA recovery plan is due.",
        user=finance_user,
    )
    pages, text = pdf_text(pack_pdf(build_pack(report)))
    assert "P2 £27,100,000.00 £28,350,000.50 £54,200,000.00" in text
    assert "Extra support for the custody system cut-over." in text
    assert "MOBILE: Mobile devices In delivery Amber/Red" in text
    assert "CAP-2005 Outsourced IT services Capgemini 31 Dec 2015 30 Jun 2015" in text
    assert "Mobile is at risk." in text and "A recovery plan is due." in text
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    # The charts are drawn: their bars' amounts are in the text, the hostile label as text.
    assert "£28.4m" in text and "£60.0m" in text
    assert HOSTILE in text


@pytest.mark.parametrize(
    "url", ["http://evil.example/x.png", "file:///etc/passwd", "data:text/css,body{}"]
)
def test_the_pdf_renderer_fetches_nothing(url):
    """Whatever a stored text or a stylesheet might name, the renderer requests nothing."""
    with pytest.raises(ValueError, match="disallowed protocol"):
        _no_fetching().fetch(url)


def test_anonymous_is_sent_to_sign_in(report, client):
    for url in (f"/reports/{report.pk}/pack/", f"/reports/{report.pk}/pack.pdf"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_report_has_no_pack(db, committee_client):
    assert committee_client.get("/reports/999/pack/").status_code == 404
    assert committee_client.get("/reports/999/pack.pdf").status_code == 404


def test_the_first_report_says_there_is_no_movement_yet(report, committee_client):
    assert build_pack(report).previous is None
    assert "first report published for 2015-16: there is no earlier report" in pack_html(
        committee_client, report
    )


def test_the_previous_report_is_the_latest_version_of_an_earlier_period(finance_user):
    publish(finance_user, period=5, version=1)
    latest_p5 = publish(finance_user, period=5, version=2)
    publish(finance_user, period=7)
    current = publish(finance_user, period=6)
    assert build_pack(current).previous == latest_p5


def test_movement_is_laid_out_as_four_tables():
    movement = {
        "previous_label": "2015-16 P5 (31 Aug 2015)",
        "headline": [
            {
                "key": "outturn",
                "label": "Forecast outturn",
                "current": D("331050000.05"),
                "previous": D("330000000.00"),
                "change": D("1050000.05"),
            },
            {
                "key": "gap",
                "label": "Gap to target",
                "current": None,
                "previous": None,
                "change": None,
            },
        ],
        "rag_changes": [{"what": "Spend against budget", "previous": "green", "current": "amber"}],
        "lines": [
            {
                "code": "OUT-01",
                "name": "Capgemini service",
                "previous": D("12000.00"),
                "current": D("11500.00"),
                "change": D("-500.00"),
                "url": "/budgets/lines/OUT-01/",
            }
        ],
        "new_decisions": [],
    }
    figures, rags, lines, decisions = movement_tables(movement)
    assert figures.columns == ("Figure", "2015-16 P5 (31 Aug 2015)", "Now", "Change")
    assert [[c.text for c in row.cells] for row in figures.rows] == [
        ["Forecast outturn", "£330,000,000.00", "£331,050,000.05", "£1,050,000.05"],
        ["Gap to target", "—", "—", "—"],
    ]
    assert [[c.text for c in row.cells] for row in rags.rows] == [
        ["Spend against budget", "Green", "Amber"]
    ]
    assert [[c.text for c in row.cells] for row in lines.rows] == [
        ["OUT-01: Capgemini service", "£12,000.00", "£11,500.00", "−£500.00"]
    ]
    assert lines.rows[0].url == "/budgets/lines/OUT-01/"
    assert (decisions.rows, decisions.empty) == ([], "No new decision is due.")
    assert movement_tables(None) == []


# Packs of reports published from the live figures (tests/world.py).

PACK = re.compile(r'<article class="pack".*?</article>', re.S)


def live_pack(client, report) -> str:
    return PACK.search(pack_html(client, report)).group(0)


def test_a_published_pack_stays_as_published_when_figures_change(
    world, admin_user, committee_client
):
    report = publish_report(year=world["year"], period=2, user=admin_user)
    page = live_pack(committee_client, report)
    _, text = pdf_text(pack_pdf(build_pack(report)))
    for figure in report.data["headline"]:
        assert headline_text(figure["key"], figure["value"]) in page
        assert headline_text(figure["key"], figure["value"]) in text
    # As at P2 (tests/world.py): actuals 1,100 x 2 + 450 x 2 + 0 - 50; outturn OUT-01
    # 2,200 + 1,000 + 3 x 1,050 + 6 x 1,000, NET-01 900 + 10 x 500, CHG-01 -50 + 9 x 200
    # + 2,000.
    assert "£3,050.00" in text and "£22,000.00" in text

    figure = MonthlyFigure.objects.get(line__code="NET-01", year=world["year"], period=12)
    figure.forecast = D("99999.00")
    figure.save()

    report = PublishedReport.objects.get(pk=report.pk)
    assert live_pack(committee_client, report) == page
    assert pdf_text(pack_pdf(build_pack(report)))[1] == text


def test_the_pack_shows_movement_since_the_previous_report_of_the_year(
    world, admin_user, committee_client
):
    first = publish_report(year=world["year"], period=1, user=admin_user)
    second = publish_report(year=world["year"], period=2, user=admin_user)
    pack = build_pack(second)
    assert pack.previous == first
    # Outturn as at P1 is 22,200.00 (OUT-01 12,250, NET-01 5,950, CHG-01 4,000); as at P2
    # 22,000.00: the movement is the difference of the two stored figures.
    outturn = next(m for m in pack.movement["headline"] if m["key"] == "outturn")
    assert (outturn["previous"], outturn["current"]) == (D("22200.00"), D("22000.00"))
    assert outturn["change"] == second.data["totals"]["outturn"] - first.data["totals"]["outturn"]
    html = live_pack(committee_client, second)
    assert f"Movement since {first.data['label']}" in html
    assert (
        '<th scope="row">Forecast outturn</th><td class="num">£22,200.00</td>'
        '<td class="num">£22,000.00</td><td class="num">−£200.00</td>'
    ) in html
    _, text = pdf_text(pack_pdf(pack))
    assert "Forecast outturn £22,200.00 £22,000.00 −£200.00" in text


def test_a_report_of_an_earlier_year_is_not_the_previous_one(finance_user):
    earlier = FinancialYear.objects.create(label="2014-15", start=date(2014, 4, 1))
    publish(finance_user, period=12, year=earlier)
    current = publish(finance_user, period=6)
    pack = build_pack(current)
    assert (pack.previous, pack.movement) == (None, None)
