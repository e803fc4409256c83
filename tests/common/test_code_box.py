"""A choice among thousands of rows is a box for their codes (common.forms.choose_by_code):
what it reads, what it shows back, and the count that decides it."""

from django import forms
from django.http import QueryDict
from django.urls import reverse

from budgets.models import BudgetLine
from common.forms import CODE_BOX_OVER, CodesInput, choose_by_code_when_many
from contracts.models import Contract
from savings.forms import InitiativeDetailsForm


def test_codes_are_read_from_commas_and_spaces_and_shown_joined():
    box = CodesInput()
    assert box.value_from_datadict(QueryDict("lines=+A-1,B-2++C-3,,"), {}, "lines") == [
        "A-1",
        "B-2",
        "C-3",
    ]
    assert box.value_from_datadict(QueryDict(""), {}, "lines") == []
    assert box.format_value(["A-1", "B-2"]) == "A-1, B-2"


def test_a_select_stays_a_select_up_to_the_limit(world, monkeypatch):
    lines = BudgetLine.objects.count()
    monkeypatch.setattr("common.forms.CODE_BOX_OVER", lines)
    field = forms.ModelMultipleChoiceField(queryset=BudgetLine.objects.all())
    choose_by_code_when_many(field, noun="budget line")
    assert isinstance(field.widget, forms.SelectMultiple) and field.to_field_name is None
    monkeypatch.setattr("common.forms.CODE_BOX_OVER", lines - 1)
    choose_by_code_when_many(field, noun="budget line")
    assert isinstance(field.widget, CodesInput) and field.to_field_name == "code"
    assert CODE_BOX_OVER == 300


def test_the_admins_initiative_form_takes_codes_beyond_the_limit(world, monkeypatch):
    monkeypatch.setattr("common.forms.CODE_BOX_OVER", 1)
    form = InitiativeDetailsForm()
    assert isinstance(form.fields["lines"].widget, CodesInput)
    assert '<input type="text" name="lines"' in str(form["lines"])
    assert form.fields["lines"].help_text == (
        "The budget lines the saving comes off. "
        "Type the budget lines' codes, separated by commas, as the register shows them."
    )
    assert form.fields["lines"].clean(["OUT-01", "NET-01"]).count() == 2
    # Its contract, past as many contracts, by reference.
    assert '<input type="text" name="contract"' in str(form["contract"])
    assert form.fields["contract"].clean("CAP-2005").reference == "CAP-2005"


def test_a_code_box_has_a_datalist_its_script_fills_from_the_api(world, monkeypatch):
    monkeypatch.setattr("common.forms.CODE_BOX_OVER", 1)
    field = forms.ModelChoiceField(queryset=Contract.objects.all())
    choose_by_code_when_many(field, noun="contract", code="reference", codes="references")
    html = field.widget.render("contract", "CAP-2005", attrs={"id": "id_contract"})
    assert html == (
        '<input type="text" name="contract" value="CAP-2005" autocomplete="off" '
        'spellcheck="false" id="id_contract" list="id_contract-suggestions" '
        'data-suggest="/api/v1/contracts/" data-code="reference" data-label="title">'
        '<datalist id="id_contract-suggestions"></datalist>'
    )
    # In the admin the script comes with the form's media.
    assert "/static/js/codes." in str(field.widget.media)
    # Without an id (nothing to tie a datalist to), a plain box.
    assert "datalist" not in field.widget.render("contract", "", attrs={})


def test_every_model_chosen_by_code_has_a_searchable_api_list(world):
    """Each address a code box asks is an API list that takes `?q=` and answers rows with
    the code and label keys the box reads."""
    from django.test import Client

    from common.forms import SUGGESTIONS
    from tests.conftest import make_user

    client = Client()
    client.force_login(make_user("suggest-reader", "Finance"))
    codes = {"budgets.budgetline": "code", "contracts.contract": "reference"}
    for model, (url_name, label) in SUGGESTIONS.items():
        rows = client.get(reverse(url_name)).json()["results"]
        assert rows, model
        assert {codes.get(model, "code"), label} <= set(rows[0]), model
        # It takes `?q=` (an unknown parameter would be ignored, leaving every row).
        assert client.get(reverse(url_name), {"q": "no-such-row"}).json()["results"] == []
