"""What every self-assessment page needs: the audit and agency for this user, and the breadcrumbs.

Scoping, in the house's terms: 404 outside the user's reach (an audit they cannot see; an agency that is not in
section 6b, or not theirs when they do not oversee the audit), 403 where they may see the audit but have no part in
its self-assessment, or may see the page's object but not do what the page does.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse

from maca.audits.models import Audit
from maca.audits.views.common import acting_user, audit_crumbs, get_audit
from maca.partnerships.models import Agency

from ..rules import AgencyPart, may
from ..selectors import wider_agencies

TITLE = "Wider partnership self-assessment"


def audit_for_self_assessment(
    request: HttpRequest, reference: str, perm: str = "selfassessment.view_self_assessments"
) -> Audit:
    """The audit, if the user has a part in its self-assessment (`perm` on the audit): 404 / 403 otherwise."""
    audit = get_audit(request, reference)
    if not acting_user(request).has_perm(perm, audit):
        raise PermissionDenied
    return audit


@dataclass(frozen=True)
class AgencyPage:
    """An agency's part in the audit as this user reaches it: as one of the agency's own people (`own`: its leads
    and auditors), as one who oversees the audit (`oversees`: its coordinators and lead), or both."""

    audit: Audit
    agency: Agency
    own: bool
    oversees: bool

    @property
    def part(self) -> AgencyPart:
        return AgencyPart(self.audit, self.agency)


def agency_page(request: HttpRequest, reference: str, code: str) -> AgencyPage:
    """The agency `code` of section 6b for this user: 404 for an agency that is not in 6b or not within their reach."""
    audit = audit_for_self_assessment(request, reference)
    agency = next((agency for agency in wider_agencies(audit) if agency.short_code == code), None)
    if agency is None:
        raise Http404
    user = acting_user(request)
    own = may(user, "selfassessment.fill_in", AgencyPart(audit, agency))
    oversees = user.has_perm("selfassessment.oversee", audit)
    if not (own or oversees):
        raise Http404
    return AgencyPage(audit, agency, own, oversees)


def overview_url(audit: Audit) -> str:
    return reverse("selfassessment:overview", args=[audit.reference])


def agency_url(audit: Audit, agency: Agency) -> str:
    return reverse("selfassessment:agency", args=[audit.reference, agency.short_code])


def crumbs(audit: Audit, *trail: tuple[str, str]) -> list[dict[str, str]]:
    """Home › partnership › Audits › the audit › the self-assessment › trail (the last without a link)."""
    if not trail:
        return audit_crumbs(audit, (TITLE, ""))
    return audit_crumbs(audit, (TITLE, overview_url(audit)), *trail)


def agency_crumbs(page: AgencyPage, *trail: tuple[str, str]) -> list[dict[str, str]]:
    """… › the self-assessment › the agency › trail."""
    name = page.agency.name
    if not trail:
        return crumbs(page.audit, (name, ""))
    return crumbs(page.audit, (name, agency_url(page.audit, page.agency)), *trail)
