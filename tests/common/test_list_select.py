"""`ListSelect` draws what Django's own select draws, in Python."""

import pytest
from django import forms
from django.conf import settings
from django.http import QueryDict
from django.test.html import parse_html

from common.forms import ListSelect, ListSelectMultiple

CHOICES = [("", "Any owner"), ("a&b", "Ann & Bob <IT>"), ("3", "Three"), ("x", "X")]


@pytest.mark.parametrize("value", [None, "", "a&b", "3", "missing"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_owner", "aria-describedby": "h"}])
def test_list_select_draws_what_djangos_select_draws(value, attrs):
    ours = ListSelect(choices=CHOICES).render("owner", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("owner", value, attrs=attrs)
    # The same elements, attributes, values and text (attribute order aside).
    assert parse_html(ours) == parse_html(django)


@pytest.mark.parametrize("value", [None, [], ["a&b"], ["3", "x"], ["missing", "3"]])
def test_list_select_multiple_draws_what_djangos_select_multiple_draws(value):
    attrs = {"id": "id_lines", "aria-describedby": "h"}
    ours = ListSelectMultiple(choices=CHOICES[1:]).render("lines", value, attrs=attrs)
    django = forms.SelectMultiple(choices=CHOICES[1:]).render("lines", value, attrs=attrs)
    assert parse_html(ours) == parse_html(django)
    assert " multiple" in ours


def test_list_select_multiple_reads_every_chosen_value():
    data = QueryDict("lines=3&lines=x")
    assert ListSelectMultiple().value_from_datadict(data, {}, "lines") == ["3", "x"]
    assert ListSelectMultiple().value_omitted_from_data({}, {}, "lines") is False


def test_list_select_marks_only_the_chosen_option_and_escapes_labels():
    html = ListSelect(choices=CHOICES).render("owner", "3")
    assert html.count(" selected") == 1
    assert '<option value="3" selected>Three</option>' in html
    assert "Ann &amp; Bob &lt;IT&gt;" in html and 'value="a&amp;b"' in html


def _project_forms():
    """Every form and filter set the project's apps define, with their fields."""
    import importlib
    import inspect

    import django_filters
    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.path.startswith(str(settings.BASE_DIR)):
            continue
        for module_name in ("forms", "filters", "change_forms"):
            try:
                module = importlib.import_module(f"{config.name}.{module_name}")
            except ModuleNotFoundError:
                continue
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ != module.__name__:
                    continue
                if issubclass(cls, django_filters.FilterSet):
                    fields = {key: f.field for key, f in cls.base_filters.items()}
                elif issubclass(cls, forms.BaseForm):
                    fields = cls.base_fields
                else:
                    continue
                yield f"{module.__name__}.{name}", fields


GROWING = {"Contract", "BudgetLine", "Initiative", "Supplier", "User"}


def test_every_select_of_rows_that_grow_with_the_data_is_drawn_in_python():
    """Contracts, lines, initiatives, suppliers and users run to hundreds or thousands:
    through Django's option templates such a select was a third of a page's time."""
    checked, slow = [], []
    for form_name, fields in _project_forms():
        for field_name, field in fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None or queryset.model.__name__ not in GROWING:
                continue
            checked.append(f"{form_name}.{field_name}")
            several = isinstance(field, forms.ModelMultipleChoiceField)
            wanted = ListSelectMultiple if several else ListSelect
            if not isinstance(field.widget, wanted):
                slow.append(f"{form_name}.{field_name}")
    assert slow == []
    assert "savings.filters.InitiativeFilter.contract" in checked
    assert "budgets.change_forms.BudgetChangeLineForm.line" in checked
