"""Case pages: the funnel and the cases of an audit, nominating (one at a time or by file), a case's profile,
the coordinator's decision, and each agency's confirmation of its involvement. Every view of a case is logged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from maca.audits.models import Audit, AuditStatus
from maca.audits.views.common import acting_user, audit_crumbs, get_audit
from maca.common.scoping import get_for_user
from maca.common.views import form_page
from maca.common.words import plural
from maca.partnerships.models import AccessAction, Agency, Membership, Role
from maca.partnerships.services import access_log_record

from . import forms, services
from .criteria import (
    age_on,
    audit_date,
    criteria_summary,
    funnel,
    topic_text,
    unmet_case_criteria,
    unmet_set_criteria,
)
from .importing import CaseFileError, case_template, check_file_size, import_cases, read_case_file
from .models import Case, Involvement
from .selectors import cases_visible_to, record_numbers_visible_to


def _audit_for_cases(request: HttpRequest, reference: str, perm: str = "cases.view_cases") -> Audit:
    audit = get_audit(request, reference)
    if not acting_user(request).has_perm(perm, audit):
        raise PermissionDenied
    prefetch_related_objects([audit], "case_fields")  # The criteria and profiles read them for every case.
    return audit


def _nominating_agencies(request: HttpRequest, audit: Audit) -> list[Agency]:
    """The identifying agencies the user may nominate for: all of them for the coordinator, else those they lead."""
    identifying = services.identifying_agencies(audit)
    user = acting_user(request)
    if user.has_perm("partnerships.change_partnership", audit.partnership):
        return identifying
    led = set(Membership.objects.filter(user=user, role=Role.AGENCY_LEAD).values_list("agency_id", flat=True))
    return [agency for agency in identifying if agency.pk in led]


def _refuse_unless_approved(request: HttpRequest, audit: Audit) -> HttpResponse | None:
    if audit.tor_versions.exists():
        return None
    messages.error(request, "Cases are nominated once the Terms of Reference has been approved.")
    return redirect("cases:list", audit.reference)


@login_required
def case_list(request: HttpRequest, reference: str) -> HttpResponse:
    """The funnel (nominated → met the criteria → included), the set criteria not yet met, and the cases."""
    audit = _audit_for_cases(request, reference)
    cases = list(cases_visible_to(acting_user(request)).filter(audit=audit).prefetch_related("involvements__agency"))
    sees_all = acting_user(request).has_perm("cases.decide_case", Case(audit=audit))
    day = audit_date(audit)
    rows = [
        {"case": case, "age": age_on(case.birth_month, day), "unmet": unmet_case_criteria(case, audit)}
        for case in cases
    ]
    # The list shows case-level data (ages, criteria, decisions): its viewing is logged, with the cases shown.
    access_log_record(
        actor=acting_user(request),
        partnership=audit.partnership,
        action=AccessAction.VIEWED,
        obj=audit,
        changes={"cases listed": [None, ", ".join(case.reference for case in cases)]} if cases else {},
    )
    criteria_per_case, criteria_for_set = criteria_summary(audit)
    context = {
        "title": "Cases",
        "audit": audit,
        "criteria_per_case": criteria_per_case,
        "criteria_for_set": criteria_for_set,
        "rows": rows,
        "funnel": funnel(cases, audit) if sees_all else None,
        "unmet_set": unmet_set_criteria(cases, audit) if sees_all else [],
        "audit_day": day,
        "can_nominate": bool(_nominating_agencies(request, audit)) and audit.status != AuditStatus.DRAFT,
        "breadcrumbs": audit_crumbs(audit, ("Cases", "")),
    }
    return render(request, "cases/case_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_nominate(request: HttpRequest, reference: str) -> HttpResponse:
    audit = _audit_for_cases(request, reference, perm="cases.nominate")
    refused = _refuse_unless_approved(request, audit)
    if refused:
        return refused
    agencies = _nominating_agencies(request, audit)
    form = forms.NominateForm(request.POST or None, audit=audit, agencies=agencies)
    if form.is_valid():
        try:
            case = services.case_nominate(
                actor=acting_user(request),
                audit=audit,
                agency=form.cleaned_data["nominated_by"],
                profile=form.profile(),
                involved=form.cleaned_data["involved"],
                record_number=form.cleaned_data["record_number"].strip(),
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f"Case {case.reference} has been nominated.")
            return redirect("cases:list", audit.reference)
    crumbs = audit_crumbs(audit, ("Cases", reverse("cases:list", args=[reference])), ("Nominate", ""))
    return form_page(request, form, title="Nominate a case", caption=audit.title, crumbs=crumbs)


@login_required
@require_http_methods(["GET", "POST"])
def case_import(request: HttpRequest, reference: str) -> HttpResponse:
    """A case list as CSV or XLSX: all or nothing, every problem named by row and column."""
    audit = _audit_for_cases(request, reference, perm="cases.nominate")
    refused = _refuse_unless_approved(request, audit)
    if refused:
        return refused
    form = forms.CaseFileForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_file_size(upload.size or 0)  # before the file is read into memory, whatever its size
            rows = read_case_file(upload.read(), upload.name, audit)
            # The service refuses, row by row, a case of an agency the user does not nominate for.
            cases = import_cases(actor=acting_user(request), audit=audit, agency_scope=None, rows=rows)
        except CaseFileError as error:
            for problem in error.problems:
                form.add_error("file", str(problem))
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(request, f"{plural(len(cases), 'case')} imported from {upload.name}.")
            return redirect("cases:list", audit.reference)
    crumbs = audit_crumbs(audit, ("Cases", reverse("cases:list", args=[reference])), ("Import", ""))
    return form_page(
        request,
        form,
        title="Import a case list",
        caption=audit.title,
        crumbs=crumbs,
        submit_text="Import",
        working_text="Importing the case list…",
    )


@login_required
def case_template_download(request: HttpRequest, reference: str, fmt: str) -> HttpResponse:
    """The blank case list with the audit's own columns."""
    audit = _audit_for_cases(request, reference, perm="cases.nominate")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    content_type = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[fmt]
    response = HttpResponse(case_template(audit, fmt), content_type=content_type)  # type: ignore[arg-type]
    response["Content-Disposition"] = f'attachment; filename="{audit.reference}-cases.{fmt}"'
    return response


def _case(request: HttpRequest, audit: Audit, reference: str) -> Case:
    return get_for_user(request.user, cases_visible_to, audit=audit, reference=reference)


@login_required
def case_detail(request: HttpRequest, reference: str, case: str) -> HttpResponse:
    """A case's profile, its criteria, decision and involvement; the viewing is logged."""
    audit = _audit_for_cases(request, reference)
    found = _case(request, audit, case)
    user = acting_user(request)
    access_log_record(actor=user, partnership=audit.partnership, action=AccessAction.VIEWED, obj=found)
    day = audit_date(audit)
    topic = [(case_field.label, topic_text(case_field, found)) for case_field in audit.case_fields.all()]
    involvements = list(found.involvements.select_related("agency").prefetch_related("services"))
    for involvement in involvements:
        involvement.case = found
    context = {
        "title": f"Case {found.reference}",
        "audit": audit,
        "case": found,
        "age_at_audit": age_on(found.birth_month, day),
        "age_at_concern": age_on(found.birth_month, found.concern_date),
        "audit_day": day,
        "unmet": unmet_case_criteria(found, audit),
        "topic": topic,
        "record_numbers": record_numbers_visible_to(user, found),
        "involvements": involvements,
        "can_decide": user.has_perm("cases.decide_case", found),
        "can_add_involvement": user.has_perm("cases.add_involvement", found),
        "can_change": found.decision == "pending" and user.has_perm("cases.change_case", found),
        "confirmable": {i.pk for i in involvements if user.has_perm("cases.confirm_involvement", i)},
        "removable": {i.pk for i in involvements if user.has_perm("cases.remove_involvement", i)},
        "breadcrumbs": audit_crumbs(audit, ("Cases", reverse("cases:list", args=[reference])), (found.reference, "")),
    }
    return render(request, "cases/case_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_decide(request: HttpRequest, reference: str, case: str) -> HttpResponse:
    audit = _audit_for_cases(request, reference)
    found = _case(request, audit, case)
    if not acting_user(request).has_perm("cases.decide_case", found):
        raise PermissionDenied
    initial = {"decision": found.decision if found.decision != "pending" else None, "reason": found.decision_reason}
    form = forms.DecisionForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            services.case_decide(actor=acting_user(request), case=found, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"Case {found.reference} is {found.get_decision_display().lower()}.")
            return redirect("cases:list", audit.reference)
    crumbs = audit_crumbs(
        audit,
        ("Cases", reverse("cases:list", args=[reference])),
        (found.reference, reverse("cases:detail", args=[reference, found.reference])),
        ("Decision", ""),
    )
    return form_page(
        request, form, title=f"Include or exclude case {found.reference}", caption=audit.title, crumbs=crumbs
    )


def _involvement(
    request: HttpRequest, reference: str, case: str, code: str, perm: str
) -> tuple[Audit, Case, Involvement]:
    """The involvement of the agency `code` with a case the user sees, if the user has `perm` on it."""
    audit = _audit_for_cases(request, reference)
    found = _case(request, audit, case)
    involvement = Involvement.objects.filter(case=found, agency__short_code=code).select_related("agency").first()
    if involvement is None:
        raise Http404
    involvement.case = found
    if not acting_user(request).has_perm(perm, involvement):
        raise PermissionDenied
    return audit, found, involvement


@login_required
@require_http_methods(["GET", "POST"])
def involvement_confirm(request: HttpRequest, reference: str, case: str, code: str) -> HttpResponse:
    """The agency's lead confirms its involvement with the child, and which of its services were involved."""
    audit, found, involvement = _involvement(request, reference, case, code, "cases.confirm_involvement")
    form = forms.InvolvementForm(
        request.POST or None, initial={"services": list(involvement.services.all())}, agency=involvement.agency
    )
    if form.is_valid():
        try:
            services.involvement_confirm(
                actor=acting_user(request), involvement=involvement, services=form.cleaned_data["services"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"{involvement.agency}’s involvement with {found.reference} is confirmed.")
            return redirect("cases:detail", audit.reference, found.reference)
    crumbs = audit_crumbs(
        audit,
        ("Cases", reverse("cases:list", args=[reference])),
        (found.reference, reverse("cases:detail", args=[reference, found.reference])),
        ("Involvement", ""),
    )
    return form_page(
        request,
        form,
        title=f"Confirm {involvement.agency}’s involvement with {found.reference}",
        caption=audit.title,
        crumbs=crumbs,
        submit_text="Confirm",
    )


@login_required
@require_http_methods(["GET", "POST"])
def involvement_add(request: HttpRequest, reference: str, case: str) -> HttpResponse:
    audit = _audit_for_cases(request, reference)
    found = _case(request, audit, case)
    if not acting_user(request).has_perm("cases.add_involvement", found):
        raise PermissionDenied
    form = forms.AddInvolvementForm(request.POST or None, case=found)
    if form.is_valid():
        try:
            services.involvement_add(actor=acting_user(request), case=found, agency=form.cleaned_data["agency"])
        except ValidationError as error:
            form.add_error("agency", error.messages)
        else:
            messages.success(request, f"{form.cleaned_data['agency']} is recorded as involved with {found.reference}.")
            return redirect("cases:detail", audit.reference, found.reference)
    crumbs = audit_crumbs(
        audit,
        ("Cases", reverse("cases:list", args=[reference])),
        (found.reference, reverse("cases:detail", args=[reference, found.reference])),
        ("Add an agency", ""),
    )
    return form_page(
        request, form, title=f"Add an agency involved with {found.reference}", caption=audit.title, crumbs=crumbs
    )


@login_required
@require_http_methods(["GET", "POST"])
def involvement_remove(request: HttpRequest, reference: str, case: str, code: str) -> HttpResponse:
    """Remove an agency recorded as involved by mistake, with the reason."""
    audit, found, involvement = _involvement(request, reference, case, code, "cases.remove_involvement")
    form = forms.RemoveInvolvementForm(request.POST or None)
    if form.is_valid():
        try:
            services.involvement_remove(
                actor=acting_user(request), involvement=involvement, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason" if "reason" in getattr(error, "error_dict", {}) else None, error.messages)
        else:
            messages.success(request, f"{involvement.agency} is no longer recorded as involved with {found.reference}.")
            return redirect("cases:detail", audit.reference, found.reference)
    return form_page(
        request,
        form,
        title=f"Remove {involvement.agency} from the agencies involved with {found.reference}",
        caption=audit.title,
        crumbs=_case_crumbs(audit, found, "Remove an agency"),
        submit_text="Remove the agency",
    )


def _changeable(request: HttpRequest, reference: str, case: str) -> tuple[Audit, Case]:
    audit = _audit_for_cases(request, reference)
    found = _case(request, audit, case)
    if not acting_user(request).has_perm("cases.change_case", found):
        raise PermissionDenied
    return audit, found


def _case_crumbs(audit: Audit, case: Case, last: str) -> list[dict[str, str]]:
    return audit_crumbs(
        audit,
        ("Cases", reverse("cases:list", args=[audit.reference])),
        (case.reference, reverse("cases:detail", args=[audit.reference, case.reference])),
        (last, ""),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_change(request: HttpRequest, reference: str, case: str) -> HttpResponse:
    """Correct the profile of a nomination not yet decided on."""
    audit, found = _changeable(request, reference, case)
    if found.decision != "pending":
        messages.error(request, f"{found} has been {found.get_decision_display().lower()}: its nomination is settled.")
        return redirect("cases:detail", audit.reference, found.reference)
    initial = {
        "reference": found.reference,
        "nominated_by": found.nominated_by_id,
        "birth_month": f"{found.birth_month:%Y-%m}",
        "gender": found.gender,
        "ethnicity": found.ethnicity,
        "send": found.send,
        "disability": found.disability,
        "aces": found.aces,
        "concern_date": found.concern_date,
        **{f"topic_{key}": value for key, value in found.topic_values.items()},
    }
    form = forms.NominateForm(request.POST or None, initial=initial, audit=audit, agencies=[found.nominated_by])
    for name in ("nominated_by", "involved", "record_number"):
        del form.fields[name]
    if form.is_valid():
        try:
            services.case_update(actor=acting_user(request), case=found, profile=form.profile())
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f"The profile of {form.cleaned_data['reference']} has been saved.")
            return redirect("cases:detail", audit.reference, form.cleaned_data["reference"])
    return form_page(
        request,
        form,
        title=f"Change the profile of {found.reference}",
        caption=audit.title,
        crumbs=_case_crumbs(audit, found, "Change"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_withdraw(request: HttpRequest, reference: str, case: str) -> HttpResponse:
    """Withdraw a nomination not yet decided on (a confirmation page first)."""
    audit, found = _changeable(request, reference, case)
    if request.method == "POST":
        try:
            services.case_withdraw(actor=acting_user(request), case=found)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("cases:detail", audit.reference, found.reference)
        messages.success(request, f"The nomination of {found.reference} has been withdrawn.")
        return redirect("cases:list", audit.reference)
    context = {
        "title": f"Withdraw the nomination of {found.reference}?",
        "audit": audit,
        "case": found,
        "breadcrumbs": _case_crumbs(audit, found, "Withdraw"),
    }
    return render(request, "cases/withdraw.html", context)
