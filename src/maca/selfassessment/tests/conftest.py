"""Fixtures of the self-assessment tests: a lead for agency B, both cast agencies in section 6b, and a private
MEDIA_ROOT for evidence files."""

from pathlib import Path

import pytest
from django.conf import LazySettings

from maca.accounts.models import User
from maca.tests.cast import Cast

from .helpers import add_lead_b, add_wider_participant


@pytest.fixture(autouse=True)
def _media(settings: LazySettings, tmp_path: Path) -> Path:
    """Evidence files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def lead_b(cast: Cast) -> User:
    """A lead of agency B (the cast has none): the one who signs off agency B's self-assessment."""
    return add_lead_b(cast)


@pytest.fixture
def both_agencies(cast: Cast) -> Cast:
    """The approved audit's section 6b names agency A as well as agency B."""
    add_wider_participant(cast, cast.agency_a)
    return cast
