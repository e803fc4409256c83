from decimal import Decimal

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from common.money import AmountError, parse_amount


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


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
