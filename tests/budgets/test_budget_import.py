"""Budget uploads through the import pipeline: the wide phasing format (P1..P12, or annual
with a profile) and the figure rows' budget column. tests/world.py: 2014-15 is a draft
closed through P2 (OUT-01 1,000.00 a month, NET-01 500.00, CHG-01 200.00); 2013-14 has
OUT-01 only. `draft` adds 2015-16 with OUT-01 and NET-01 at £0."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.utils import timezone

from budgets.importing import ImportRefused, apply_import, parse_file, validate
from budgets.models import FinancialYear, ImportBatch, MonthlyFigure
from budgets.setting import create_next_year
from tests.budgets.test_import import xlsx_bytes
from tests.conftest import client_for

MONTHS = ",".join(f"P{p}" for p in range(1, 13))


@pytest.fixture
def draft(world, admin_user) -> FinancialYear:
    lines = [world["lines"]["out"], world["lines"]["net"]]
    return create_next_year(
        previous=world["year"], lines=lines, copy_budgets=False, user=admin_user
    )


def budgets(year: FinancialYear, code: str) -> list[D]:
    return list(
        MonthlyFigure.objects.filter(year=year, line__code=code)
        .order_by("period")
        .values_list("budget", flat=True)
    )


def snapshot() -> list[tuple]:
    return [
        *MonthlyFigure.objects.order_by("pk").values_list("pk", "budget", "actual", "version"),
        ("batches", ImportBatch.objects.count()),
        ("history", MonthlyFigure.history.count()),
    ]


def plan_for(text: str, name: str = "budget.csv"):
    return validate(parse_file(name, text.encode()))


def run(text: str, user, name: str = "budget.csv") -> ImportBatch:
    parsed = parse_file(name, text.encode())
    return apply_import(plan=validate(parsed), user=user, filename=name, sha256=parsed.sha256)


def test_a_wide_file_of_twelve_months_sets_the_draft_budget_with_history(draft, admin_user):
    months = ",".join(["1000.00"] * 11 + ['"£1,500.50"'])
    text = f"line_code,year,{MONTHS}\nOUT-01,2015-16,{months}\n"
    plan = plan_for(text)
    assert plan.errors == []
    assert plan.budget_before == D("0.00") and plan.budget_after == D("12500.50")
    assert len(plan.changes) == 12
    batch = run(text, admin_user)
    assert budgets(draft, "OUT-01") == [D("1000.00")] * 11 + [D("1500.50")]
    assert budgets(draft, "NET-01") == [D("0.00")] * 12
    figure = MonthlyFigure.objects.get(year=draft, line__code="OUT-01", period=12)
    assert figure.import_batch == batch and figure.version == 2
    assert figure.history.first().history_change_reason == "Imported from budget.csv"


def test_annual_amounts_are_phased_evenly_or_by_the_previous_profile(draft, admin_user):
    text = (
        "line_code,year,annual,profile\n"
        "OUT-01,2015-16,100.00,even\n"
        'NET-01,2015-16,"6,600.00",Previous\n'
    )
    run(text, admin_user)
    assert budgets(draft, "OUT-01") == [D("8.34")] * 4 + [D("8.33")] * 8
    assert budgets(draft, "NET-01") == [D("550.00")] * 12  # 2014-15: 500.00 each month


def test_a_line_new_to_the_year_gets_its_figures_created(draft, admin_user):
    run("line_code,year,annual,profile\nCHG-01,2015-16,1200,even\n", admin_user)
    assert budgets(draft, "CHG-01") == [D("100.00")] * 12


def test_figure_rows_carry_a_budget_column(world, draft, admin_user):
    text = "line_code,year,period,budget\nOUT-01,2015-16,P4,250.00\nNET-01,2015-16,5,75\n"
    run(text, admin_user)
    assert budgets(draft, "OUT-01")[3] == D("250.00")
    assert budgets(draft, "NET-01")[4] == D("75.00")
    assert sum(budgets(draft, "OUT-01")) == D("250.00")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f"line_code,year,{MONTHS}\nOUT-01,2015-16,{','.join(['1'] * 11)},abc\n",
            "row 2, column P12: “abc” is not an amount in pounds, like 1234.56 or (978.00)",
        ),
        (
            f"line_code,year,{MONTHS}\nOUT-01,2015-16,1,1,,{','.join(['1'] * 9)}\n",
            "row 2, column P3: is empty: write 0 for no budget",
        ),
        (
            f"line_code,year,{MONTHS}\nOUT-01,2015-16,-5,{','.join(['1'] * 11)}\n",
            "row 2, column P1: a budget cannot be negative",
        ),
        (
            "line_code,year,annual,profile\nOUT-01,2015-16,100,lumpy\n",
            "row 2, column profile: “lumpy” is not a profile: write even or previous",
        ),
        (
            "line_code,year,annual,profile\nOUT-01,2015-16,ten,even\n",
            "row 2, column annual: “ten” is not an amount in pounds, like 1234.56 or (978.00)",
        ),
        (
            "line_code,year,annual,profile\nNET-01,2014-15,100,previous\n",
            "row 2, column profile: the previous year has no budget for this line to take a "
            "profile from",
        ),
        (
            "line_code,year,annual,profile\nOUT-01,2014-15,100,even\n",
            "row 2, column year: 2014-15 is closed through P2; a row sets all twelve months, "
            "so an administrator must reopen it first",
        ),
        (
            "line_code,year,annual,profile\nOUT-01,2015-16,1,even\nout-01,2015-16,2,even\n",
            "row 3, column line_code: the same line and year as row 2 (each appears once)",
        ),
        (
            "line_code,year,annual,profile\nOUT-01,2099-00,1,even\n",
            "row 2, column year: “2099-00” is not a financial year "
            "(known: 2013-14, 2014-15, 2015-16)",
        ),
        (
            "line_code,year,P1,P2\nOUT-01,2015-16,1,2\n",
            "row 1, column P3: required column is missing "
            "(expected: line_code, year, P1 … P12 (or annual, profile))",
        ),
        (
            "line_code,year,annual\nOUT-01,2015-16,1\n",
            "row 1, column profile: required column is missing "
            "(expected: line_code, year, P1 … P12 (or annual, profile))",
        ),
        (
            "line_code,year,period,budget\nOUT-01,2015-16,4,-1\n",
            "row 2, column budget: a budget cannot be negative",
        ),
        (
            "line_code,year,annual,profile\nOUT-01,2015-16,-100,even\n",
            "row 2, column annual: a budget cannot be negative",
        ),
        (
            "line_code,year,annual,profile,P1\nOUT-01,2015-16,100,even,1\n",
            "row 1, column annual: give either P1 to P12 or annual and profile, not both",
        ),
    ],
)
def test_each_bad_phasing_row_is_named_by_row_and_column_and_writes_nothing(
    draft, admin_user, text, expected
):
    before = snapshot()
    parsed = parse_file("bad.csv", text.encode())
    plan = validate(parsed)
    assert expected in [str(problem) for problem in plan.errors]
    with pytest.raises(ImportRefused):
        apply_import(plan=plan, user=admin_user, filename="bad.csv", sha256=parsed.sha256)
    assert snapshot() == before


def test_one_bad_row_among_good_ones_writes_nothing(draft, admin_user):
    good = ",".join(["10"] * 12)
    text = f"line_code,year,{MONTHS}\nOUT-01,2015-16,{good}\nNET-01,2015-16,{good[:-2]}x\n"
    plan = plan_for(text)
    assert [str(p) for p in plan.errors] == [
        "row 3, column P12: “x” is not an amount in pounds, like 1234.56 or (978.00)"
    ]
    assert budgets(draft, "OUT-01") == [D("0.00")] * 12


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("line_code,year,annual,profile\nOUT-01,2015-16,100,even\n", "annual"),
        (f"line_code,year,{MONTHS}\nOUT-01,2015-16,{','.join(['1'] * 12)}\n", "P1"),
        ("line_code,year,period,budget\nOUT-01,2015-16,4,1\n", "budget"),
    ],
)
def test_budgets_for_an_approved_year_are_refused_naming_row_and_field(
    draft, admin_user, text, column
):
    FinancialYear.objects.filter(pk=draft.pk).update(budget_approved_at=timezone.now())
    plan = plan_for(text)
    assert [str(p) for p in plan.errors] == [
        f"row 2, column {column}: 2015-16's budget is approved; change it with a budget change"
    ]


def test_an_approval_after_the_preview_stops_the_import(draft, admin_user):
    text = "line_code,year,annual,profile\nOUT-01,2015-16,100,even\n"
    parsed = parse_file("budget.csv", text.encode())
    plan = validate(parsed)
    FinancialYear.objects.filter(pk=draft.pk).update(budget_approved_at=timezone.now())
    before = snapshot()
    with pytest.raises(ImportRefused, match="2015-16's budget is approved"):
        apply_import(plan=plan, user=admin_user, filename="budget.csv", sha256=parsed.sha256)
    assert snapshot() == before


def test_finance_may_import_actuals_but_not_budgets(draft, finance_user):
    text = "line_code,year,annual,profile\nOUT-01,2015-16,100,even\n"
    before = snapshot()
    with pytest.raises(ImportRefused, match="Only administrators can import budgets"):
        run(text, finance_user)
    assert snapshot() == before


def test_an_xlsx_wide_file_applies_exactly(draft, admin_user):
    header = ["line_code", "year", *[f"P{p}" for p in range(1, 13)]]
    data = xlsx_bytes([header, ["NET-01", "2015-16", *([1234.56] * 12)]])
    parsed = parse_file("budget.xlsx", data)
    apply_import(plan=validate(parsed), user=admin_user, filename="b.xlsx", sha256=parsed.sha256)
    assert budgets(draft, "NET-01") == [D("1234.56")] * 12


def test_the_budget_template_is_prefilled_for_the_chosen_year(world, admin_user):
    response = client_for(admin_user).get("/budgets/import/budget-template.csv?year=2014-15")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["line_code", "year", *[f"P{p}" for p in range(1, 13)]]
    assert rows[1:] == [
        ["CHG-01", "2014-15", *["200.00"] * 12],
        ["NET-01", "2014-15", *["500.00"] * 12],
        ["OUT-01", "2014-15", *["1000.00"] * 12],
    ]
    xlsx = client_for(admin_user).get("/budgets/import/budget-template.xlsx?year=2014-15")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


def test_the_template_round_trips_through_the_import_unchanged(world, admin_user):
    response = client_for(admin_user).get("/budgets/import/budget-template.csv?year=2014-15")
    text = response.content.decode().replace("2014-15", "2013-14")  # closed: refused whole
    assert plan_for(text).errors
    FinancialYear.objects.filter(label="2014-15").update(closed_through=0)
    plan = plan_for(response.content.decode())
    assert plan.errors == [] and plan.changes == [] and plan.unchanged == 36


def test_the_preview_page_shows_budget_now_and_after(draft, admin_user):
    client = client_for(admin_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = b"line_code,year,annual,profile\nOUT-01,2015-16,1200,even\n"
    page = client.post("/budgets/import/", {"file": SimpleUploadedFile("b.csv", text)})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Budget rows (one row per line and year" in html
    assert "Budget now" in html and "£1,200.00" in html


def test_finance_uploading_a_budget_file_is_told_only_administrators_import_budgets(
    draft, finance_user
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = b"line_code,year,annual,profile\nOUT-01,2015-16,1200,even\n"
    page = client_for(finance_user).post(
        "/budgets/import/", {"file": SimpleUploadedFile("b.csv", text)}
    )
    assert page.status_code == 200
    assert "The file sets budgets: only administrators import budgets." in page.content.decode()
    assert budgets(draft, "OUT-01") == [D("0.00")] * 12
