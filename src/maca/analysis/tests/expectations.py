"""What every member of the test cast gets from the analysis's URLs (merged into maca.tests.url_expectations)."""

from maca.tests.url_expectations import Expect

ANALYSIS_EXPECTATIONS: dict[str, Expect] = {}
