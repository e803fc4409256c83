import re
from datetime import datetime, time, timedelta
from decimal import Decimal

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from common.locking import VersionedForm
from common.models import MAX_WINDOW_MONTHS, MIN_WINDOW_MONTHS, NotificationPreference
from common.money import AmountError, parse_amount
from common.roles import ADMIN, FINANCE, ROLES, role_of
from common.services import PREFERENCE_FIELDS
from common.users import EDITABLE_FIELDS, fingerprint, refusal


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class ListSelect(forms.Select):
    """A select drawn as Django's own (the same attributes, options and selection, without
    option groups) but in Python: one `format_html` per option instead of one template
    each, for the filters' lists of every contract or owner (hundreds of options)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (str(option["value"]), flatatt(option["attrs"]), option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html(
            '<select name="{}"{}>{}\n</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class ListSelectMultiple(ListSelect, forms.SelectMultiple):
    """`ListSelect` for a choice of several (every budget line, every contract)."""


CODE_BOX_OVER = 300  # more choices than this, and a choice of rows with codes takes codes


# Where a box for codes finds suggestions as someone types (static/js/codes.js): the API
# list of the field's model, searched with `?q=` (api.base.CodeOrNameFilter), and the key of
# the name shown beside each code.
SUGGESTIONS = {
    "budgets.budgetline": ("api:line-list", "name"),
    "contracts.contract": ("api:contract-list", "title"),
    "savings.initiative": ("api:initiative-list", "name"),
}


class CodeBox(forms.TextInput):
    """A box for a code. With `suggest` (an API list address) and `label` (the key of a
    row's name), it has a datalist that static/js/codes.js fills as someone types with
    the rows whose code starts with (or whose name holds) the word being typed: without
    script it is a plain box. Its script comes with every page (templates/base.html) and,
    in the Django admin, with the form's media."""

    class Media:
        js = ["js/codes.js"]

    def __init__(self, attrs=None, *, suggest: str = "", code: str = "code", label: str = ""):
        super().__init__(attrs)
        self.suggest, self.code, self.label = suggest, code, label

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        if not (self.suggest and attrs.get("id")):
            return super().render(name, value, attrs, renderer)
        listed = f"{attrs['id']}-suggestions"
        attrs |= {"list": listed, "data-suggest": reverse(self.suggest)}
        attrs |= {"data-code": self.code, "data-label": self.label}
        box = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', box, listed)


class CodesInput(CodeBox):
    """Several codes in one box, separated by commas or spaces (for a choice of several)."""

    def value_from_datadict(self, data, files, name) -> list[str]:
        return re.findall(r"[^\s,]+", data.get(name) or "")

    def format_value(self, value) -> str | None:
        if isinstance(value, list | tuple):
            return ", ".join(str(code) for code in value)
        return super().format_value(value)


def choose_by_code(
    field: forms.ModelChoiceField, *, noun: str, code: str = "code", codes: str = "codes"
) -> None:
    """A choice among thousands (every budget line) as a box for the code, not a select:
    at 10,000 lines each such select was 600 KB of options. The field takes the code (its
    `to_field_name`, the model's `code` field: a slug, so never holding a comma or space)
    and refuses one that names nothing, by name. `codes` is what the hint calls them."""
    several = isinstance(field, forms.ModelMultipleChoiceField)
    field.to_field_name = code
    suggest, label = SUGGESTIONS.get(field.queryset.model._meta.label_lower, ("", ""))
    field.widget = (CodesInput if several else CodeBox)(
        attrs={"autocomplete": "off", "spellcheck": "false"},
        suggest=suggest,
        code=code,
        label=label,
    )
    field.widget.is_required = field.required
    how = (
        f"Type the {noun}s' {codes}, separated by commas, as the register shows them."
        if several
        else f"Type the {noun}'s {codes.removesuffix('s')}, as the register shows it."
    )
    # A select's own hint on choosing several has no place beside a box.
    before = re.sub(r"\s*\(hold Ctrl or Cmd to choose several\)", "", str(field.help_text))
    field.help_text = f"{before} {how}".strip()
    field.error_messages = {
        **field.error_messages,
        "invalid_choice": f"No {noun} has the {codes.removesuffix('s')} “%(value)s”.",
    }


def too_many_to_list(queryset) -> bool:
    """Whether a choice among `queryset` is a box for codes rather than a select."""
    return queryset.count() > CODE_BOX_OVER


def choose_by_code_when_many(field: forms.ModelChoiceField, *, noun: str, **names) -> None:
    if too_many_to_list(field.queryset):
        choose_by_code(field, noun=noun, **names)


class AmountField(forms.CharField):
    """Pounds as people type them (1234.56, 1,234.56, £1,234.56, (978.00)); an exact
    Decimal out, never rounded. Negative amounts are refused with `negative_message`
    unless `allow_negative`."""

    def __init__(
        self,
        *,
        allow_negative: bool = False,
        negative_message: str = "Cannot be negative.",
        **kwargs,
    ):
        self.allow_negative = allow_negative
        self.negative_message = negative_message
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"class": "money", "inputmode": "decimal"})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:,.2f}"
        return value

    def to_python(self, value) -> Decimal | None:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            amount = parse_amount(text)
        except AmountError as error:
            raise forms.ValidationError(str(error)) from None
        if amount < 0 and not self.allow_negative:
            raise forms.ValidationError(self.negative_message)
        return amount


class UserForm(forms.ModelForm):
    """A user as an Admin may set them: username, names, email, the active flag and exactly
    one role, with a password when creating (and, optionally, when changing). Superuser,
    staff, per-user permissions and groups are not fields here, so a crafted POST naming
    them changes nothing; `common.users.save_user` writes the rest. `actor` (set by the
    admin) is the Admin making the change."""

    actor: AbstractBaseUser | None = None

    role = forms.ChoiceField(
        choices=[(role, role) for role in ROLES],
        help_text="What this person may see and change (Admin also opens this admin).",
    )
    password1 = forms.CharField(
        label="Password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    # The stored user as the Admin saw it (common.users.fingerprint): a stale save is refused.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = User
        fields = EDITABLE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["password1"].required = self.fields["password2"].required = True
        else:
            self.fields["role"].initial = role_of(self.instance)
            self.fields["password2"].help_text = "Leave both blank to keep the password."
            self.fields["seen"].initial = fingerprint(self.instance)

    def clean(self) -> dict:
        cleaned = super().clean()
        self._refuse_stale(cleaned.get("seen"))
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        if self.actor is not None and "role" in cleaned:
            reason = refusal(
                actor=self.actor,
                user=self.instance,
                role=cleaned["role"],
                is_active=cleaned.get("is_active", False),
            )
            if reason:
                raise ValidationError(reason)
        return cleaned

    def _refuse_stale(self, seen: str | None) -> None:
        """Refuse a save of a user someone else changed after this form was opened, naming
        their values; the typed values stay and the form now carries the stored state, so
        saving again is a deliberate second decision."""
        user = self.instance
        if user.pk is None or not self.is_bound:
            return
        current = fingerprint(user)
        if seen == current:
            return
        data = self.data.copy()
        data[self.add_prefix("seen")] = current
        self.data = data
        now = ", ".join(
            f"{name.replace('_', ' ')} {getattr(user, name) or '—'}" for name in EDITABLE_FIELDS
        )
        raise ValidationError(
            f"Someone else changed this person after you opened the page; they now have "
            f"{now}, role {role_of(user) or '—'}. Nothing was saved: your values are kept "
            "below; check them and save again."
        )

    def _post_clean(self) -> None:
        super()._post_clean()
        # Checked once the typed username and names are on the instance, so that a password
        # too like them is refused.
        password = self.cleaned_data.get("password1")
        if password and not self.has_error("password2"):
            try:
                password_validation.validate_password(password, self.instance)
            except ValidationError as error:
                self.add_error("password1", error)


class NotificationPreferenceForm(VersionedForm, forms.ModelForm):
    """A person's own digest choices. The person is never a field: the view binds the form to
    the signed-in user's preferences, so a crafted POST cannot reach anyone else's. Only
    Finance and Admin close periods, so only they are offered the close reminder."""

    class Meta:
        model = NotificationPreference
        fields = PREFERENCE_FIELDS
        widgets = {"decision_window_months": forms.NumberInput(attrs={"inputmode": "numeric"})}

    def __init__(self, *args, role: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if role not in (FINANCE, ADMIN):
            del self.fields["ready_to_close"]
        # The model's validators refuse the rest; the browser is told the range too.
        window = self.fields["decision_window_months"].widget
        window.attrs.update(min=MIN_WINDOW_MONTHS, max=MAX_WINDOW_MONTHS)
        for name, field in self.fields.items():
            if field.help_text:  # read out with the field (the template's hint has this id)
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"


class ApiTokenForm(forms.Form):
    """A new personal API token: what it is for, and optionally the last day it works."""

    name = forms.CharField(
        max_length=100, label="Token name", help_text="What will use it, e.g. Power BI."
    )
    expires_on = forms.DateField(
        required=False,
        label="Last day it works (optional)",
        help_text="Leave empty for a token that works until you revoke it.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is not None and day < timezone.localdate():
            raise ValidationError("The last day cannot be in the past.")
        return day

    @property
    def expires_at(self) -> datetime | None:
        """The moment after the last day ends, in local time (None: never)."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
