import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from django.test import Client

from budgets.models import (
    BudgetChange,
    BudgetChangeLine,
    BudgetLine,
    Category,
    FinancialYear,
    MonthlyFigure,
)
from common.models import DemoDataset
from contracts.models import Contract, ContractChange, Supplier
from reports.models import PublishedReport
from reports.movement import movement
from savings.models import (
    Initiative,
    InitiativeYear,
    ReductionProgramme,
    SavingsTarget,
)
from tests.conftest import client_for

BANNER = "Demo data: targets and contracts from public reports; monthly figures are illustrative"
DEMO_PASSWORD = "kestrel-harbour-lantern-42"
MODELS = (
    Supplier,
    Contract,
    ContractChange,
    FinancialYear,
    Category,
    BudgetLine,
    MonthlyFigure,
    ReductionProgramme,
    SavingsTarget,
    Initiative,
    InitiativeYear,
    DemoDataset,
)


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def fast_hasher(settings) -> None:
    # The real hasher is slow on purpose; these tests hash and check passwords often.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_password(monkeypatch) -> str:
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    return DEMO_PASSWORD


@pytest.fixture
def demo(db, demo_password) -> str:
    return seed()


def snapshot() -> dict:
    """Counts, history counts and money totals of everything the demo writes."""
    return {
        "counts": {model.__name__: model.objects.count() for model in MODELS},
        "history": {
            model.__name__: model.history.count() for model in MODELS if hasattr(model, "history")
        },
        "users": list(User.objects.values_list("username", "password", "is_staff")),
        "initiative_lines": Initiative.lines.through.objects.count(),
        "figures": MonthlyFigure.objects.aggregate(
            budget=Sum("budget"), actual=Sum("actual"), forecast=Sum("forecast")
        ),
        "savings": InitiativeYear.objects.aggregate(
            planned=Sum("planned"), forecast=Sum("forecast"), realised=Sum("realised")
        ),
        "closed_through": list(FinancialYear.objects.values_list("label", "closed_through")),
    }


def budget(label: str, **filters) -> Decimal:
    return MonthlyFigure.objects.filter(year__label=label, **filters).aggregate(
        total=Sum("budget")
    )["total"]


def test_seed_demo_twice_changes_nothing(demo):
    before = snapshot()
    output = seed()
    assert snapshot() == before
    assert "Demo data already loaded; nothing changed." in output


def test_seed_demo_loads_the_expected_amount_of_data(demo):
    assert BudgetLine.objects.count() == 41  # APP-ACN is new in the plan (2016-17)
    assert Category.objects.count() == 8
    # 35 lines in 2013-14, 37 in 2014-15, 38 in 2015-16; then the plan (tests/demo/
    # test_seed_plan.py): 38 in 2016-17 and 31 in each of 2017-18 to 2019-20; twelve
    # periods each: 1,320 + 1,572.
    assert MonthlyFigure.objects.count() == 2892
    # A history row each as loaded, another as approval froze the original budget of the
    # three years before the plan, and one for each of the four figures the demo's two
    # budget changes moved.
    assert MonthlyFigure.history.count() == 2892 + 1320 + 4
    assert not (
        MonthlyFigure.objects.values("line", "year").annotate(n=Count("id")).exclude(n=12)
    ).exists()
    assert Contract.objects.count() == 9
    assert not Contract.objects.filter(source="").exists()
    assert (
        not BudgetLine.objects.filter(category__name="Change portfolio")
        .exclude(category__kind="change")
        .exists()
    )


def test_monthly_figures_are_generated_the_same_way_every_time(demo):
    fields = ("line__code", "year__label", "period", "budget", "actual", "forecast", "note")
    first = list(MonthlyFigure.objects.order_by("pk").values_list(*fields))
    # Approval and the budget changes are seeded again too, as on an empty database.
    BudgetChangeLine.objects.all().delete()
    BudgetChange.objects.all().delete()
    FinancialYear.objects.update(budget_approved_at=None, budget_approved_by=None)
    MonthlyFigure.objects.all().delete()
    seed()
    assert list(MonthlyFigure.objects.order_by("pk").values_list(*fields)) == first


def test_budgets_add_up_to_the_baseline_and_the_savings(demo):
    assert budget("2013-14") == Decimal("325000000.00")
    assert budget("2014-15") == Decimal("283000000.00")  # less the £42m target
    assert budget("2015-16") == Decimal("223400000.00")  # revised: + £0.4m dual running
    original = MonthlyFigure.objects.filter(year__label="2015-16").aggregate(
        total=Sum("original_budget")
    )["total"]
    assert original == Decimal("223000000.00")  # as approved: less the £60m target too


def test_demo_years_are_approved_and_2015_16_has_two_illustrative_changes(demo):
    # The years to 2015-16 are approved; the medium-term plan's later years are drafts.
    drafts = FinancialYear.objects.filter(budget_approved_at__isnull=True)
    assert list(drafts.values_list("label", flat=True)) == [
        "2016-17",
        "2017-18",
        "2018-19",
        "2019-20",
    ]
    assert (
        not MonthlyFigure.objects.exclude(year__in=drafts)
        .filter(original_budget__isnull=True)
        .exists()
    )
    assert not MonthlyFigure.objects.filter(year__in=drafts, original_budget__isnull=False).exists()
    changes = BudgetChange.objects.with_totals().order_by("pk")
    assert [(c.kind, c.net, c.moved) for c in changes] == [
        ("virement", Decimal("0.00"), Decimal("150000.00")),
        ("revision", Decimal("400000.00"), Decimal("400000.00")),
    ]
    assert all(c.reason.startswith("Illustrative:") for c in changes)
    assert budget("2015-16", line__code="NET-MOB", period=9) == Decimal("483333.33")


def test_rounding_pennies_of_the_phasing_go_to_p12(demo):
    periods = dict(
        MonthlyFigure.objects.filter(line__code="APP-CASE", year__label="2013-14").values_list(
            "period", "budget"
        )
    )
    assert periods[1] == Decimal("541666.66")
    assert periods[11] == Decimal("541666.66")
    assert periods[12] == Decimal("541666.74")
    assert budget("2013-14", line__code="APP-CASE") == Decimal("6500000.00")


def test_capgemini_is_over_a_third_of_the_baseline(demo):
    capgemini = budget("2013-14", line__contract__supplier__name="Capgemini")
    assert capgemini == Decimal("115000000.00")
    assert capgemini * 3 > Decimal("325000000.00")
    # The contract ends in December 2015: nothing is budgeted for it after P9 2015-16.
    assert budget("2015-16", line__contract__supplier__name="Capgemini", period__gt=9) == Decimal(
        "0.00"
    )


def test_contract_history_records_the_capgemini_extension_and_the_cad_termination(demo):
    extension = ContractChange.objects.get(
        contract__supplier__name="Capgemini", kind=ContractChange.Kind.EXTENSION
    )
    assert extension.old_end_date == date(2012, 3, 31)
    assert extension.new_end_date == date(2015, 12, 31)
    assert extension.value_change == Decimal("193000000.00")
    assert "£43m" in extension.note
    assert extension.source
    assert extension.contract.end_date == date(2015, 12, 31)
    assert extension.contract.total_value == Decimal("543000000.00")  # £350m + £193m
    termination = ContractChange.objects.get(
        contract__supplier__name="Lockheed Martin", kind=ContractChange.Kind.TERMINATION
    )
    assert termination.effective_date == date(2016, 3, 31)
    assert "£65m" in termination.note
    assert termination.source


def test_budget_lines_name_the_contracts_they_pay(demo):
    assert BudgetLine.objects.get(code="OUT-SIAM").contract.supplier.name == "Atos"
    assert BudgetLine.objects.get(code="OUT-CSC-HOST").contract.supplier.name == "CSC"
    assert BudgetLine.objects.get(code="CHG-CAD").contract.supplier.name == "Lockheed Martin"
    assert BudgetLine.objects.filter(contract__reference="MPS-CAP-2005").count() == 7


def test_years_are_closed_and_have_actuals_as_the_story_needs(demo):
    years = {year.label: year for year in FinancialYear.objects.all()}
    assert {label: y.closed_through for label, y in years.items()} == {
        "2013-14": 12,
        "2014-15": 12,
        "2015-16": 6,
        # The medium-term plan: open, no actuals.
        "2016-17": 0,
        "2017-18": 0,
        "2018-19": 0,
        "2019-20": 0,
    }
    # P7 is being entered: three lines have their October actual, the rest do not.
    latest = MonthlyFigure.objects.for_year(years["2015-16"]).latest_actual_period()
    assert latest == 7
    assert set(
        MonthlyFigure.objects.filter(
            year__label="2015-16", period=7, actual__isnull=False
        ).values_list("line__code", flat=True)
    ) == {"OUT-CAP-SVC", "NET-WAN", "STF-OPS"}
    assert not MonthlyFigure.objects.filter(
        year__label__in=["2013-14", "2014-15"], actual__isnull=True
    ).exists()
    open_forecasts = MonthlyFigure.objects.filter(
        year__label="2015-16", period__gt=7, forecast__isnull=False
    )
    assert open_forecasts.exists()
    assert MonthlyFigure.objects.exclude(note="").filter(year__label="2015-16").exists()


def test_programme_and_targets_carry_the_public_figures(demo):
    programme = ReductionProgramme.objects.get()
    assert programme.organisation_budget == Decimal("3000000000.00")
    assert programme.reduction_target == Decimal("500000000.00")
    assert programme.technology_baseline == Decimal("325000000.00")
    assert programme.baseline_year.label == "2013-14"
    assert programme.first_year.label == "2014-15"
    assert programme.source
    targets = {t.year.label: t for t in programme.targets.all()}
    assert targets["2014-15"].amount == Decimal("42000000.00")
    assert targets["2015-16"].amount == Decimal("60000000.00")
    assert targets["2014-15"].source and targets["2015-16"].source


def test_initiatives_plan_exactly_the_targets(demo):
    cash = InitiativeYear.objects.filter(initiative__cashable=True)
    planned = dict(
        cash.values("year__label")
        .annotate(total=Sum("planned"))
        .values_list("year__label", "total")
    )
    assert planned == {
        "2014-15": Decimal("42000000.00"),
        "2015-16": Decimal("60000000.00"),
        # The medium-term plan's illustrative targets, planned exactly too.
        "2016-17": Decimal("30000000.00"),
        "2017-18": Decimal("20000000.00"),
        "2018-19": Decimal("15000000.00"),
        "2019-20": Decimal("10000000.00"),
    }
    assert cash.values("initiative").distinct().count() == 7


def test_pipeline_tells_the_story_short_then_at_risk(demo):
    programme = ReductionProgramme.objects.get()
    rows = {row["year_label"]: row for row in InitiativeYear.objects.pipeline(programme)}
    # Realised is validated claims; SAV-LIC's £2.2m awaits validation.
    assert rows["2014-15"]["realised"] == Decimal("37700000.00")
    assert rows["2014-15"]["realised_and_claimed"] == Decimal("39900000.00")
    assert rows["2014-15"]["rag"] == "amber"
    assert rows["2015-16"]["forecast"] == Decimal("50000000.00")
    assert rows["2015-16"]["rag"] == "red"
    assert InitiativeYear.objects.filter(
        year__label="2015-16", initiative__confidence=Initiative.Confidence.RED
    ).exists()


def test_mobile_devices_is_non_cashable_and_sourced(demo):
    mobile = Initiative.objects.get(cashable=False)
    assert "30,000" in mobile.description
    assert "Computer Weekly" in mobile.description
    programme = ReductionProgramme.objects.get()
    row = next(
        r for r in InitiativeYear.objects.pipeline(programme) if r["year_label"] == "2014-15"
    )
    assert row["non_cashable_planned"] == Decimal("4500000.00")


def test_banner_shows_on_every_page_once_demo_data_is_loaded(demo):
    assert BANNER in Client().get("/accounts/login/").content.decode()
    home = client_for(User.objects.get(username="committee")).get("/")
    assert home.status_code == 200
    assert BANNER in home.content.decode()


def test_no_banner_without_demo_data(db):
    assert BANNER not in Client().get("/accounts/login/").content.decode()


def test_demo_users_have_one_role_each_and_the_demo_password(demo):
    users = {user.username: user for user in User.objects.prefetch_related("groups")}
    assert {name: [g.name for g in users[name].groups.all()] for name in users} == {
        "finance": ["Finance"],
        "committee": ["Committee"],
        "admin": ["Admin"],
    }
    assert users["admin"].is_staff
    assert not users["finance"].is_staff and not users["committee"].is_staff
    assert not any(user.is_superuser for user in users.values())
    assert all(user.check_password(DEMO_PASSWORD) for user in users.values())
    assert "http://127.0.0.1:8000" in demo
    assert DEMO_PASSWORD not in demo


def test_a_new_demo_password_is_applied_to_existing_users(demo, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-long-demo-passphrase")
    seed()
    assert User.objects.get(username="finance").check_password("another-long-demo-passphrase")


def test_random_password_is_printed_once_and_works(db, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    first = seed()
    prefix = "Password for all three:"
    line = next(text for text in first.splitlines() if text.startswith(prefix))
    password = line.removeprefix(prefix).strip()
    assert len(password) >= 12
    assert User.objects.get(username="admin").check_password(password)
    second = seed()
    assert password not in second
    assert "first created" in second


def test_short_demo_password_is_refused_and_nothing_is_written(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "short")
    with pytest.raises(CommandError, match=r"DEMO_PASSWORD .*too short"):
        seed()
    assert not BudgetLine.objects.exists()
    assert not User.objects.filter(username__in=["finance", "committee", "admin"]).exists()


def test_seed_demo_leaves_figures_a_user_has_changed(demo):
    figure = MonthlyFigure.objects.get(line__code="NET-WAN", year__label="2015-16", period=7)
    figure.forecast = Decimal("123.45")
    figure.save()
    seed()
    figure.refresh_from_db()
    assert figure.forecast == Decimal("123.45")


def test_p1_to_p6_are_published_with_commentary_and_p7_is_in_progress(demo, client):
    reports = list(PublishedReport.objects.order_by("period"))
    assert [(r.year.label, r.period, r.version) for r in reports] == [
        ("2015-16", p, 1) for p in range(1, 7)
    ]
    p5, p6 = reports[4], reports[5]
    assert p6.commentary.filter(section="summary").exists()
    moved = {row["key"]: row for row in movement(p6.data, p5.data)["headline"]}
    assert moved["outturn"]["change"] == p6.data["totals"]["outturn"] - p5.data["totals"]["outturn"]

    client.force_login(User.objects.get(username="committee"))
    page = client.get("/")
    assert page.context["dashboard"].reporting.as_at == 6
    assert page.context["movement"]["report"] == p6
    in_progress = client.get("/?as_at=7").content.decode()
    assert "P7 in progress: actuals for 3 of" in in_progress
