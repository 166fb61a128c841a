"""allauth's forms in GOV.UK words, without placeholders; one-time codes typed as numbers."""

from django.test import Client

from maca.accounts.forms import AuthenticateForm, ChangePasswordForm, LoginForm
from maca.accounts.tests.factories import UserFactory


def test_the_sign_in_page_asks_for_the_e_mail_address_without_placeholders(client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert '<label class="govuk-label govuk-label--s" for="id_login">E-mail address</label>' in page
    assert "placeholder" not in page


def test_password_labels_are_in_plain_words(db: None) -> None:
    user = UserFactory.create()
    labels = [str(field.label) for field in ChangePasswordForm(user=user).fields.values()]
    assert labels == ["Current password", "New password", "Confirm new password"]
    assert str(LoginForm().fields["login"].label) == "E-mail address"


def test_codes_are_typed_as_numbers(db: None) -> None:
    form = AuthenticateForm(user=UserFactory.create())
    attrs = form.fields["code"].widget.attrs
    assert attrs["inputmode"] == "numeric"
    assert attrs["autocomplete"] == "one-time-code"
    assert "placeholder" not in attrs
