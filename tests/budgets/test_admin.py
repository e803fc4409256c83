"""The Django admin: every model is there for Admins, and its write paths keep the rules
(period locks, read-only closed_through, append-only contract changes)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from budgets.models import BudgetLine, Category, FinancialYear, ImportBatch, MonthlyFigure
from contracts.models import Contract, ContractChange
from savings.models import Initiative, InitiativeYear
from tests.budgets.admin_helpers import admin_form_data
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

MODELS = [  # (app, model, search term, rows the world has for it)
    ("contracts", "supplier", "capg", 1),
    ("contracts", "contract", "BT-NET", 1),
    ("contracts", "contractchange", "CAP-2005", 1),
    ("budgets", "financialyear", "2014", 1),
    ("budgets", "category", "network", 1),
    ("budgets", "budgetline", "NET-01", 1),
    ("budgets", "monthlyfigure", "NET-01", 12),
    ("budgets", "importbatch", "p1.csv", 1),
    ("savings", "reductionprogramme", "test", 1),
    ("savings", "savingstarget", "2014-15", 1),
    ("savings", "initiative", "mobile", 1),
    ("savings", "initiativeyear", "MOBILE", 1),
]


def _url(app: str, model: str, view: str, *args) -> str:
    return reverse(f"admin:{app}_{model}_{view}", args=args)


def _figure(world, code: str, period: int, year=None) -> MonthlyFigure:
    return MonthlyFigure.objects.get(line__code=code, year=year or world["year"], period=period)


@pytest.fixture
def admin(admin_user):
    return client_for(admin_user)


@pytest.mark.parametrize(("app", "model", "term", "found"), MODELS)
def test_admin_searches_and_shows_every_model_with_its_history(
    world, admin, app, model, term, found
):
    ImportBatch.objects.create(sha256="0" * 64, filename="p1.csv", file_format="figures")

    changelist = admin.get(_url(app, model, "changelist"), {"q": term})

    assert changelist.context["cl"].result_count == found
    obj = changelist.context["cl"].result_list[0]
    assert admin.get(_url(app, model, "change", obj.pk)).status_code == 200
    history = admin.get(_url(app, model, "history", obj.pk))
    assert history.context["object"] == obj


@pytest.mark.parametrize("role_fixture", ["finance_user", "committee_user"])
def test_finance_and_committee_cannot_write_through_the_admin(request, world, role_fixture):
    user = request.getfixturevalue(role_fixture)
    user.is_staff = True
    user.save()
    figure = _figure(world, "OUT-01", 4)

    response = client_for(user).post(
        _url("budgets", "monthlyfigure", "change", figure.pk),
        {"budget": "1000.00", "actual": "1.00", "version": "1"},
    )

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    figure.refresh_from_db()
    assert figure.actual is None


def test_autocomplete_finds_lines_by_code(world, admin):
    response = admin.get(
        "/admin/autocomplete/",
        {
            "app_label": "budgets",
            "model_name": "monthlyfigure",
            "field_name": "line",
            "term": "NET",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["NET-01 Network services"]


# Monthly figures


def test_admin_saves_a_figure_in_an_open_period(world, admin, admin_user):
    figure = _figure(world, "OUT-01", 4)
    url = _url("budgets", "monthlyfigure", "change", figure.pk)

    response = admin.post(url, admin_form_data(admin, url, actual="1234.56"))

    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.actual == D("1234.56")
    assert figure.version == 2
    assert figure.updated_by == admin_user


def test_admin_cannot_save_a_figure_in_a_closed_period(world, admin):
    figure = _figure(world, "OUT-01", 2)
    url = _url("budgets", "monthlyfigure", "change", figure.pk)

    response = admin.post(url, admin_form_data(admin, url, actual="1.00"))

    assert response.status_code == 200
    assert "P2 2014-15 is closed (closed through P2)" in response.content.decode()
    figure.refresh_from_db()
    assert figure.actual == D("1100.00")
    assert figure.version == 1
    assert figure.history.count() == 0  # bulk-created by the world, never changed


def test_admin_cannot_add_a_figure_to_a_closed_period(world, admin):
    data = {
        "line": world["lines"]["net"].pk,
        "year": world["base_year"].pk,  # closed through P12
        "period": "1",
        "budget": "500.00",
        "version": "1",
    }

    response = admin.post(_url("budgets", "monthlyfigure", "add"), data)

    assert response.status_code == 200
    assert "P1 2013-14 is closed" in response.content.decode()
    assert not MonthlyFigure.objects.filter(line__code="NET-01", year__label="2013-14").exists()


def test_admin_adds_a_figure_to_an_open_period(world, admin, admin_user):
    year = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    data = {
        "line": world["lines"]["net"].pk,
        "year": year.pk,
        "period": "1",
        "budget": "500.00",
        "actual": "-978.00",  # a credit note
        "version": "1",
    }

    response = admin.post(_url("budgets", "monthlyfigure", "add"), data)

    assert response.status_code == 302
    figure = MonthlyFigure.objects.get(year=year)
    assert figure.budget == D("500.00")
    assert figure.actual == D("-978.00")
    assert figure.updated_by == admin_user
    assert figure.history.get().history_user == admin_user


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("budget", "-1.00", "A budget cannot be negative (an actual can: a credit)."),
        ("period", "13", "A period is between 1 (April) and 12 (March)."),
    ],
)
def test_admin_explains_a_figure_the_database_would_refuse(world, admin, field, value, message):
    year = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    data = {
        "line": world["lines"]["net"].pk,
        "year": year.pk,
        "period": "1",
        "budget": "500.00",
        "version": "1",
        field: value,
    }

    response = admin.post(_url("budgets", "monthlyfigure", "add"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MonthlyFigure.objects.filter(year=year).exists()


def test_admin_refuses_a_figure_changed_by_someone_else_since_it_was_opened(world, admin):
    figure = _figure(world, "OUT-01", 4)
    url = _url("budgets", "monthlyfigure", "change", figure.pk)
    data = admin_form_data(admin, url, actual="1.00")
    MonthlyFigure.objects.filter(pk=figure.pk).update(actual=D("2.00"), version=2)

    response = admin.post(url, data)

    assert response.status_code == 200
    assert "OUT-01 2014-15 P4 was changed by someone after you opened it" in (
        response.content.decode()
    )
    figure.refresh_from_db()
    assert figure.actual == D("2.00")
    # The form now carries the stored version: saving the typed value again is deliberate.
    again = response.context["adminform"].form
    assert again["version"].value() == "2"
    assert again["actual"].value() == "1.00"
    assert admin.post(url, {**data, "version": "2"}).status_code == 302
    figure.refresh_from_db()
    assert (figure.actual, figure.version) == (D("1.00"), 3)


def test_admin_cannot_move_a_figure_to_another_period(world, admin):
    figure = _figure(world, "OUT-01", 4)
    url = _url("budgets", "monthlyfigure", "change", figure.pk)

    admin.post(url, admin_form_data(admin, url, period="1", actual="5.00"))

    figure.refresh_from_db()
    assert figure.period == 4
    assert figure.actual == D("5.00")


def test_admin_cannot_delete_a_figure(world, admin):
    figure = _figure(world, "OUT-01", 4)
    response = admin.post(_url("budgets", "monthlyfigure", "delete", figure.pk), {"post": "yes"})
    assert response.status_code == 403
    assert MonthlyFigure.objects.filter(pk=figure.pk).exists()


# Financial years: closed_through moves only through close and reopen


def test_closed_through_is_read_only_in_the_admin(world, admin):
    year = world["year"]
    url = _url("budgets", "financialyear", "change", year.pk)

    response = admin.post(url, admin_form_data(admin, url, closed_through="0", label="2014-15"))

    assert response.status_code == 302
    year.refresh_from_db()
    assert year.closed_through == 2


def _action(admin, action: str, year: FinancialYear, **extra):
    return admin.post(
        _url("budgets", "financialyear", "changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [year.pk], **extra},
        follow=True,
    )


def test_admin_close_action_sends_each_year_to_its_checklist_and_closes_nothing(
    world, admin, admin_user
):
    response = _action(admin, "review_and_close", world["year"])

    body = response.content.decode()
    assert '<a href="/reports/2014-15/p3/checklist/">Review and close P3 2014-15</a>' in body
    assert "publishes the committee's report" in body
    world["year"].refresh_from_db()
    assert world["year"].closed_through == 2
    assert world["year"].history.count() == 1


def test_admin_year_page_links_to_the_checklist_of_the_next_period(world, admin):
    response = admin.get(_url("budgets", "financialyear", "change", world["year"].pk))
    assert b'<a href="/reports/2014-15/p3/checklist/">Review and close P3</a>' in response.content


def test_admin_action_reopens_with_a_reason(world, admin, admin_user):
    form = _action(admin, "reopen_periods", world["year"])
    assert "Reopen periods of 2014-15" in form.content.decode()

    response = _action(
        admin, "reopen_periods", world["year"], apply="1", period="2", reason="Late BT invoice"
    )

    world["year"].refresh_from_db()
    assert world["year"].closed_through == 1
    assert [str(m) for m in response.context["messages"]] == [
        "Reopened 2014-15 from P2; it is now closed through P1."
    ]
    record = world["year"].history.latest()
    assert record.history_change_reason == "Reopened from P2: Late BT invoice"
    assert record.history_user == admin_user


def test_admin_action_reopen_without_a_reason_changes_nothing(world, admin):
    response = _action(admin, "reopen_periods", world["year"], apply="1", period="2", reason="")

    assert "This field is required." in response.content.decode()
    world["year"].refresh_from_db()
    assert world["year"].closed_through == 2


def test_admin_action_reopen_of_an_open_period_is_explained(world, admin):
    response = _action(admin, "reopen_periods", world["year"], apply="1", period="5", reason="x")

    assert "P5 2014-15 is not closed." in response.content.decode()
    world["year"].refresh_from_db()
    assert world["year"].closed_through == 2


def test_finance_staff_cannot_run_the_close_action(world, finance_user):
    finance_user.is_staff = True
    finance_user.save()
    response = _action(client_for(finance_user), "review_and_close", world["year"])
    assert b"checklist" not in response.content
    world["year"].refresh_from_db()
    assert world["year"].closed_through == 2


def test_reverting_from_history_is_refused(world, admin):
    year = world["year"]
    record = year.history.latest()
    url = reverse("admin:budgets_financialyear_simple_history", args=[year.pk, record.pk])
    FinancialYear.objects.filter(pk=year.pk).update(closed_through=5)

    assert admin.get(url).status_code == 200
    assert admin.post(url, {"label": "2014-15", "start": "2014-04-01"}).status_code == 403
    year.refresh_from_db()
    assert year.closed_through == 5


# Contract changes are append-only


def test_contract_changes_cannot_be_edited_or_deleted(world, admin):
    change = ContractChange.objects.get()
    change_url = _url("contracts", "contractchange", "change", change.pk)

    edited = admin.post(change_url, {"kind": "termination", "note": "edited"})
    deleted = admin.post(_url("contracts", "contractchange", "delete", change.pk), {"post": "yes"})

    assert edited.status_code == 403
    assert deleted.status_code == 403
    change.refresh_from_db()
    assert change.kind == ContractChange.Kind.EXTENSION
    assert change.note == ""


def test_admin_adds_a_contract_change_which_moves_the_end_date(world, admin, admin_user):
    cap = world["contracts"]["cap"]

    response = admin.post(
        _url("contracts", "contractchange", "add"),
        {
            "contract": cap.pk,
            "kind": "extension",
            "effective_date": "2015-06-01",
            "new_end_date": "2016-03-31",
            "value_change": "10000.00",
            "expected_annual_saving": "0.00",
            "note": "Bridge to the new model",
        },
    )

    assert response.status_code == 302
    change = ContractChange.objects.latest("pk")
    assert change.old_end_date == date(2015, 12, 31)
    assert change.new_end_date == date(2016, 3, 31)
    assert change.recorded_by == admin_user
    cap.refresh_from_db()
    assert cap.end_date == date(2016, 3, 31)
    assert cap.total_value == D("360000.00")


def test_admin_contract_change_with_bad_dates_is_refused_on_the_form(world, admin):
    response = admin.post(
        _url("contracts", "contractchange", "add"),
        {
            "contract": world["contracts"]["cap"].pk,
            "kind": "extension",
            "effective_date": "2015-06-01",
            "new_end_date": "2015-01-31",
            "value_change": "0.00",
            "expected_annual_saving": "0.00",
        },
    )

    assert response.status_code == 200
    assert "must be after the current end date (31 Dec 2015)" in response.content.decode()
    assert ContractChange.objects.count() == 1


def test_admin_adds_a_contract_change_inline_under_its_contract(world, admin, admin_user):
    cap = world["contracts"]["cap"]
    url = _url("contracts", "contract", "change", cap.pk)
    data = admin_form_data(
        admin,
        url,
        **{
            "changes-TOTAL_FORMS": "2",
            "changes-1-kind": "renegotiation",
            "changes-1-effective_date": "2014-04-01",
            "changes-1-value_change": "-5000.00",
            "changes-1-expected_annual_saving": "1500.00",
            "changes-1-note": "Rates cut",
        },
    )

    response = admin.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    change = ContractChange.objects.latest("pk")
    assert change.kind == ContractChange.Kind.RENEGOTIATION
    assert change.expected_annual_saving == D("1500.00")
    assert change.recorded_by == admin_user
    cap.refresh_from_db()
    assert cap.total_value == D("345000.00")
    assert ContractChange.objects.filter(contract=cap).count() == 2


def test_contract_admin_shows_the_decision_date(world, admin):
    response = admin.get(_url("contracts", "contract", "changelist"))
    assert "30 Jun 2015" in response.content.decode()


# Savings


def test_admin_adds_an_initiative_with_its_yearly_savings(world, admin, admin_user):
    url = _url("savings", "initiative", "add")
    data = admin_form_data(
        admin,
        url,
        code="PRINT",
        name="Fewer printers",
        lever="demand",
        stage="approved",
        confidence="amber",
        cashable="on",
        **{
            "years-TOTAL_FORMS": "1",
            "years-0-year": str(world["year"].pk),
            "years-0-planned": "2500.00",
        },
    )

    response = admin.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    row = InitiativeYear.objects.get(initiative__code="PRINT")
    assert row.planned == D("2500.00")
    assert row.history.get().history_user == admin_user
    assert Initiative.objects.get(code="PRINT").history.get().history_user == admin_user


def test_admin_cannot_add_an_import_batch(world, admin):
    assert admin.get(_url("budgets", "importbatch", "add")).status_code == 403


def test_contract_admin_lists_contracts_by_status(world, admin):
    Contract.objects.filter(reference="BT-NET").update(status=Contract.Status.EXPIRED)
    response = admin.get(_url("contracts", "contract", "changelist"), {"status__exact": "active"})
    assert [c.reference for c in response.context["cl"].result_list] == ["CAP-2005"]


def test_admin_explains_a_second_target_for_the_same_year(world, admin):
    response = admin.post(
        _url("savings", "savingstarget", "add"),
        {"programme": world["programme"].pk, "year": world["year"].pk, "amount": "5.00"},
    )

    assert response.status_code == 200
    assert "with this Programme and Year already exists" in response.content.decode()
    assert world["programme"].targets.get().amount == D("10000.00")


def test_admin_change_of_confidence_needs_a_reason_kept_in_history(world, admin, admin_user):
    reneg = world["initiatives"]["reneg"]
    url = _url("savings", "initiative", "change", reneg.pk)

    refused = admin.post(url, admin_form_data(admin, url, confidence="amber_red"))
    accepted = admin.post(
        url, admin_form_data(admin, url, confidence="amber_red", change_reason="Supplier pushback")
    )

    # The same rule and message as the in-app form (savings.forms.InitiativeDetailsForm).
    assert "Give a one-line reason for changing the delivery confidence." in (
        refused.content.decode()
    )
    assert accepted.status_code == 302
    record = Initiative.objects.get(pk=reneg.pk).history.latest()
    assert record.confidence == "amber_red"
    assert record.history_change_reason == "Supplier pushback"
    assert record.history_user == admin_user


def test_admin_refuses_an_initiative_code_that_is_a_page_address(world, admin):
    reneg = world["initiatives"]["reneg"]
    url = _url("savings", "initiative", "change", reneg.pk)

    refused = admin.post(url, admin_form_data(admin, url, code="new"))

    assert refused.status_code == 200
    assert "is reserved for a page address" in refused.content.decode()
    assert Initiative.objects.get(pk=reneg.pk).code == "CAP-RENEG"


@pytest.fixture
def note_threshold(settings):
    """A note is needed when an actual is more than 10% and more than £100 from budget."""
    settings.VARIANCE_NOTE_PERCENT = D("10")
    settings.VARIANCE_NOTE_AMOUNT = D("100")


def test_admin_refuses_an_actual_far_from_budget_without_a_note(world, admin, note_threshold):
    figure = _figure(world, "OUT-01", 4)  # budget 1,000.00
    url = _url("budgets", "monthlyfigure", "change", figure.pk)

    response = admin.post(url, admin_form_data(admin, url, actual="1500.00", note=""))

    assert "Explain the variance from budget" in response.content.decode()
    figure.refresh_from_db()
    assert figure.actual is None


def test_admin_saves_an_actual_far_from_budget_with_a_note(world, admin, note_threshold):
    figure = _figure(world, "OUT-01", 4)
    url = _url("budgets", "monthlyfigure", "change", figure.pk)

    response = admin.post(url, admin_form_data(admin, url, actual="1500.00", note="Two bills"))

    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.actual == D("1500.00")
    assert figure.note == "Two bills"


# Years, categories and lines: the admin saves through the services, version-checked


@pytest.mark.parametrize(
    ("model", "lookup", "change"),
    [
        ("budgetline", {"code": "NET-01"}, {"name": "Networks and telephony"}),
        ("category", {"name": "Networks"}, {"order": "42"}),
        ("financialyear", {"label": "2014-15"}, {"start": "2014-04-01"}),
    ],
)
def test_admin_saves_through_the_service_and_refuses_a_stale_form(
    world, admin, admin_user, model, lookup, change
):
    model_class = {"budgetline": BudgetLine, "category": Category, "financialyear": FinancialYear}
    obj = model_class[model].objects.get(**lookup)
    url = _url("budgets", model, "change", obj.pk)
    stale = admin_form_data(admin, url, **change)
    assert stale["version"] == "1"

    assert admin.post(url, admin_form_data(admin, url, **change)).status_code == 302
    obj.refresh_from_db()
    assert obj.version == 2

    refused = admin.post(url, stale)  # a second tab opened before that save
    assert refused.status_code == 200
    assert "after you opened it" in refused.content.decode()
    obj.refresh_from_db()
    assert obj.version == 2


def test_admin_form_carries_the_version_hidden(world, admin):
    line = BudgetLine.objects.get(code="NET-01")
    html = admin.get(_url("budgets", "budgetline", "change", line.pk)).content.decode()
    assert '<input type="hidden" name="version" value="1"' in html
    assert 'name="version" type="number"' not in html


def test_admin_adds_a_line_with_version_one_and_history(world, admin, admin_user):
    response = admin.post(
        _url("budgets", "budgetline", "add"),
        {
            "code": "NEW-01",
            "name": "New line",
            "category": Category.objects.get(name="Networks").pk,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    line = BudgetLine.objects.get(code="NEW-01")
    assert line.version == 1
    assert line.history.get().history_user == admin_user
