"""How the savings pages take a posted form: `_submit` saves a valid one through a
service and turns someone else's save since the form was opened into a 409 with the form
offered again, and a service's refusal into an error on the form."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from common.locking import StaleVersionError

T = TypeVar("T")


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _submit(form: forms.BaseForm, save: Callable[[dict], T]) -> tuple[T | None, int]:
    """Save a posted, valid form with `save(cleaned_data)`: (what it saved, 200). Someone
    else's save since the form was opened gives (None, 409) and the form offers the
    person's values again beside theirs; a service's refusal gives (None, 200) with the
    reason on the field it names, else above the form."""
    if not form.is_bound or not form.is_valid():
        return None, 200
    try:
        return save(form.cleaned_data), 200
    except StaleVersionError as error:
        form.offer_again(error)
        return None, 409
    except ValidationError as error:
        form.add_error(None, error)
        return None, 200
