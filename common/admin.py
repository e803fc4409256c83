"""The admin's shared parts: `HistoryAdmin` for models with history, and the user admin
that replaces django.contrib.auth's (the admin site itself is in common/sites.py)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.views.decorators.debug import sensitive_post_parameters
from simple_history.admin import SimpleHistoryAdmin

from common.forms import UserForm
from common.locking import StaleVersionError, VersionedForm, bump, check_version
from common.roles import role_of
from common.users import save_user


def is_versioned(model: type[Model]) -> bool:
    """Whether the model carries an optimistic-locking `version` (common/locking.py)."""
    return any(field.name == "version" for field in model._meta.concrete_fields)


class _OfferAgain(forms.BaseForm):
    """After a stale save, the form bound to what the person typed offers it again beside
    the stored values (VersionedForm.offer_again); `stale` is set per request."""

    stale: StaleVersionError | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.stale is not None and self.is_bound:
            self.offer_again(self.stale)


class HistoryAdmin(SimpleHistoryAdmin):
    """Admin for a model with history: its History page lists who changed what and when,
    old -> new. Reverting from history is off, because a revert saves an old copy of the
    whole row past the model's own checks (period locks, append-only changes, read-only
    fields such as a year's closed_through).

    For a versioned model the change form carries the version the person opened (a hidden
    `version` field, cleaned into `form.cleaned_data["version"]`), and a save that finds the
    row changed since is refused: the form comes back with status 409, the other person's
    values, who and when (templates/includes/conflict.html), and the person's own typed
    values kept with the fresh version, so that saving again is a deliberate decision.

    Subclasses save through their app's service by overriding `save_with_service`, passing
    `expected_version=self.expected_version(form)`; the service raises
    `common.locking.StaleVersionError` and this class does the rest. Overriding `save_model`
    itself works the same way, as long as StaleVersionError is left to propagate.
    """

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        return True

    def history_form_view(self, request: HttpRequest, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("Reverting from history is not allowed; edit the record.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    # Optimistic locking -----------------------------------------------------------------

    def _locks(self, request: HttpRequest, obj) -> bool:
        """Whether this form is a change the person may save, of a versioned model."""
        return (
            obj is not None
            and is_versioned(self.model)
            and self.has_change_permission(request, obj)
        )

    def get_exclude(self, request: HttpRequest, obj=None):
        excluded = super().get_exclude(request, obj)
        if not is_versioned(self.model):
            return excluded
        if excluded is None:  # as ModelAdmin.get_form would, keep the form's own exclude
            excluded = getattr(getattr(self.form, "_meta", None), "exclude", None) or ()
        # The version is never a model field of the form: only the service writes it.
        return [*excluded, "version"]

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not is_versioned(self.model):
            return fieldsets
        names = flatten_fieldsets(fieldsets)
        if self._locks(request, obj) and "version" not in names:
            (name, options), *rest = fieldsets
            return [(name, {**options, "fields": [*options["fields"], "version"]}), *rest]
        if not self._locks(request, obj) and "version" in names:
            return [
                (name, {**opts, "fields": _without_version(opts["fields"])})
                for name, opts in fieldsets
            ]
        return fieldsets

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not self._locks(request, obj):
            return form
        bases = (form,) if issubclass(form, VersionedForm) else (VersionedForm, form)
        attrs = {"stale": getattr(request, STALE, None)}
        if "version" not in form.base_fields:
            attrs["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
        return type(form.__name__, (_OfferAgain, *bases), attrs)

    def expected_version(self, form) -> int | None:
        """The version the person opened, for the service's `expected_version`; None when
        adding."""
        return form.cleaned_data.get("version")

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        self.save_with_service(request, obj, form, change)

    def save_with_service(self, request: HttpRequest, obj, form, change: bool) -> None:
        """Write `obj` as the form left it. Subclasses call their app's service here with
        `expected_version=self.expected_version(form)`. This default, for a model without a
        service, does what such a service does: lock the row, refuse a stale version, bump."""
        if change and is_versioned(self.model):
            current = check_version(obj, self.expected_version(form))
            obj.version = current.version
            bump(obj)
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleVersionError as error:
            # The save was rolled back. Build the page again from the stored row, with the
            # form bound to what the person typed and the conflict shown.
            setattr(request, STALE, error)
            response = super().changeform_view(request, object_id, form_url, extra_context)
            response.status_code = 409
            return response


STALE = "stale_version_error"  # the request attribute that carries a stale save's conflict


def _without_version(fields) -> list:
    return [
        [name for name in line if name != "version"] if isinstance(line, list | tuple) else line
        for line in fields
        if line != "version"
    ]


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose inputs are named for screen readers: the table's column
    headings are not labels, so each input carries its field's name as `aria-label`.

    (Relations are chosen with plain selects, which carry their labels, rather than the
    admin's autocomplete widget, whose search box and selection have no accessible name.)"""

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.setdefault("aria-label", capfirst(field.label or db_field.name))
        return field


# Roles come from common/roles.py only: groups are not edited here, and users get exactly
# one role through UserAdmin below.
admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Admins create people, set their names, email, active flag and one role. Superuser,
    staff (it follows the role), per-user permissions and groups are not offered, and users
    are deactivated rather than deleted, so that their history keeps its names."""

    form = UserForm
    fieldsets = (
        (None, {"fields": ("username", "password1", "password2", "seen")}),
        ("Person", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("role", "is_active")}),
    )
    list_display = ("username", "full_name", "email", "role", "is_active", "last_login")
    list_filter = ("is_active", "groups")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("username",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple:
        return ("last_login", "date_joined") if obj is not None else ()

    def get_fieldsets(self, request: HttpRequest, obj=None):
        if obj is None:
            return self.fieldsets
        return (*self.fieldsets, ("Dates", {"fields": ("last_login", "date_joined")}))

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    @method_decorator(sensitive_post_parameters("password1", "password2"))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: User, form: UserForm, change: bool) -> None:
        save_user(
            actor=request.user,
            user=obj,
            role=form.cleaned_data["role"],
            password=form.cleaned_data.get("password1") or None,
        )

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        """Nothing: the form has no relations, and save_user set the role's group."""

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="name")
    def full_name(self, user: User) -> str:
        return user.get_full_name()

    @admin.display(description="role")
    def role(self, user: User) -> str:
        return role_of(user) or "—"
