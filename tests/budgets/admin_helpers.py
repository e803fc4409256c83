"""Fill a Django admin form the way a browser would: GET the page, take every field's
current value (inline formsets and their management forms included), change some, POST."""

from datetime import date, datetime
from decimal import Decimal

from django.test import Client


def _encode(value) -> str | list[str] | None:
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date | Decimal | int):
        return str(value)
    return str(value)


def _form_data(form) -> dict:
    data = {}
    for name in form.fields:
        value = _encode(form[name].value())
        if value is not None:
            data[form.add_prefix(name)] = value
    return data


def admin_form_data(client: Client, url: str, **changes) -> dict:
    """The data the admin page at `url` would post unchanged, updated with `changes`
    (keys as posted, e.g. `actual` or `changes-0-kind`)."""
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} gave {response.status_code}"
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
