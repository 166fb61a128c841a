"""What every member of the test cast gets from the outputs' URLs (merged into maca.tests.url_expectations).

All on the cast's approved audit. Its outputs are read by the coordinator, the audit lead and the governance reader
of the Business Group the audit reports to (the cast has no panel member); agency A's and B's people see the audit
but not its outputs (403); the outsider learns nothing (404). The coordinator and the audit lead write the
briefing's own words; only the audit lead publishes. A published briefing is for practitioners: everyone who sees the
audit reads it. The public pages of a public briefing are for anyone, logged in or not.

Each URL's state is made by its kwargs: signed-off findings for the outputs themselves (before sign-off they send
readers back to the overview, saying what is missing), a published briefing for the publications' pages.
"""

from typing import Any

from maca.findings.tests.expectations import moderators, readers
from maca.findings.tests.factories import lead, sign_off
from maca.tests.cast import Cast
from maca.tests.url_expectations import Expect, _approved, everyone, partnership_members

from ..models import Audience, Layout, Publication
from ..services import publication_publish


def _signed_off(cast: Cast) -> dict[str, Any]:
    sign_off(cast)
    return _approved(cast)


def _document(cast: Cast) -> dict[str, Any]:
    return {**_signed_off(cast), "layout": Layout.REPORT.value, "audience": Audience.PROFESSIONALS.value}


def _download(cast: Cast) -> dict[str, Any]:
    return {**_document(cast), "fmt": "html"}


def published(cast: Cast, audience: str = Audience.PUBLIC) -> Publication:
    """The audit lead publishes the learning briefing of the approved audit (its findings signed off first)."""
    sign_off(cast)
    assert cast.approved_audit is not None
    return publication_publish(actor=lead(cast), audit=cast.approved_audit, layout=Layout.BRIEFING, audience=audience)


def _publication(cast: Cast) -> dict[str, Any]:
    return {**_approved(cast), "number": published(cast, Audience.PROFESSIONALS).number}


def _publication_file(cast: Cast) -> dict[str, Any]:
    return {**_publication(cast), "name": "briefing.pdf"}


def _public(cast: Cast) -> dict[str, Any]:
    published(cast)
    return _approved(cast)


def _public_version(cast: Cast) -> dict[str, Any]:
    return {**_approved(cast), "number": published(cast).number}


def _public_file(cast: Cast) -> dict[str, Any]:
    return {**_public_version(cast), "name": "briefing.pdf"}


OUTPUTS_EXPECTATIONS: dict[str, Expect] = {
    # Before sign-off the overview says what is missing; readers see it all the same.
    "outputs:overview": Expect(readers(), _approved),
    "outputs:document": Expect(readers(), _document),
    "outputs:download": Expect(readers(), _download),
    "outputs:briefing_text": Expect(moderators(), _approved, writes=True),
    "outputs:publish": Expect(moderators(lead=200, coordinator=403), _signed_off, writes=True),
    # A published briefing is for practitioners: everyone who sees the audit.
    "outputs:publication": Expect(partnership_members(), _publication),
    "outputs:publication_file": Expect(partnership_members(), _publication_file),
    # The public pages of a published public briefing: anyone, logged in or not.
    "outputs:public": Expect(everyone(200), _public),
    "outputs:public_version": Expect(everyone(200), _public_version),
    "outputs:public_file": Expect(everyone(200), _public_file),
}
