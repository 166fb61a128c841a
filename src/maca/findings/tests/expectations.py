"""What every member of the test cast gets from moderation's URLs (merged into maca.tests.url_expectations)."""

from maca.tests.url_expectations import Expect

FINDINGS_EXPECTATIONS: dict[str, Expect] = {}
