from django import forms
from django.utils.translation import gettext_lazy as _


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The code has only digits."))
        return token


class AccountForm(forms.Form):
    """The admin role's form for one account: its roles and whether it may sign in."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )
    is_active = forms.BooleanField(
        label=_("May sign in"),
        required=False,
        help_text=_("Untick to deactivate the account. Its records stay."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        from facit.accounts.roles import ROLE_LABELS

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["roles"].choices = list(ROLE_LABELS.items())  # type: ignore[attr-defined]
