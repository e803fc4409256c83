"""Optimistic locking for every form that changes a stored row.

A versioned model has `version = models.PositiveIntegerField(default=1)`. A form carries
the version the person saw (`VersionedForm`); the service that writes locks the row, checks
the version with `check_version` and saves with `bump`. A stale save raises `StaleVersionError`,
which names who changed the row and when; the view (or the admin, through
`common.admin.HistoryAdmin`) shows the other person's values beside the person's own typed
values, ready to submit again (`VersionedForm.offer_again`).
"""

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.db import models

from common.history import shown


@dataclass
class StaleVersionError(Exception):
    """The row changed since the person opened it."""

    current: models.Model
    changed_by: str
    changed_at: datetime | None

    def __str__(self) -> str:
        when = f" at {self.changed_at:%d %b %Y %H:%M}" if self.changed_at else ""
        return (
            f"{self.current} was changed by {self.changed_by}{when} after you opened it. "
            "Your values are kept below: check them against the saved ones and save again."
        )


def last_change(instance: models.Model) -> tuple[str, datetime | None]:
    """Who last changed the row and when, from its history ("someone" when unknown)."""
    history = getattr(instance, "history", None)
    latest = history.order_by("-history_date", "-history_id").first() if history else None
    if latest is None:
        return "someone", None
    user = latest.history_user
    name = (user.get_full_name() or user.get_username()) if user else "someone"
    return name, latest.history_date


def check_version(instance: models.Model, expected: int | None) -> models.Model:
    """Lock `instance`'s row (inside the caller's transaction) and return the stored row;
    raise StaleVersionError when its version is not `expected`. `expected=None` (a caller that
    read the row itself within this transaction) skips the comparison."""
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if expected is not None and current.version != expected:
        changed_by, changed_at = last_change(current)
        raise StaleVersionError(current, changed_by, changed_at)
    return current


def bump(instance: models.Model) -> None:
    """The next version, set before the service saves the row."""
    instance.version = (instance.version or 0) + 1


class VersionedForm(forms.BaseForm):
    """Mix into a Form or ModelForm of a versioned model: adds the hidden version and, after
    a stale save, keeps the typed values while taking the fresh version, so that saving
    again is a deliberate second decision."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
        instance = getattr(self, "instance", None)
        if instance is not None and "version" not in self.initial:
            # A new instance carries its model's default, so a create form validates too.
            self.initial["version"] = instance.version
        self.conflict: StaleVersionError | None = None

    def offer_again(self, error: StaleVersionError) -> None:
        """Keep the typed values, take the stored version, and say whose values differ."""
        self.conflict = error
        data = self.data.copy()
        data[self.add_prefix("version")] = str(error.current.version)
        self.data = data
        self._errors = None  # revalidate against the new data on the next read
        self.conflict_rows = [
            (field.label or name, _saved(error.current, name), self._typed(name, field))
            for name, field in self.fields.items()
            if name != "version" and hasattr(error.current, name)
        ]
        self.full_clean()
        self.add_error(None, str(error))

    def _typed(self, name: str, field: forms.Field) -> str:
        """What the person typed or chose, as they saw it (choice labels, not keys)."""
        key = self.add_prefix(name)
        if isinstance(field, forms.ModelMultipleChoiceField):
            chosen = self.data.getlist(key) if hasattr(self.data, "getlist") else []
            try:
                return ", ".join(str(o) for o in field.clean(chosen)) or "—"
            except forms.ValidationError:
                return ", ".join(chosen) or "—"
        typed = self.data.get(key, "")
        if isinstance(field, forms.ChoiceField) and typed != "":
            labels = {str(value): str(label) for value, label in field.choices}
            return labels.get(str(typed), typed)
        return typed


def _saved(current: models.Model, name: str) -> str:
    """A stored field as a person reads it: a choice's label, related rows by name."""
    value = getattr(current, name, None)
    if isinstance(value, models.Manager):
        return ", ".join(str(o) for o in value.all()) or "—"
    display = getattr(current, f"get_{name}_display", None)
    return shown(display() if callable(display) else value)
