"""`ListSelect` draws what Django's own select draws, in Python."""

import pytest
from django import forms
from django.test.html import parse_html

from common.forms import ListSelect

CHOICES = [("", "Any owner"), ("a&b", "Ann & Bob <IT>"), ("3", "Three"), ("x", "X")]


@pytest.mark.parametrize("value", [None, "", "a&b", "3", "missing"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_owner", "aria-describedby": "h"}])
def test_list_select_draws_what_djangos_select_draws(value, attrs):
    ours = ListSelect(choices=CHOICES).render("owner", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("owner", value, attrs=attrs)
    # The same elements, attributes, values and text (attribute order aside).
    assert parse_html(ours) == parse_html(django)


def test_list_select_marks_only_the_chosen_option_and_escapes_labels():
    html = ListSelect(choices=CHOICES).render("owner", "3")
    assert html.count(" selected") == 1
    assert '<option value="3" selected>Three</option>' in html
    assert "Ann &amp; Bob &lt;IT&gt;" in html and 'value="a&amp;b"' in html
