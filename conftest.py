import pytest
from django.test import Client

from maca.tests.cast import Cast, make_cast


@pytest.fixture(autouse=True)
def _static_files_from_finders(settings):  # type: ignore[no-untyped-def]
    """Tests run without `collectstatic`: static URLs are unhashed and served from the apps' folders."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture
def cast(db: None) -> Cast:
    """The standard cast: see maca.tests.cast."""
    return make_cast()


@pytest.fixture
def client_for(cast: Cast):  # type: ignore[no-untyped-def]
    """A test client logged in as a member of the cast (anonymous: not logged in)."""

    def make(name: str) -> Client:
        client = Client()
        user = cast[name]
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """Hashing passwords properly is slow by design; tests do not need that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _totp_codes_survive_a_busy_machine(settings):  # type: ignore[no-untyped-def]
    """A test signs in with the code of the current 30-second step; on a loaded machine the step can end before the
    code is checked. Accept the step before too (RFC 6238's allowance for delay), so no test depends on the clock."""
    settings.MFA_TOTP_TOLERANCE = 1
