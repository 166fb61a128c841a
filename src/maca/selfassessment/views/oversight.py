"""The self-assessment as the coordinator and the audit lead see it: the agencies of section 6b with the state of
each and who holds it, the results (a table and radar charts), and returning a submitted one for changes.

The agencies' own people reach the overview too: it takes them to their agency's self-assessment.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from maca.audits.views.common import acting_user
from maca.common.views import form_page

from .. import services
from ..chart import BLUE, GREY, Series, describe, radar_svg
from ..forms import ReturnForm, add_service_errors
from ..models import SelfAssessment, State
from ..results import SCORE_DEFINITION, Results, results_for
from ..rules import AgencyPart, may
from ..selectors import framework_of, progress, wider_agencies
from .common import TITLE, agency_crumbs, agency_page, agency_url, audit_for_self_assessment, crumbs


@login_required
def overview(request: HttpRequest, reference: str) -> HttpResponse:
    """For those who oversee the audit: every agency of 6b with its state, progress and leads. For an agency's own
    people: their agency's self-assessment (or the list of their agencies, when they act for several)."""
    audit = audit_for_self_assessment(request, reference)
    user = acting_user(request)
    if not user.has_perm("selfassessment.oversee", audit):
        own = [a for a in wider_agencies(audit) if may(user, "selfassessment.fill_in", AgencyPart(audit, a))]
        if len(own) == 1:
            return redirect(agency_url(audit, own[0]))
        context = {"title": TITLE, "audit": audit, "agencies": own, "breadcrumbs": crumbs(audit)}
        return render(request, "selfassessment/own_agencies.html", context)
    rows = progress(audit)
    services.record_view(actor=user, audit=audit, obj=audit, what="progress of the self-assessments")
    framework = framework_of(audit)
    context = {
        "title": TITLE,
        "audit": audit,
        "rows": rows,
        "framework": framework,
        "approved": audit.tor_versions.exists(),
        "submitted": sum(1 for row in rows if row.is_submitted),
        "can_change_framework": user.has_perm("selfassessment.change_framework", audit),
        "breadcrumbs": crumbs(audit),
    }
    return render(request, "selfassessment/overview.html", context)


def charts(results: Results) -> list[dict[str, str]]:
    """The radar charts of the results: the partnership's mean, then each agency against that mean. None when there
    are fewer than three areas (a radar needs them) or no submitted self-assessment."""
    if len(results.areas) < 3 or not results.agencies:
        return []
    mean = Series("Partnership (mean of the agencies)", results.partnership, GREY, dashed=True)
    made: list[dict[str, str]] = []
    lines = [Series("Partnership (mean of the agencies)", results.partnership, BLUE)]
    made.append(
        {
            "heading": "The partnership",
            "svg": radar_svg(
                axes=results.areas,
                series=lines,
                title="Radar chart of the partnership’s mean score per area",
                description=describe(results.areas, lines),
                chart_id="radar-partnership",
            ),
        }
    )
    for agency in results.agencies:
        lines = [Series(agency.name, agency.scores, BLUE), mean]
        made.append(
            {
                "heading": agency.name,
                "svg": radar_svg(
                    axes=results.areas,
                    series=lines,
                    title=f"Radar chart of the scores of {agency.name} per area, with the partnership’s mean",
                    description=describe(results.areas, lines),
                    chart_id=f"radar-{agency.code.lower()}",
                ),
            }
        )
    return made


@login_required
def results_view(request: HttpRequest, reference: str) -> HttpResponse:
    """The results per area and agency: a table (the text alternative of the charts) and radar charts."""
    audit = audit_for_self_assessment(request, reference, perm="selfassessment.oversee")
    results = results_for(audit)
    services.record_view(actor=acting_user(request), audit=audit, obj=audit, what="results of the self-assessments")
    context = {
        "title": "Results of the self-assessments",
        "audit": audit,
        "results": results,
        "charts": charts(results),
        "definition": SCORE_DEFINITION,
        "breadcrumbs": crumbs(audit, ("Results", "")),
    }
    return render(request, "selfassessment/results.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def return_view(request: HttpRequest, reference: str, code: str) -> HttpResponse:
    """Return a submitted self-assessment to the agency for changes, with the reason (e-mailed to its leads)."""
    page = agency_page(request, reference, code)
    user = acting_user(request)
    if not may(user, "selfassessment.return", page.part):
        raise PermissionDenied
    assessment = SelfAssessment.objects.filter(audit=page.audit, agency=page.agency, state=State.SUBMITTED).first()
    if assessment is None:
        messages.error(request, f"Only a submitted self-assessment can be returned: {page.agency.name}’s is not.")
        return redirect(agency_url(page.audit, page.agency))
    form = ReturnForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.self_assessment_return(
                actor=user,
                self_assessment=assessment,
                reason=form.cleaned_data["reason"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The self-assessment of {page.agency.name} has been returned for changes.")
            return redirect(agency_url(page.audit, page.agency))
    return form_page(
        request,
        form,
        title=f"Return the self-assessment of {page.agency.name} for changes",
        caption=page.audit.title,
        crumbs=agency_crumbs(page, ("Return for changes", "")),
        submit_text="Return for changes",
    )
