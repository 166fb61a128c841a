"""The analysis of an audit: one page with every section (the narrative filtered by agency and in pages, by GET
parameters), and the same analysis as an XLSX workbook. Every view and every download is logged.

Who: `analysis.view_analysis` (`maca.analysis.rules`). Others who may see the audit are refused (403); those who
may not see it do not learn that it exists (404).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from maca.audits.models import Audit
from maca.audits.views.common import acting_user, audit_crumbs, get_audit
from maca.common.views import destroyed_page
from maca.partnerships.models import AccessAction
from maca.partnerships.services import access_log_record
from maca.returns.workbook import XLSX_CONTENT_TYPE

from .narrative import NarrativeItem, grouped, narrative
from .report import analysis_of
from .sections import sections
from .workbook import analysis_workbook

TITLE = "Analysis"
# Narrative answers per page: an audit of 200 cases holds tens of thousands of them.
NARRATIVE_PAGE_SIZE = 100


def _audit_for_analysis(request: HttpRequest, reference: str) -> Audit:
    """The audit, for one who may read its analysis: 404 outside the user's reach, 403 without the permission."""
    audit = get_audit(request, reference)
    if not acting_user(request).has_perm("analysis.view_analysis", audit):
        raise PermissionDenied
    return audit


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis
    href: str
    current: bool


def _narrative_query(agency: str, page: int) -> str:
    params = {"agency": agency} if agency else {}
    if page > 1:
        params["page"] = str(page)
    return f"?{urlencode(params)}#narrative" if params else "?#narrative"


def _page_links(page: Page[NarrativeItem], agency: str) -> list[PageLink]:
    if page.paginator.num_pages < 2:
        return []
    return [
        PageLink(number, _narrative_query(agency, number), number == page.number)
        if isinstance(number, int)
        else PageLink(None, "", False)
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]


@login_required
@require_GET
def overview(request: HttpRequest, reference: str) -> HttpResponse:
    """Every section of the analysis, and the narrative (of one agency with `?agency=CODE`; in pages, `?page=N`)."""
    audit = _audit_for_analysis(request, reference)
    gone = destroyed_page(request, audit, title=TITLE, crumbs=audit_crumbs(audit, (TITLE, "")))
    if gone is not None:
        return gone
    analysis = analysis_of(audit)
    codes = {agency.short_code for agency in analysis.data.agencies}
    agency = request.GET.get("agency", "")
    agency = agency if agency in codes else ""
    page = Paginator(narrative(analysis.data, agency=agency), NARRATIVE_PAGE_SIZE).get_page(request.GET.get("page"))
    access_log_record(
        actor=acting_user(request),
        partnership=audit.partnership,
        action=AccessAction.VIEWED,
        obj=audit,
        changes={"viewed": [None, f"analysis (narrative of {agency})" if agency else "analysis"]},
    )
    context = {
        "title": TITLE,
        "audit": audit,
        "data": analysis.data,
        "sections": sections(analysis),
        "narrative_groups": grouped(list(page.object_list)),
        "narrative_page": page,
        "narrative_links": _page_links(page, agency),
        "previous_href": _narrative_query(agency, page.number - 1) if page.has_previous() else "",
        "next_href": _narrative_query(agency, page.number + 1) if page.has_next() else "",
        "agencies": analysis.data.agencies,
        "agency": agency,
        "breadcrumbs": audit_crumbs(audit, (TITLE, "")),
    }
    return render(request, "analysis/overview.html", context)


@login_required
@require_GET
def download(request: HttpRequest, reference: str) -> HttpResponse:
    """The analysis as an XLSX workbook: a sheet per section, numbers as numbers, no formulas."""
    audit = _audit_for_analysis(request, reference)
    gone = destroyed_page(request, audit, title=TITLE, crumbs=audit_crumbs(audit, (TITLE, "")), status=410)
    if gone is not None:
        return gone
    content = analysis_workbook(analysis_of(audit))
    access_log_record(
        actor=acting_user(request),
        partnership=audit.partnership,
        action=AccessAction.EXPORTED,
        obj=audit,
        changes={"exported": [None, "analysis (XLSX)"]},
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{audit.reference}-analysis.xlsx"'
    return response
