"""What every member of the test cast gets from the retention URLs (merged into maca.tests.url_expectations).

Closing an audit, its legal holds and the retention period are the coordinator's alone: the other members of the
partnership, who read the approved audit, are refused (403); the outsider learns nothing (404).
"""

from maca.tests.url_expectations import Expect, _approved, _slug, coordinators

RETENTION_EXPECTATIONS: dict[str, Expect] = {
    "retention:audit": Expect(coordinators(), _approved),
    "retention:close": Expect(coordinators(), _approved, writes=True),
    "retention:hold": Expect(coordinators(), _approved, writes=True),
    "retention:lift": Expect(coordinators(), _approved, writes=True),
    "retention:settings": Expect(coordinators(), _slug, writes=True),
}
