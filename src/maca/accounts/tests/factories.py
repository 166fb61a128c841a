import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from factory.django import DjangoModelFactory

from maca.accounts.models import User

TEST_PASSWORD = "a-long-test-password-2026"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(TEST_PASSWORD)


def enrol_totp(user: User) -> str:
    """Give a person an authenticator app; returns its secret, from which tests compute codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret
