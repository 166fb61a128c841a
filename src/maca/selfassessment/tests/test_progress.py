"""`progress(audit)` and `awaiting_submission(audit)`: each agency of section 6b with the state of its
self-assessment and the people who hold it; what the rest of maca calls to show and chase them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from maca.accounts.models import User
from maca.accounts.tests.factories import UserFactory
from maca.partnerships.models import Membership, Role
from maca.partnerships.tests.factories import AgencyFactory
from maca.selfassessment.models import Rating, State
from maca.selfassessment.selectors import awaiting_submission, progress
from maca.selfassessment.services import self_assessment_submit
from maca.tests.cast import Cast

from .helpers import add_wider_participant, approved, areas, person, rate_area, rate_everything


def test_before_anyone_starts(cast: Cast) -> None:
    [row] = progress(approved(cast))
    assert (row.agency, row.state, row.self_assessment, row.rated, row.statements) == (
        cast.agency_b,
        State.NOT_STARTED,
        None,
        0,
        0,  # No framework yet: it is copied when first needed.
    )
    # Agency B has an auditor and no lead: nobody can submit, so its auditor is the one to remind.
    assert row.holders == ()
    assert row.editors == row.remind == (person(cast, "auditor_b"),)


def test_the_states_and_the_people_to_remind(both_agencies: Cast, lead_b: User) -> None:
    cast = both_agencies
    rate_area(cast, person(cast, "auditor_a"), cast.agency_a, areas(cast)[0], Rating.PARTLY)
    assessment = rate_everything(cast, person(cast, "auditor_b"), cast.agency_b)
    self_assessment_submit(actor=lead_b, self_assessment=assessment, loaded_version=assessment.version)
    rows = {row.agency.short_code: row for row in progress(approved(cast))}
    assert list(rows) == ["AGB", "AGA"]  # The Terms of Reference's order.
    assert (rows["AGA"].state, rows["AGA"].rated, rows["AGA"].statements) == (State.IN_PROGRESS, 5, 28)
    assert rows["AGA"].holders == rows["AGA"].remind == (person(cast, "agency_lead_a"),)
    assert set(rows["AGA"].editors) == {person(cast, "agency_lead_a"), person(cast, "auditor_a")}
    assert (rows["AGB"].state, rows["AGB"].rated, rows["AGB"].is_submitted) == (State.SUBMITTED, 28, True)
    assert rows["AGB"].holders == (lead_b,)
    [waiting] = awaiting_submission(approved(cast))
    assert (waiting.agency, waiting.remind) == (cast.agency_a, (person(cast, "agency_lead_a"),))


def test_an_inactive_lead_is_not_reminded(cast: Cast, lead_b: User) -> None:
    lead_b.is_active = False
    lead_b.save()
    [row] = awaiting_submission(approved(cast))
    assert row.holders == ()
    assert row.remind == (person(cast, "auditor_b"),)


def test_the_number_of_queries_does_not_grow_with_the_agencies(cast: Cast) -> None:
    audit = approved(cast)
    rate_area(cast, person(cast, "auditor_b"), cast.agency_b, areas(cast)[0])
    with CaptureQueriesContext(connection) as few:
        progress(audit)
    for number in range(6):
        agency = AgencyFactory.create(partnership=cast.partnership, name=f"Extra {number}", short_code=f"EX{number}")
        add_wider_participant(cast, agency)
        lead = UserFactory.create()
        Membership.objects.create(user=lead, partnership=cast.partnership, role=Role.AGENCY_LEAD, agency=agency)
        rate_area(cast, lead, agency, areas(cast)[0])
    with CaptureQueriesContext(connection) as many:
        rows = progress(audit)
    assert len(rows) == 7
    assert len(many.captured_queries) == len(few.captured_queries) == 5
