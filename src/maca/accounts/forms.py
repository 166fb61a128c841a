"""allauth's account and two-factor forms, with GOV.UK labels and no placeholders (GOV.UK advises against them)."""

from collections.abc import Iterable
from typing import Any

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms

CODE_LABEL = "Security code"


def govuk_fields(form: forms.BaseForm, labels: dict[str, str], *, codes: Iterable[str] = ()) -> None:
    """Relabel a form's fields, drop their placeholders, and make one-time code fields numeric."""
    for name, field in form.fields.items():
        field.widget.attrs.pop("placeholder", None)
        if name in labels:
            field.label = labels[name]
    for name in codes:
        if name in form.fields:
            form.fields[name].widget.attrs.update(
                {"inputmode": "numeric", "autocomplete": "one-time-code", "spellcheck": "false"}
            )


NEW_PASSWORD = {"password1": "New password", "password2": "Confirm new password"}


class LoginForm(account_forms.LoginForm):
    """Log-in, with the e-mail address passed to django-axes as `login` so that throttling works."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        govuk_fields(self, {"login": "E-mail address", "password": "Password"})

    def user_credentials(self) -> dict[str, Any]:
        credentials: dict[str, Any] = super().user_credentials()
        credentials["login"] = credentials.get("email") or credentials.get("username")
        return credentials


class ResetPasswordForm(account_forms.ResetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        govuk_fields(self, {"email": "E-mail address"})


class ResetPasswordKeyForm(account_forms.ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        govuk_fields(self, NEW_PASSWORD)


class ChangePasswordForm(account_forms.ChangePasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        govuk_fields(self, {"oldpassword": "Current password", **NEW_PASSWORD})


class SetPasswordForm(account_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        govuk_fields(self, NEW_PASSWORD)


class ReauthenticateForm(account_forms.ReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        govuk_fields(self, {"password": "Password"})


class AuthenticateForm(mfa_forms.AuthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        govuk_fields(self, {"code": CODE_LABEL}, codes=["code"])


class MfaReauthenticateForm(mfa_forms.ReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        govuk_fields(self, {"code": CODE_LABEL}, codes=["code"])


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        govuk_fields(self, {"code": "Code from the app"}, codes=["code"])
