"""An agency's own self-assessment: the task list of areas, one page per area (a rating and evidence for each
statement, and evidence files), checking the answers and signing off, and the evidence files.

The agency's leads and auditors fill it in; its leads sign it off. Those who oversee the audit see its progress
while it is a draft, and everything once it is submitted. Every view, change and download is logged.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from maca.audits.views.common import acting_user
from maca.common.scoping import get_for_user
from maca.common.versioning import CHANGED_SINCE_LOADED_MESSAGE, ChangedSinceLoaded

from .. import services
from ..completeness import Gap, area_progress, submission_gaps
from ..forms import AreaAnswersForm, SubmitForm, add_service_errors
from ..models import Area, EvidenceFile, Framework, SelfAssessment, State
from ..rules import may
from ..selectors import answers_of, evidence_files_visible_to, files_by_area, framework_of
from .common import AgencyPage, agency_crumbs, agency_page, agency_url


def _assessment(page: AgencyPage) -> SelfAssessment | None:
    return SelfAssessment.objects.filter(audit=page.audit, agency=page.agency).first()


def _framework(request: HttpRequest, page: AgencyPage) -> Framework | None:
    """The framework, copied from the library the first time an agency's own people need it; as it is (or None)
    for those who only oversee."""
    if page.own and page.audit.tor_versions.exists():
        services.framework_ensure(actor=acting_user(request), audit=page.audit)
    return framework_of(page.audit)


def _own_page(request: HttpRequest, reference: str, code: str) -> AgencyPage:
    """The agency, for its own people only (those who only oversee may not fill it in: 403)."""
    page = agency_page(request, reference, code)
    if not page.own:
        raise PermissionDenied
    return page


def _area_url(page: AgencyPage, position: int) -> str:
    return reverse("selfassessment:area", args=[page.audit.reference, page.agency.short_code, position])


def _check_url(page: AgencyPage) -> str:
    return reverse("selfassessment:check", args=[page.audit.reference, page.agency.short_code])


@login_required
def agency_view(request: HttpRequest, reference: str, code: str) -> HttpResponse:
    """The agency's self-assessment: for its own people the task list of areas (or, once submitted, the answers);
    for those who oversee the audit its progress, and its answers once submitted."""
    page = agency_page(request, reference, code)
    user = acting_user(request)
    framework = _framework(request, page)
    areas = list(framework.areas.prefetch_related("statements")) if framework else []
    assessment = _assessment(page)
    shows_answers = page.own or (assessment is not None and assessment.is_submitted)
    answers = answers_of(assessment) if shows_answers else {}
    files = files_by_area(assessment) if shows_answers else {}
    tasks = area_progress(areas, answers, {pk: len(items) for pk, items in files.items()})
    services.record_view(
        actor=user,
        audit=page.audit,
        obj=assessment or page.audit,
        what=f"self-assessment of {page.agency.name}" if shows_answers else f"progress of {page.agency.name}",
    )
    context = {
        "title": f"Self-assessment of {page.agency.name}",
        "audit": page.audit,
        "agency": page.agency,
        "page": page,
        "framework": framework,
        "assessment": assessment,
        "state": State(assessment.state) if assessment else State.NOT_STARTED,
        "shows_answers": shows_answers,
        "tasks": tasks,
        "answers": answers,
        "files": files,
        "statements": sum(task.statements for task in tasks),
        "rated": sum(1 for answer in answers_of(assessment).values() if answer.rating),
        "leads": services.leads_of(page.agency),
        "can_return": assessment is not None
        and assessment.is_submitted
        and may(user, "selfassessment.return", page.part),
        "breadcrumbs": agency_crumbs(page),
    }
    return render(request, "selfassessment/agency.html", context)


def _next_url(page: AgencyPage, area: Area, then: str) -> str:
    if then == "tasks":
        return agency_url(page.audit, page.agency)
    later = area.framework.areas.filter(position__gt=area.position).order_by("position").first()
    return _area_url(page, later.position) if later else _check_url(page)


@login_required
@require_http_methods(["GET", "POST"])
def area_view(request: HttpRequest, reference: str, code: str, position: int) -> HttpResponse:
    """One area: for each statement its rating and evidence, and the area's evidence files. Saving keeps a draft:
    nothing needs to be complete until the self-assessment is submitted."""
    page = _own_page(request, reference, code)
    user = acting_user(request)
    framework = _framework(request, page)
    if framework is None:
        messages.error(request, "The self-assessment starts once the Terms of Reference has been approved.")
        return redirect(agency_url(page.audit, page.agency))
    area = get_object_or_404(framework.areas.prefetch_related("statements"), position=position)
    assessment = _assessment(page)
    if assessment is not None and assessment.is_submitted:
        messages.error(
            request, "The self-assessment has been submitted: ask the coordinator to return it to change it."
        )
        return redirect(agency_url(page.audit, page.agency))

    def make(data: object = None, files: object = None) -> AreaAnswersForm:
        current = answers_of(_assessment(page))
        return AreaAnswersForm(data, files, area=area, answers=current)

    status = 200
    form = make(request.POST, request.FILES) if request.method == "POST" else make()
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.self_assessment_save_area(
                    actor=user,
                    audit=page.audit,
                    agency=page.agency,
                    area=area,
                    answers=form.answers(),
                    evidence=form.evidence(),
                )
            except ChangedSinceLoaded:
                messages.error(request, CHANGED_SINCE_LOADED_MESSAGE.format(what="self-assessment"))
                form, status = make(), 409
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Your answers for area {area.position}, {area.name}, have been saved.")
                return redirect(_next_url(page, area, str(request.POST.get("then", ""))))
    else:
        services.record_view(
            actor=user, audit=page.audit, obj=assessment or page.audit, what=f"area {area.position} of {page.agency}"
        )
    context = {
        "title": f"{area.position}. {area.name}",
        "audit": page.audit,
        "agency": page.agency,
        "area": area,
        "form": form,
        "files": files_by_area(_assessment(page)).get(area.pk, []),
        "breadcrumbs": agency_crumbs(page, (f"Area {area.position}", "")),
    }
    return render(request, "selfassessment/area.html", context, status=status)


def _gap_lines(page: AgencyPage, areas: list[Area], gaps: list[Gap]) -> list[dict[str, str]]:
    """What is missing, each with a link to the field that puts it right; an area not started is one line."""
    lines = []
    for area in areas:
        missing = [gap for gap in gaps if gap.area.pk == area.pk]
        url = _area_url(page, area.position)
        if missing and len(missing) == len(area.statements.all()) and all(g.field == "rating" for g in missing):
            lines.append({"href": url, "message": f"Area {area.position}, {area.name}: no statement is rated yet"})
            continue
        for gap in missing:
            target = f"id_rating_{gap.statement.pk}_0" if gap.field == "rating" else f"id_evidence_{gap.statement.pk}"
            lines.append({"href": f"{url}#{target}", "message": gap.message})
    return lines


@login_required
@require_http_methods(["GET", "POST"])
def check_view(request: HttpRequest, reference: str, code: str) -> HttpResponse:
    """Check your answers, then (for the agency's lead) sign off and submit."""
    page = _own_page(request, reference, code)
    user = acting_user(request)
    can_submit = may(user, "selfassessment.submit", page.part)
    if request.method == "POST" and not can_submit:
        raise PermissionDenied
    framework = _framework(request, page)
    assessment = _assessment(page)
    if assessment is not None and assessment.is_submitted:
        messages.error(request, "The self-assessment has been submitted.")
        return redirect(agency_url(page.audit, page.agency))
    areas = list(framework.areas.prefetch_related("statements")) if framework else []
    answers = answers_of(assessment)
    gaps = submission_gaps(areas, answers)
    posted = request.POST if request.method == "POST" else None
    form = SubmitForm(posted, initial={"version": assessment.version if assessment else 1})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and assessment is not None:
            try:
                services.self_assessment_submit(
                    actor=user, self_assessment=assessment, loaded_version=form.cleaned_data["version"]
                )
            except ChangedSinceLoaded:
                messages.error(request, CHANGED_SINCE_LOADED_MESSAGE.format(what="self-assessment"))
                return redirect(_check_url(page))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, f"The self-assessment of {page.agency.name} has been signed off and submitted."
                )
                return redirect(agency_url(page.audit, page.agency))
        elif assessment is None:
            form.add_error(None, "Rate the statements of every area before submitting")
    else:
        services.record_view(
            actor=user, audit=page.audit, obj=assessment or page.audit, what=f"answers of {page.agency} to check"
        )
    files = files_by_area(assessment)
    context = {
        "title": "Check your answers before submitting",
        "audit": page.audit,
        "agency": page.agency,
        "areas": [
            {
                "area": area,
                "rows": [(statement, answers.get(statement.pk)) for statement in area.statements.all()],
                "files": files.get(area.pk, []),
            }
            for area in areas
        ],
        "gaps": _gap_lines(page, areas, gaps),
        "form": form,
        "can_submit": can_submit,
        "leads": services.leads_of(page.agency),
        "breadcrumbs": agency_crumbs(page, ("Check your answers", "")),
    }
    return render(request, "selfassessment/check.html", context, status=status)


def _evidence(request: HttpRequest, page: AgencyPage, pk: int) -> EvidenceFile:
    """An evidence file of the agency's self-assessment that the user may read (404 otherwise)."""
    return get_for_user(
        request.user,
        evidence_files_visible_to,
        pk=pk,
        self_assessment__audit=page.audit,
        self_assessment__agency=page.agency,
    )


@login_required
def evidence_download(request: HttpRequest, reference: str, code: str, pk: int) -> HttpResponseBase:
    """An evidence file, as an attachment, for those who may read the self-assessment it belongs to (logged)."""
    page = agency_page(request, reference, code)
    evidence = get_for_user(
        request.user,
        evidence_files_visible_to,
        pk=pk,
        self_assessment__audit=page.audit,
        self_assessment__agency=page.agency,
    )
    try:
        handle = evidence.file.open("rb")
    except OSError as error:
        raise Http404 from error
    services.record_view(
        actor=acting_user(request),
        audit=page.audit,
        obj=evidence.self_assessment,
        what=f"evidence file {evidence.pk} of area {evidence.area.position}",
    )
    response = FileResponse(handle, as_attachment=True, filename=evidence.name, content_type=evidence.content_type)
    # Downloaded, never shown: and should a browser show it all the same, it runs nothing and loads nothing. The type
    # is the one recognised from the file's content, and nosniff (every response's) keeps the browser to it.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def evidence_remove(request: HttpRequest, reference: str, code: str, pk: int) -> HttpResponse:
    """Remove an evidence file from a self-assessment not yet submitted (a confirmation page first)."""
    page = _own_page(request, reference, code)
    evidence = get_for_user(
        request.user,
        evidence_files_visible_to,
        pk=pk,
        self_assessment__audit=page.audit,
        self_assessment__agency=page.agency,
    )
    back = _area_url(page, evidence.area.position)
    if evidence.self_assessment.is_submitted:
        messages.error(request, "The self-assessment has been submitted: its evidence files cannot be removed.")
        return redirect(agency_url(page.audit, page.agency))
    if request.method == "POST":
        try:
            services.evidence_file_remove(actor=acting_user(request), evidence=evidence)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(agency_url(page.audit, page.agency))
        messages.success(request, f"The evidence file {evidence.name} has been removed.")
        return redirect(back)
    context = {
        "title": f"Remove the evidence file {evidence.name}?",
        "audit": page.audit,
        "evidence": evidence,
        "back": back,
        "breadcrumbs": agency_crumbs(page, (f"Area {evidence.area.position}", back), ("Remove a file", "")),
    }
    return render(request, "selfassessment/evidence_remove.html", context)
