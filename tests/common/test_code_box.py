"""A choice among thousands of rows is a box for their codes (common.forms.choose_by_code):
what it reads, what it shows back, and the count that decides it."""

from django import forms
from django.http import QueryDict

from budgets.models import BudgetLine
from common.forms import CODE_BOX_OVER, CodesInput, choose_by_code_when_many
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
