"""What every member of the test cast gets from the self-assessment's URLs (merged into maca.tests.url_expectations)."""

from maca.tests.url_expectations import Expect

SELF_ASSESSMENT_EXPECTATIONS: dict[str, Expect] = {}
