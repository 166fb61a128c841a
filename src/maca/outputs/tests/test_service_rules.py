"""The writes of outputs refuse, by themselves, whoever their pages refuse: the briefing's own words are the
coordinator's and the audit lead's, publishing is the audit lead's alone. Nothing is saved or logged when refused."""

import re
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.outputs import services
from maca.outputs.models import Audience, BriefingText, Layout, Publication
from maca.partnerships.models import AccessLogEntry
from maca.tests.cast import Cast

pytestmark = pytest.mark.django_db

Call = Callable[[Audit, User], object]
OUTSIDE = ("agency_lead_a", "auditor_a", "auditor_b", "governance_reader", "outsider")
CALLS: dict[str, tuple[Call, tuple[str, ...]]] = {
    "briefing_text_save": (
        lambda audit, actor: services.briefing_text_save(
            actor=actor, audit=audit, issued_by=None, texts={"purpose": "To learn."}, loaded_version=0
        ),
        OUTSIDE,
    ),
    "publication_publish": (
        lambda audit, actor: services.publication_publish(
            actor=actor, audit=audit, layout=Layout.BRIEFING, audience=Audience.PUBLIC
        ),
        ("coordinator", *OUTSIDE),
    ),
}
REFUSED_SERVICES = {f"maca.outputs.services.{name}" for name in CALLS}


@pytest.mark.parametrize("service", sorted(CALLS))
def test_outputs_are_written_and_published_by_those_their_pages_let_through(cast: Cast, service: str) -> None:
    audit = cast.approved_audit
    assert audit is not None
    call, refused = CALLS[service]
    logged = AccessLogEntry.objects.count()
    for name in refused:
        person = cast[name]
        assert person is not None
        with pytest.raises(PermissionDenied, match=re.escape(person.email)):
            call(audit, person)
    assert AccessLogEntry.objects.count() == logged
    assert not BriefingText.objects.exists()
    assert not Publication.objects.exists()
