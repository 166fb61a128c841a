"""Return pages: the audit's returns (the progress matrix for the coordinator, an agency's own returns), a return's
task list and its pages, check your answers and submit, assignment, the agency lead's decision, re-opening, the
history, and opening moderation. Every view of a return's content is logged."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from maca.audits.models import Audit
from maca.audits.views.common import acting_user, audit_crumbs, get_audit
from maca.cases.criteria import age_on, audit_date, topic_text
from maca.cases.models import Case, Decision
from maca.common.forms import GovukBoundField
from maca.common.scoping import get_for_user
from maca.common.versioning import CHANGED_SINCE_LOADED_MESSAGE, ChangedSinceLoaded
from maca.common.views import form_page
from maca.partnerships.models import AccessAction, Membership, Role
from maca.partnerships.services import access_log_record

from . import forms, services
from .content import Missing, Section, missing, sections, summary
from .deadlines import returns_due
from .models import AgencyReturn, ReturnStatus
from .reminders import holders
from .selectors import readable_returns, returns_visible_to

WORKBOOK_ROLES = (Role.AGENCY_LEAD, Role.AUDITOR)


def _audit_for_returns(request: HttpRequest, reference: str, perm: str = "returns.view_returns") -> Audit:
    audit = get_audit(request, reference)
    if not acting_user(request).has_perm(perm, audit):
        raise PermissionDenied
    prefetch_related_objects([audit], "case_fields")
    return audit


def _return(request: HttpRequest, reference: str, case: str, code: str, perm: str) -> tuple[Audit, AgencyReturn]:
    audit = _audit_for_returns(request, reference)
    found = get_for_user(
        request.user, returns_visible_to, perm=perm, audit=audit, case__reference=case, agency__short_code=code
    )
    found.audit = audit
    return audit, found


def _url(agency_return: AgencyReturn, name: str = "detail", *extra: Any) -> str:
    args = [agency_return.audit.reference, agency_return.case.reference, agency_return.agency.short_code, *extra]
    return reverse(f"returns:{name}", args=args)


def section_url(agency_return: AgencyReturn, section: Section) -> str:
    if section.theme is not None:
        return _url(agency_return, "theme", section.theme.pk)
    return _url(agency_return, section.key)


def _crumbs(agency_return: AgencyReturn, last: str = "") -> list[dict[str, str]]:
    audit = agency_return.audit
    trail = [("Returns", reverse("returns:list", args=[audit.reference]))]
    title = f"{agency_return.case} – {agency_return.agency}"
    trail.append((title, _url(agency_return) if last else ""))
    if last:
        trail.append((last, ""))
    return audit_crumbs(audit, *trail)


def _log_view(request: HttpRequest, agency_return: AgencyReturn, page: str = "") -> None:
    access_log_record(
        actor=acting_user(request),
        partnership=agency_return.audit.partnership,
        action=AccessAction.VIEWED,
        obj=agency_return,
        changes={"page": [None, page]} if page else {},
        agency=agency_return.agency,
    )


def _profile(case: Case, audit: Audit) -> list[tuple[str, str]]:
    """The child's pseudonymous profile, as the return's pages show it to whoever writes or reads the return."""
    day = audit_date(audit)
    rows = [
        (
            "Age",
            f"{age_on(case.birth_month, case.concern_date)} at the concern, {age_on(case.birth_month, day)} at the "
            f"audit",
        ),
        ("Gender", case.get_gender_display()),
        ("Ethnicity", case.get_ethnicity_display() if case.ethnicity else "Not recorded"),
        ("Special educational needs", case.get_send_display()),
        ("Disability", case.get_disability_display()),
        ("Adverse childhood experiences", case.get_aces_display()),
        ("Concern first recorded", f"{case.concern_date.day} {case.concern_date:%B %Y}"),
    ]
    rows += [(case_field.label, topic_text(case_field, case)) for case_field in audit.case_fields.all()]
    return rows


def _holder(agency_return: AgencyReturn) -> str:
    """Who holds the return now: its auditor while it is being written, the agency lead once it is submitted."""
    if agency_return.status == ReturnStatus.SUBMITTED:
        return f"{agency_return.agency} lead"
    if agency_return.status == ReturnStatus.ACCEPTED:
        return "—"
    if agency_return.assigned_to:
        return agency_return.assigned_to.get_full_name() or agency_return.assigned_to.email
    return f"{agency_return.agency} lead (not assigned yet)"


@login_required
def return_list(request: HttpRequest, reference: str) -> HttpResponse:
    """The progress matrix (cases × agencies) for the coordinator and the audit lead; the returns the user's
    agencies hold, or (in moderation) the submitted returns the panel reads."""
    audit = _audit_for_returns(request, reference)
    user = acting_user(request)
    visible = list(returns_visible_to(user).filter(audit=audit))
    for agency_return in visible:
        agency_return.holder = _holder(agency_return)  # type: ignore[attr-defined]
    matrix = None
    if user.has_perm("returns.view_progress", audit):
        cases = list(Case.objects.filter(audit=audit, decision=Decision.INCLUDED).order_by("reference"))
        agencies = sorted({r.agency for r in visible}, key=lambda agency: agency.name)
        cells = {(r.case_id, r.agency_id): r for r in visible}
        matrix = {
            "agencies": agencies,
            "rows": [
                {"case": case, "cells": [cells.get((case.pk, agency.pk)) for agency in agencies]} for case in cases
            ],
            "counts": {status.label: sum(1 for r in visible if r.status == status) for status in ReturnStatus},
        }
    own = readable_returns(user, audit, visible)
    # The offline workbook of each agency the user writes returns for (its leads upload it).
    roles = dict(
        Membership.objects.filter(user=user, agency__in={r.agency_id for r in visible}, role__in=WORKBOOK_ROLES)
        .order_by("-role")  # a lead as well as an auditor counts as the lead
        .values_list("agency_id", "role")
    )
    workbooks = [
        {"agency": agency, "upload": roles[agency.pk] == Role.AGENCY_LEAD}
        for agency in sorted({r.agency for r in visible if r.agency_id in roles}, key=lambda agency: agency.name)
    ]
    context = {
        "title": "Returns",
        "audit": audit,
        "due": returns_due(audit),
        "matrix": matrix,
        "own": own,
        "workbooks": workbooks,
        "can_moderate": user.has_perm("findings.moderate", audit),
        "can_open_moderation": user.has_perm("returns.open_moderation", audit) and not audit.moderation_opened_at,
        "breadcrumbs": audit_crumbs(audit, ("Returns", "")),
    }
    return render(request, "returns/list.html", context)


@login_required
def return_detail(request: HttpRequest, reference: str, case: str, code: str) -> HttpResponse:
    """The task list of a return being written, or the whole return to read once it is submitted."""
    audit, found = _return(request, reference, case, code, "returns.read_return")
    user = acting_user(request)
    _log_view(request, found)
    parts = summary(found, audit)
    for part in parts:
        part.url = section_url(found, part.section)  # type: ignore[attr-defined]
    context = {
        "title": f"{found.agency}’s return for case {found.case}",
        "audit": audit,
        "ret": found,
        "parts": parts,
        "holder": _holder(found),
        "due": returns_due(audit),
        "profile": _profile(found.case, audit),
        "can_edit": user.has_perm("returns.edit_return", found),
        "can_assign": found.is_editable and user.has_perm("returns.assign_return", found),
        "can_decide": found.status == ReturnStatus.SUBMITTED and user.has_perm("returns.decide_return", found),
        "can_reopen": found.status in (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED)
        and user.has_perm("returns.reopen_return", found),
        "can_see_history": user.has_perm("returns.view_history", found),
        "completed": sum(1 for part in parts if part.state == "Completed"),
        "breadcrumbs": _crumbs(found),
    }
    return render(request, "returns/detail.html", context)


def _edit_section(
    request: HttpRequest,
    audit: Audit,
    found: AgencyReturn,
    section: Section,
    make: Any,
    save: Any,
    template_context: dict[str, Any],
) -> HttpResponse:
    """A page of the return: saved, then on to the next page (or back to the task list)."""
    form = make(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.return_save(
                    actor=acting_user(request),
                    agency_return=found,
                    loaded_version=form.cleaned_data["version"],
                    section=section.title,
                    **save(form),
                )
            except ChangedSinceLoaded:
                messages.error(request, CHANGED_SINCE_LOADED_MESSAGE.format(what="return"))
                found.refresh_from_db()
                form, status = make(None), 409
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, f"“{section.title}” has been saved.")
                if "continue" in request.POST:
                    pages = sections(audit)
                    after = pages.index(section) + 1
                    return redirect(section_url(found, pages[after]) if after < len(pages) else _url(found, "check"))
                return redirect(_url(found))
    if request.method == "GET":
        _log_view(request, found, section.title)
    context = {
        "title": section.title,
        "audit": audit,
        "ret": found,
        "form": form,
        "section": section,
        "breadcrumbs": _crumbs(found, section.title),
        **template_context,
    }
    return render(request, "returns/section.html", context, status=status)


def _editable(request: HttpRequest, reference: str, case: str, code: str) -> tuple[Audit, AgencyReturn]:
    audit, found = _return(request, reference, case, code, "returns.read_return")
    if not acting_user(request).has_perm("returns.edit_return", found):
        raise PermissionDenied
    return audit, found


@login_required
@require_http_methods(["GET", "POST"])
def return_theme(request: HttpRequest, reference: str, case: str, code: str, theme: int) -> HttpResponse:
    audit, found = _editable(request, reference, case, code)
    section = next((s for s in sections(audit) if s.theme is not None and s.theme.pk == theme), None)
    if section is None or section.theme is None:
        raise Http404
    current = section.theme

    def make(data: Any) -> forms.ThemeForm:
        return forms.ThemeForm(data, audit=audit, theme=current, agency_return=found)

    def save(form: forms.ThemeForm) -> dict[str, Any]:
        return {"answers": form.answers(), "judgement": (str(current.pk), form.judgement())}

    objectives = list(current.objectives)
    return _edit_section(request, audit, found, section, make, save, {"objectives": objectives, "kind": "theme"})


@login_required
@require_http_methods(["GET", "POST"])
def return_sharing(request: HttpRequest, reference: str, case: str, code: str) -> HttpResponse:
    audit, found = _editable(request, reference, case, code)
    section = next(s for s in sections(audit) if s.key == "sharing")

    def make(data: Any) -> forms.SharingForm:
        return forms.SharingForm(data, audit=audit, agency_return=found)

    def save(form: forms.SharingForm) -> dict[str, Any]:
        return {"sharing": form.sharing()}

    return _edit_section(request, audit, found, section, make, save, {"kind": "sharing"})


@login_required
@require_http_methods(["GET", "POST"])
def return_profile(request: HttpRequest, reference: str, case: str, code: str) -> HttpResponse:
    audit, found = _editable(request, reference, case, code)
    section = next((s for s in sections(audit) if s.key == "profile"), None)
    if section is None:
        raise Http404

    def make(data: Any) -> forms.ProfileForm:
        return forms.ProfileForm(data, audit=audit, agency_return=found)

    def save(form: forms.ProfileForm) -> dict[str, Any]:
        return {"topic_values": form.topic_values()}

    return _edit_section(request, audit, found, section, make, save, {"kind": "profile"})


def _section_form(audit: Audit, found: AgencyReturn, section: Section) -> forms.ReturnForm:
    if section.theme is not None:
        return forms.ThemeForm(None, audit=audit, theme=section.theme, agency_return=found)
    if section.key == "sharing":
        return forms.SharingForm(None, audit=audit, agency_return=found)
    return forms.ProfileForm(None, audit=audit, agency_return=found)


def _anchor(audit: Audit, found: AgencyReturn, item: Missing) -> str:
    """The id of the field's first input on its page (a radio's first option, a date's day)."""
    bound = _section_form(audit, found, item.section)[item.field]
    return bound.first_input_id if isinstance(bound, GovukBoundField) else bound.auto_id


@login_required
@require_http_methods(["GET", "POST"])
def return_check(request: HttpRequest, reference: str, case: str, code: str) -> HttpResponse:
    """Check your answers, then submit: anything required still unanswered is listed, each linked to its field."""
    audit, found = _editable(request, reference, case, code)
    status = 200
    problems: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", "0"))
            services.return_submit(actor=acting_user(request), agency_return=found, loaded_version=version)
        except ChangedSinceLoaded:
            messages.error(request, CHANGED_SINCE_LOADED_MESSAGE.format(what="return"))
            found.refresh_from_db()
            status = 409
        except (ValidationError, ValueError):
            status = 400
            found.refresh_from_db()
        else:
            messages.success(request, f"The return for {found.case} has been submitted to {found.agency}’s lead.")
            return redirect(_url(found))
    if status == 400:
        problems = [
            {"message": item.message, "href": f"{section_url(found, item.section)}#{_anchor(audit, found, item)}"}
            for item in missing(found, audit)
        ]
    if request.method == "GET":
        _log_view(request, found, "Check your answers")
    parts = summary(found, audit)
    for part in parts:
        part.url = section_url(found, part.section)  # type: ignore[attr-defined]
    context = {
        "title": "Check your answers before submitting the return",
        "audit": audit,
        "ret": found,
        "parts": parts,
        "problems": problems,
        "breadcrumbs": _crumbs(found, "Check your answers"),
    }
    return render(request, "returns/check.html", context, status=status)


def _act_on_return(
    request: HttpRequest,
    audit: Audit,
    found: AgencyReturn,
    *,
    allowed: bool,
    refused: str,
    form: Any,
    act: Any,
    field: str | None,
    title: str,
    crumb: str,
    submit: str,
) -> HttpResponse:
    """A page with one form that moves a return on: refused with `refused` (back to the return) unless `allowed`;
    `act(cleaned_data)` calls the service and returns the success message; a refusal by the service is put on
    `field` (or on the whole form)."""
    if not allowed:
        messages.error(request, f"The return is {found.get_status_display().lower()}: {refused}")
        return redirect(_url(found))
    if form.is_valid():
        try:
            done = act(form.cleaned_data)
        except ValidationError as error:
            form.add_error(field, error.messages)
        else:
            messages.success(request, done)
            return redirect(_url(found))
    return form_page(request, form, title=title, caption=audit.title, crumbs=_crumbs(found, crumb), submit_text=submit)


@login_required
@require_http_methods(["GET", "POST"])
def return_assign(request: HttpRequest, reference: str, case: str, code: str) -> HttpResponse:
    audit, found = _return(request, reference, case, code, "returns.assign_return")
    people = services.assignable_people(found)

    def act(data: dict[str, Any]) -> str:
        services.return_assign(actor=acting_user(request), agency_return=found, auditor=data["auditor"])
        return f"The return is now with {data['auditor'].email}."

    return _act_on_return(
        request,
        audit,
        found,
        allowed=found.is_editable,
        refused="it is not being written now.",
        form=forms.AssignForm(request.POST or None, people=people, initial={"auditor": found.assigned_to_id}),
        act=act,
        field="auditor",
        title=f"Who completes {found.agency}’s return for {found.case}?",
        crumb="Assign",
        submit="Assign",
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_decide(request: HttpRequest, reference: str, case: str, code: str) -> HttpResponse:
    audit, found = _return(request, reference, case, code, "returns.decide_return")

    def act(data: dict[str, Any]) -> str:
        accept = data["decision"] == "accept"
        services.return_decide(actor=acting_user(request), agency_return=found, accept=accept, reason=data["reason"])
        return f"The return for {found.case} has been {'accepted' if accept else 'returned for amendment'}."

    return _act_on_return(
        request,
        audit,
        found,
        allowed=found.status == ReturnStatus.SUBMITTED,
        refused="there is nothing to decide.",
        form=forms.DecisionForm(request.POST or None),
        act=act,
        field=None,
        title=f"Accept {found.agency}’s return for {found.case}?",
        crumb="Decision",
        submit="Save the decision",
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_reopen(request: HttpRequest, reference: str, case: str, code: str) -> HttpResponse:
    audit, found = _return(request, reference, case, code, "returns.reopen_return")

    def act(data: dict[str, Any]) -> str:
        services.return_reopen(actor=acting_user(request), agency_return=found, reason=data["reason"])
        return f"The return for {found.case} is open again for {found.agency}."

    return _act_on_return(
        request,
        audit,
        found,
        allowed=found.status in (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED),
        refused="it is open already.",
        form=forms.ReasonForm(request.POST or None),
        act=act,
        field=None,
        title=f"Re-open {found.agency}’s return for {found.case}",
        crumb="Re-open",
        submit="Re-open the return",
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_remind(request: HttpRequest, reference: str, case: str, code: str) -> HttpResponse:
    """Send a reminder now to whoever holds a return not yet submitted (a confirmation page first)."""
    audit, found = _return(request, reference, case, code, "returns.remind_return")
    if not found.is_editable:
        messages.error(request, f"The return is {found.get_status_display().lower()}: nobody needs reminding.")
        return redirect("returns:list", audit.reference)
    if request.method == "POST":
        try:
            sent = services.return_remind(actor=acting_user(request), agency_return=found)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"A reminder has been sent to {', '.join(sent) or 'nobody'}.")
        return redirect("returns:list", audit.reference)
    context = {
        "title": f"Remind {found.agency} about the return for {found.case}?",
        "audit": audit,
        "ret": found,
        "people": holders(found),
        "due": returns_due(audit),
        "breadcrumbs": audit_crumbs(
            audit, ("Returns", reverse("returns:list", args=[audit.reference])), ("Send a reminder", "")
        ),
    }
    return render(request, "returns/remind.html", context)


@login_required
def return_history(request: HttpRequest, reference: str, case: str, code: str) -> HttpResponse:
    """Every save, submission and decision, with the fields each save changed."""
    audit, found = _return(request, reference, case, code, "returns.view_history")
    access_log_record(
        actor=acting_user(request),
        partnership=audit.partnership,
        action=AccessAction.VIEWED,
        obj=found,
        changes={"history": [None, "read"]},
        agency=found.agency,
    )
    context = {
        "title": f"History of {found.agency}’s return for {found.case}",
        "audit": audit,
        "ret": found,
        "events": found.events.select_related("actor"),
        "shows_values": request.user.has_perm("returns.read_draft_values", found),
        "breadcrumbs": _crumbs(found, "History"),
    }
    return render(request, "returns/history.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def open_moderation(request: HttpRequest, reference: str) -> HttpResponse:
    """The coordinator opens moderation (a confirmation page first): the panel then reads the submitted returns."""
    audit = _audit_for_returns(request, reference, perm="returns.open_moderation")
    if request.method == "POST":
        try:
            services.moderation_open(actor=acting_user(request), audit=audit)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Moderation is open: panel members can now read every submitted return.")
        return redirect("returns:list", audit.reference)
    context = {
        "title": "Open moderation?",
        "audit": audit,
        "submitted": AgencyReturn.objects.filter(audit=audit, status__in=("submitted", "accepted")).count(),
        "total": AgencyReturn.objects.filter(audit=audit).count(),
        "breadcrumbs": audit_crumbs(
            audit, ("Returns", reverse("returns:list", args=[audit.reference])), ("Open moderation", "")
        ),
    }
    return render(request, "returns/open_moderation.html", context)
