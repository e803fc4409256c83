"""Entering monthly figures in the browser: the period page, the forecast grid, period close.

tests/world.py: 2014-15 is closed through P2; budgets per month OUT-01 1,000.00, NET-01
500.00, CHG-01 200.00; 2013-14 has OUT-01 only (actual 900.00 every month). P4 has no
actuals yet.
"""

import re
from datetime import date
from decimal import Decimal as D
from html import unescape

import pytest
from django.contrib.messages import get_messages

from budgets.models import (
    BudgetLine,
    Category,
    FinancialYear,
    MonthlyFigure,
    refresh_line_year_totals,
)
from budgets.services import (
    UNCHANGED,
    FigureEntry,
    PeriodLockedError,
    close_period,
    record_period,
)
from common.roles import FINANCE
from tests.conftest import client_for, make_user

P4 = "/budgets/2014-15/p4/"


def figure(code: str, period: int, label: str = "2014-15") -> MonthlyFigure:
    return MonthlyFigure.objects.get(line__code=code, year__label=label, period=period)


def period_post(period: int = 4, **values) -> dict:
    """POST data for a period page: {line code: (actual, note)}; versions as stored."""
    data = {}
    for code, (actual, note) in values.items():
        f = figure(code, period)
        data[f"actual-{f.pk}"] = actual
        data[f"note-{f.pk}"] = note
        data[f"version-{f.pk}"] = str(f.version)
    return data


def history_count() -> int:
    return MonthlyFigure.history.count()


# Saving a period


def test_finance_saves_period_actuals_and_stored_decimals_are_reread(world, finance_user):
    client = client_for(finance_user)
    before = history_count()
    response = client.post(
        P4,
        period_post(**{"OUT-01": ("£1,234.56", "Extra licences"), "NET-01": ("499.99", "")}),
    )
    assert response.status_code == 302
    out, net, chg = figure("OUT-01", 4), figure("NET-01", 4), figure("CHG-01", 4)
    assert out.actual == D("1234.56")
    assert out.note == "Extra licences"
    assert net.actual == D("499.99")
    assert chg.actual is None
    assert (out.version, net.version, chg.version) == (2, 2, 1)
    assert out.updated_by == finance_user
    assert history_count() == before + 2
    latest = out.history.first()
    assert latest.history_user == finance_user
    assert latest.actual == D("1234.56")
    assert "Saved P4 2014-15: 2 lines changed." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]


def test_one_line_saved_is_one_line_changed(world, finance_user):
    response = client_for(finance_user).post(P4, period_post(**{"NET-01": ("499.99", "")}))
    assert "Saved P4 2014-15: 1 line changed." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1234.56", D("1234.56")),
        ("1,234.56", D("1234.56")),
        ("£1,234.56", D("1234.56")),
        ("(1,234.56)", D("-1234.56")),
        ("  700 ", D("700.00")),
    ],
)
def test_each_accepted_amount_format_is_stored_exactly(world, finance_user, typed, stored):
    response = client_for(finance_user).post(P4, period_post(**{"CHG-01": (typed, "x")}))
    assert response.status_code == 302
    assert figure("CHG-01", 4).actual == stored


def test_blanking_an_actual_clears_it(world, finance_user):
    client = client_for(finance_user)
    client.post(P4, period_post(**{"CHG-01": ("150.00", "")}))
    client.post(P4, period_post(**{"CHG-01": ("", "")}))
    assert figure("CHG-01", 4).actual is None
    assert figure("CHG-01", 4).version == 3


def test_committee_cannot_post_actuals(world, committee_user):
    before = history_count()
    response = client_for(committee_user).post(P4, period_post(**{"OUT-01": ("5.00", "")}))
    assert response.status_code == 403
    assert figure("OUT-01", 4).actual is None
    assert figure("OUT-01", 4).version == 1
    assert history_count() == before


def test_committee_sees_the_period_read_only(world, committee_user):
    response = client_for(committee_user).get(P4)
    assert response.status_code == 200
    assert b'name="actual-' not in response.content
    assert b"Finance enters them" in response.content


def test_invalid_cell_names_line_and_field_saves_nothing_and_keeps_typed_values(
    world, finance_user
):
    before = history_count()
    out = figure("OUT-01", 4)
    response = client_for(finance_user).post(
        P4, period_post(**{"OUT-01": ("12.3.4", ""), "NET-01": ("600", "typed note")})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "OUT-01 Capgemini service, actual P4: “12.3.4” is not an amount in pounds" in html
    assert f'id="actual-{out.pk}" value="12.3.4"' in html
    assert 'value="600"' in html
    assert "typed note</textarea>" in html
    assert 'aria-invalid="true"' in html
    assert figure("NET-01", 4).actual is None
    assert history_count() == before


def test_amount_with_three_decimal_places_is_refused_not_rounded(world, finance_user):
    response = client_for(finance_user).post(P4, period_post(**{"NET-01": ("10.005", "")}))
    assert "NET-01 Network services, actual P4: “10.005” is not an amount" in (
        response.content.decode()
    )
    assert figure("NET-01", 4).actual is None


# Locked periods


def test_locked_period_displays_read_only(world, finance_user):
    response = client_for(finance_user).get("/budgets/2014-15/p2/")
    assert response.status_code == 200
    assert b'name="actual-' not in response.content
    assert b"This period is closed" in response.content
    assert b"\xc2\xa31,100.00" in response.content  # OUT-01's P2 actual, shown as text


def test_crafted_post_to_a_locked_period_is_refused_and_changes_nothing(world, finance_user):
    before = history_count()
    response = client_for(finance_user).post(
        "/budgets/2014-15/p2/", period_post(period=2, **{"OUT-01": ("1.00", "")})
    )
    assert response.status_code == 409
    assert b"P2 2014-15 is closed" in response.content
    assert figure("OUT-01", 2).actual == D("1100.00")
    assert history_count() == before


def test_crafted_post_naming_a_locked_periods_figure_on_an_open_page_changes_nothing(
    world, finance_user
):
    locked = figure("OUT-01", 2)
    data = {f"actual-{locked.pk}": "1.00", f"version-{locked.pk}": "1"}
    response = client_for(finance_user).post(P4, data)
    assert response.status_code == 200
    assert b"Nothing was sent to save" in response.content
    assert figure("OUT-01", 2).actual == D("1100.00")


def test_period_closed_after_page_load_refuses_the_save(world, finance_user, admin_user):
    client = client_for(finance_user)
    data = period_post(**{"OUT-01": ("1.00", "")})
    close_period(year=FinancialYear.objects.get(label="2014-15"), through=4, user=admin_user)
    response = client.post(P4, data)
    assert response.status_code == 409
    assert b"P4 2014-15 is closed" in response.content
    assert figure("OUT-01", 4).actual is None


def test_service_rereads_the_lock_inside_its_transaction(world, finance_user):
    stale = FinancialYear.objects.get(label="2014-15")  # closed_through 2 in memory
    FinancialYear.objects.filter(pk=stale.pk).update(closed_through=4)
    out = figure("OUT-01", 4)
    with pytest.raises(PeriodLockedError):
        record_period(
            year=stale,
            period=4,
            entries=[FigureEntry(figure_id=out.pk, version=1, actual=D("1.00"), note="")],
            user=finance_user,
        )
    assert figure("OUT-01", 4).actual is None
    assert figure("OUT-01", 4).version == 1


def test_service_refuses_a_figure_of_another_period(world, finance_user):
    other = figure("OUT-01", 5)
    with pytest.raises(MonthlyFigure.DoesNotExist):
        record_period(
            year=world["year"],
            period=4,
            entries=[FigureEntry(figure_id=other.pk, version=1, actual=D("1.00"))],
            user=finance_user,
        )
    assert figure("OUT-01", 5).actual is None


# Optimistic locking


def rendered_fields(page) -> dict:
    """Every field a browser submits from a loaded grid page, as rendered: inputs, notes,
    the values shown beside them (was-...) and the versions."""
    html = page.content.decode()
    data = dict(re.findall(r'name="((?:version|was-\w+)-\d+)" value="([^"]*)"', html))
    data |= dict(
        re.findall(r'name="((?:actual|forecast|committed)-\d+)" id="[^"]*" value="([^"]*)"', html)
    )
    data |= dict(re.findall(r'name="(note-\d+)" id="[^"]*"[^>]*>([^<]*)</textarea>', html))
    return {name: unescape(value) for name, value in data.items()}


def typed_on_page(page, **values) -> dict:
    """What a browser submits from a loaded period page, with {line code: (actual, note)}
    typed into the inputs."""
    data = rendered_fields(page)
    assert len(data) == 21, (
        "three lines: a version, an actual, a commitment, a note and what each showed"
    )
    for code, (actual, note) in values.items():
        f = figure(code, 4)
        data[f"actual-{f.pk}"], data[f"note-{f.pk}"] = actual, note
    return data


def test_conflicting_save_is_refused_whole_and_shows_the_other_persons_value(world, finance_user):
    frank = make_user("frank", FINANCE, last_name="Jones")
    fiona_client, frank_client = client_for(finance_user), client_for(frank)
    fiona_page, frank_page = fiona_client.get(P4), frank_client.get(P4)
    frank_typed = typed_on_page(frank_page, **{"OUT-01": ("2000.00", "Frank's figure")})
    assert frank_client.post(P4, frank_typed).status_code == 302

    fiona_typed = typed_on_page(fiona_page, **{"OUT-01": ("1500.00", ""), "NET-01": ("600.00", "")})
    response = fiona_client.post(P4, fiona_typed)
    assert response.status_code == 409
    html = response.content.decode()
    assert "someone else changed these figures" in html
    assert "OUT-01 Capgemini service" in html
    assert "Frank Jones" in html
    assert "£2,000.00" in html
    assert "Frank&#x27;s figure" in html
    out, net = figure("OUT-01", 4), figure("NET-01", 4)
    assert out.actual == D("2000.00")
    assert out.updated_by == frank
    assert out.version == 2
    assert net.actual is None  # Fiona's other line was not written either
    assert net.version == 1

    # Her typed values are offered again against the figures as saved now...
    offered = rendered_fields(response)
    assert offered[f"actual-{out.pk}"] == "1500.00"
    assert offered[f"was-actual-{out.pk}"] == "2000.00"
    assert offered[f"version-{out.pk}"] == "2"
    assert offered[f"note-{out.pk}"] == "Frank's figure"  # she left it: his note stays
    assert offered[f"actual-{net.pk}"] == "600.00"
    # ...so that saving them again is a deliberate second decision, and succeeds.
    assert fiona_client.post(P4, offered).status_code == 302
    out, net = figure("OUT-01", 4), figure("NET-01", 4)
    assert (out.actual, out.note, out.version, out.updated_by) == (
        D("1500.00"),
        "Frank's figure",
        3,
        finance_user,
    )
    assert (net.actual, net.version) == (D("600.00"), 2)


def test_a_line_changed_by_someone_else_but_not_by_me_is_no_conflict(world, finance_user):
    frank = make_user("frank", FINANCE)
    fiona_client, frank_client = client_for(finance_user), client_for(frank)
    fiona_page, frank_page = fiona_client.get(P4), frank_client.get(P4)
    assert frank_client.post(P4, typed_on_page(frank_page, **{"OUT-01": ("2000.00", "")}))

    # Fiona's page still shows OUT-01 empty at version 1; she changes NET-01 only.
    response = fiona_client.post(P4, typed_on_page(fiona_page, **{"NET-01": ("600.00", "")}))

    assert response.status_code == 302
    out, net = figure("OUT-01", 4), figure("NET-01", 4)
    assert (out.actual, out.version, out.updated_by) == (D("2000.00"), 2, frank)
    assert (net.actual, net.version, net.updated_by) == (D("600.00"), 2, finance_user)


def test_the_same_amount_written_differently_is_not_a_change(world, finance_user):
    client = client_for(finance_user)
    page = client.get("/budgets/2014-15/p3/")  # OUT-01 P3 shows 1100.00
    data = rendered_fields(page)
    out = figure("OUT-01", 3)
    data[f"actual-{out.pk}"] = "£1,100"
    MonthlyFigure.objects.filter(pk=out.pk).update(version=5)  # saved again meanwhile

    response = client.post("/budgets/2014-15/p3/", data)

    assert response.status_code == 302
    assert (figure("OUT-01", 3).actual, figure("OUT-01", 3).version) == (D("1100.00"), 5)


def test_service_sees_no_conflict_where_the_value_sent_is_already_stored(world, finance_user):
    out = figure("OUT-01", 3)
    MonthlyFigure.objects.filter(pk=out.pk).update(version=4)

    changed = record_period(
        year=world["year"],
        period=3,
        entries=[FigureEntry(figure_id=out.pk, version=1, actual=D("1100.00"))],
        user=finance_user,
    )

    assert changed == []
    assert figure("OUT-01", 3).version == 4


def test_save_after_reloading_succeeds(world, finance_user):
    frank = make_user("frank", FINANCE)
    stale = period_post(**{"OUT-01": ("1500.00", "")})
    client_for(frank).post(P4, period_post(**{"OUT-01": ("2000.00", "")}))
    client = client_for(finance_user)
    assert client.post(P4, stale).status_code == 409
    assert client.post(P4, period_post(**{"OUT-01": ("1500.00", "")})).status_code == 302
    assert figure("OUT-01", 4).actual == D("1500.00")
    assert figure("OUT-01", 4).version == 3


# Variance notes (threshold: more than 10% of budget and more than the amount)


@pytest.fixture
def note_thresholds(settings):
    settings.VARIANCE_NOTE_PERCENT = D("10")
    settings.VARIANCE_NOTE_AMOUNT = D("100")


def test_variance_beyond_both_thresholds_needs_a_note_naming_each_line(
    world, finance_user, note_thresholds
):
    before = history_count()
    response = client_for(finance_user).post(
        P4,
        period_post(
            **{
                "OUT-01": ("1500.00", ""),  # 500 over: 50% and > £100
                "CHG-01": ("350.00", " "),  # 150 over: 75% and > £100; a blank note
                "NET-01": ("520.00", ""),  # 20 over: under both
            }
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "OUT-01 Capgemini service, variance note P4: explain the variance" in html
    assert "CHG-01 Change projects, variance note P4: explain the variance" in html
    assert "NET-01 Network services, variance note P4: explain" not in html
    out, chg = figure("OUT-01", 4), figure("CHG-01", 4)
    assert f'id="actual-{out.pk}" value="1500.00"' in html  # typed values stay on the page
    assert f'id="actual-{chg.pk}" value="350.00"' in html
    assert figure("OUT-01", 4).actual is None
    assert figure("NET-01", 4).actual is None
    assert history_count() == before


@pytest.mark.parametrize(
    ("actual", "reason"),
    [
        ("1090.00", "90 is 9% and under £100"),
        ("1100.00", "exactly 10% is not more than 10%"),
        ("950.00", "50 under is under both"),
    ],
)
def test_variance_within_either_threshold_needs_no_note(
    world, finance_user, note_thresholds, actual, reason
):
    response = client_for(finance_user).post(P4, period_post(**{"OUT-01": (actual, "")}))
    assert response.status_code == 302, reason
    assert figure("OUT-01", 4).actual == D(actual)


def test_large_variance_with_a_note_is_saved(world, finance_user, note_thresholds):
    response = client_for(finance_user).post(
        P4, period_post(**{"OUT-01": ("(200.00)", "Credit note from supplier")})
    )
    assert response.status_code == 302
    out = figure("OUT-01", 4)
    assert out.actual == D("-200.00")
    assert out.note == "Credit note from supplier"


def test_variance_note_defaults_are_ten_percent_and_fifty_thousand(settings):
    percent, amount = settings.VARIANCE_NOTE_PERCENT, settings.VARIANCE_NOTE_AMOUNT
    assert (percent, amount) == (D("10"), D("50000"))


# The period page


def test_period_page_shows_budget_and_last_years_same_period_beside_each_input(world, finance_user):
    response = client_for(finance_user).get(P4)
    rows = {row["figure"].line.code: row for row in response.context["rows"]}
    assert rows["OUT-01"]["figure"].budget == D("1000.00")
    assert rows["OUT-01"]["figure"].last_year_actual == D("900.00")
    assert rows["NET-01"]["figure"].last_year_actual is None
    html = response.content.decode()
    assert "Actual P4 2013-14" in html
    assert "£900.00" in html
    out = figure("OUT-01", 4)
    assert f'<label class="visually-hidden" for="actual-{out.pk}">' in html
    assert "OUT-01 Capgemini service, actual P4</label>" in html


def _lines_with_figures(count: int) -> FinancialYear:
    """`count` lines, each with twelve figures in 2016-17 and last year's P4."""
    category = Category.objects.create(name="Bulk", kind="run")
    year = FinancialYear.objects.create(label="2016-17", start=date(2016, 4, 1))
    last = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(code=f"L-{i:03d}", name=f"Line {i}", category=category) for i in range(count)
    )
    MonthlyFigure.objects.bulk_create(
        [
            MonthlyFigure(line=line, year=year, period=p, budget=D("100.00"))
            for line in lines
            for p in range(1, 13)
        ]
        + [
            MonthlyFigure(line=line, year=last, period=4, budget=D("90.00"), actual=D("95.00"))
            for line in lines
        ]
    )
    refresh_line_year_totals(year_ids=[year.pk, last.pk])  # as every bulk write of figures does
    return year


# Reading the page: session, user, role and banner (one), the years, the page's figures and
# how many lines the filter leaves (two), permissions, the subtotals by category (with the
# total, last year's actuals and the lines per category, one) over every line and over the
# page (two), and the filter's categories, owners and contracts (three).
PERIOD_PAGE_QUERIES = 12
# Saving every line: the page's reads, the figures locked, the year's lock, one UPDATE and
# one history INSERT per SQLite batch (999 parameters: under 200 rows make 2 and 4), and
# the stored totals per line and year and per period refreshed (one DELETE and one
# INSERT ... SELECT each).
PERIOD_SAVE_MAX_QUERIES = 20


@pytest.mark.parametrize("count", [5, 200])
def test_period_page_uses_a_constant_number_of_queries(
    db, finance_user, django_assert_num_queries, count
):
    _lines_with_figures(count)
    client = client_for(finance_user)
    with django_assert_num_queries(PERIOD_PAGE_QUERIES):
        response = client.get("/budgets/2016-17/p4/")
    assert len(response.context["rows"]) == min(count, 50)  # 50 lines a page


@pytest.mark.parametrize("count", [5, 200])
def test_period_save_of_every_line_uses_a_bounded_number_of_queries(
    db, finance_user, django_assert_max_num_queries, count
):
    year = _lines_with_figures(count)
    figures = MonthlyFigure.objects.filter(year=year, period=4)
    data = {}
    for f in figures:
        data |= {f"actual-{f.pk}": "101.50", f"note-{f.pk}": "", f"version-{f.pk}": "1"}
    client = client_for(finance_user)
    with django_assert_max_num_queries(PERIOD_SAVE_MAX_QUERIES):
        response = client.post("/budgets/2016-17/p4/", data)
    assert response.status_code == 302
    assert figures.filter(actual=D("101.50"), version=2).count() == count
    assert MonthlyFigure.history.filter(year=year, period=4, history_type="~").count() == count


# Forecasts


FORECAST = "/budgets/2014-15/forecast/"


def test_forecast_grid_offers_only_open_periods_after_the_latest_actual(world, finance_user):
    response = client_for(finance_user).get(FORECAST)
    assert response.context["periods"] == [4, 5, 6, 7, 8, 9, 10, 11, 12]
    html = response.content.decode()
    assert f'name="forecast-{figure("OUT-01", 3).pk}"' not in html
    assert f'id="forecast-{figure("OUT-01", 4).pk}" value="1050.00"' in html
    outturns = {row["line"].code: row["outturn"].outturn for row in response.context["rows"]}
    assert outturns == {"CHG-01": D("3850.00"), "NET-01": D("5900.00"), "OUT-01": D("12450.00")}


def forecast_post(**values) -> dict:
    """{"CODE:period": forecast}"""
    data = {}
    for key, forecast in values.items():
        code, period = key.split(":")
        f = figure(code, int(period))
        data[f"forecast-{f.pk}"] = forecast
        data[f"version-{f.pk}"] = str(f.version)
    return data


def test_finance_saves_forecasts_and_they_are_reread(world, finance_user):
    response = client_for(finance_user).post(
        FORECAST,
        forecast_post(**{"NET-01:12": "£2,500.50", "OUT-01:4": "", "CHG-01:12": "2000.00"}),
    )
    assert response.status_code == 302
    assert figure("NET-01", 12).forecast == D("2500.50")
    assert figure("NET-01", 12).updated_by == finance_user
    assert figure("OUT-01", 4).forecast is None  # blank: as budget
    assert figure("CHG-01", 12).version == 1  # unchanged, not rewritten
    page = client_for(finance_user).get(FORECAST)
    outturns = {row["line"].code: row["outturn"].outturn for row in page.context["rows"]}
    # NET-01: 5,900 - 500 + 2,500.50; OUT-01: 12,450 - 1,050 + 1,000
    assert outturns["NET-01"] == D("7900.50")
    assert outturns["OUT-01"] == D("12400.00")


def test_committee_cannot_post_forecasts(world, committee_user):
    before = history_count()
    response = client_for(committee_user).post(FORECAST, forecast_post(**{"NET-01:12": "1.00"}))
    assert response.status_code == 403
    assert figure("NET-01", 12).forecast is None
    assert history_count() == before


def test_bad_forecast_cell_names_line_and_period_and_saves_nothing(world, finance_user):
    response = client_for(finance_user).post(
        FORECAST, forecast_post(**{"NET-01:12": "abc", "NET-01:11": "700"})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "NET-01 Network services, forecast P12: “abc” is not an amount" in html
    assert 'value="700"' in html
    assert figure("NET-01", 11).forecast is None


def test_forecast_grid_checks_only_the_forecasts_i_changed(world, finance_user):
    frank = make_user("frank", FINANCE)
    fiona_page = client_for(finance_user).get(FORECAST)
    client_for(frank).post(FORECAST, forecast_post(**{"NET-01:12": "650.00"}))
    data = rendered_fields(fiona_page)
    data[f"forecast-{figure('NET-01', 11).pk}"] = "800.00"

    response = client_for(finance_user).post(FORECAST, data)

    assert response.status_code == 302
    assert figure("NET-01", 12).forecast == D("650.00")  # Frank's, kept
    assert figure("NET-01", 11).forecast == D("800.00")
    assert figure("OUT-01", 4).version == 1  # shown, untouched, not rewritten


def test_conflicting_forecast_save_is_refused_whole(world, finance_user):
    frank = make_user("frank", FINANCE)
    stale = forecast_post(**{"NET-01:12": "900.00", "NET-01:11": "800.00"})
    client_for(frank).post(FORECAST, forecast_post(**{"NET-01:12": "650.00"}))
    response = client_for(finance_user).post(FORECAST, stale)
    assert response.status_code == 409
    assert "£650.00" in response.content.decode()
    assert figure("NET-01", 12).forecast == D("650.00")
    assert figure("NET-01", 11).forecast is None


def test_service_for_forecasts_refuses_a_closed_period(world, finance_user):
    from budgets.services import record_forecasts

    closed = figure("OUT-01", 1)
    with pytest.raises(PeriodLockedError):
        record_forecasts(
            year=world["year"],
            entries=[FigureEntry(figure_id=closed.pk, version=1, forecast=D("5.00"))],
            user=finance_user,
        )
    assert figure("OUT-01", 1).forecast is None


def test_forecast_entries_cannot_carry_actuals(world, finance_user):
    from budgets.services import record_forecasts

    f = figure("OUT-01", 8)
    with pytest.raises(ValueError, match="forecasts only"):
        record_forecasts(
            year=world["year"],
            entries=[FigureEntry(figure_id=f.pk, version=1, actual=D("5.00"))],
            user=finance_user,
        )
    assert FigureEntry(figure_id=1, version=1).note is UNCHANGED


@pytest.mark.parametrize("count", [5, 200])
def test_forecast_page_uses_a_constant_number_of_queries(
    db, finance_user, django_assert_num_queries, count
):
    _lines_with_figures(count)
    client = client_for(finance_user)
    with django_assert_num_queries(FORECAST_PAGE_QUERIES):
        response = client.get("/budgets/2016-17/forecast/")
    assert len(response.context["rows"]) == min(count, 50)  # 50 lines a page


# The lines' count and page, their figures and outturns, the full-year totals and the
# periods' forecasts over every line and over the page (four; those over every line read
# from the stored period totals when every line with figures is in the grid, which takes
# one query to count), the filter's choices (three). The years come with their latest
# actual, the reporting date, in one query.
FORECAST_PAGE_QUERIES = 17


# Closing and reopening periods


def test_period_page_sends_admin_to_the_checklist_to_close(world, admin_user):
    response = client_for(admin_user).get("/budgets/2014-15/p3/")
    link = '<a class="button" href="/reports/2014-15/p3/checklist/" data-testid="checklist-link">'
    assert f"{link}Review and close P3</a>" in response.content.decode()
    assert b'action="/budgets/2014-15/close/"' not in response.content


def test_a_later_period_page_names_the_period_that_closes_next(world, admin_user, finance_user):
    page = client_for(admin_user).get("/budgets/2014-15/p5/").content.decode()
    assert "Periods close in order: P3 closes next." in page
    assert (
        'href="/reports/2014-15/p3/checklist/" data-testid="checklist-link">Review and close P3'
        in page
    )

    page = client_for(finance_user).get("/budgets/2014-15/p3/").content.decode()
    assert 'data-testid="checklist-link">Pre-close checklist for P3</a>' in page
    assert "Reopen from" not in page


def test_committee_is_not_sent_to_the_checklist(world, committee_user):
    response = client_for(committee_user).get("/budgets/2014-15/p3/")
    assert b"checklist-link" not in response.content


def test_periods_no_longer_close_without_publishing(world, admin_user):
    response = client_for(admin_user).post("/budgets/2014-15/close/", {"through": "3"})
    assert response.status_code == 404
    assert FinancialYear.objects.get(label="2014-15").closed_through == 2


def test_closed_period_refuses_writes_after_close(world, admin_user, finance_user):
    close_period(year=FinancialYear.objects.get(label="2014-15"), through=4, user=admin_user)
    response = client_for(finance_user).post(P4, period_post(**{"OUT-01": ("1.00", "")}))
    assert response.status_code == 409
    assert figure("OUT-01", 4).actual is None


@pytest.mark.parametrize("role_fixture", ["committee_user", "finance_user"])
def test_only_admin_may_reopen(request, world, role_fixture):
    client = client_for(request.getfixturevalue(role_fixture))
    reopen = {"period": "1", "reason": "mistake"}
    assert client.post("/budgets/2014-15/reopen/", reopen).status_code == 403
    assert FinancialYear.objects.get(label="2014-15").closed_through == 2


def test_admin_reopens_with_a_reason_kept_in_history(world, admin_user):
    response = client_for(admin_user).post(
        "/budgets/2014-15/reopen/", {"period": "2", "reason": "Late invoice from BT"}
    )
    assert response.status_code == 302
    year = FinancialYear.objects.get(label="2014-15")
    assert year.closed_through == 1
    latest = year.history.first()
    assert latest.history_change_reason == "Reopened from P2: Late invoice from BT"
    assert latest.history_user == admin_user


def test_reopen_without_a_reason_changes_nothing(world, admin_user):
    response = client_for(admin_user).post("/budgets/2014-15/reopen/", {"period": "2"})
    assert response.status_code == 302
    assert FinancialYear.objects.get(label="2014-15").closed_through == 2
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert notes == ["Not reopened. Reason for reopening: This field is required."]


def test_reopen_is_post_only(world, admin_user):
    client = client_for(admin_user)
    assert client.get("/budgets/2014-15/reopen/").status_code == 405
