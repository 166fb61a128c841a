"""Audit pages: the partnership's audits, creating one, the audit's page (its task list), its lifecycle, its
Terms of Reference as a document, and its definition as a file."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from maca.audits import audit_forms, services
from maca.audits.definition import (
    DefinitionError,
    audit_definition,
    definition_problems,
    dump_definition,
    parse_definition,
)
from maca.audits.documents import tor_document_for
from maca.audits.models import Audit, AuditStatus, TermsOfReferenceVersion
from maca.audits.selectors import audits_visible_to
from maca.audits.tasks import task_list
from maca.audits.tor.render import FORMATS, render_html_fragment
from maca.audits.tor.render import render as render_document
from maca.common.views import form_page
from maca.partnerships.models import AccessAction
from maca.partnerships.pages import partnership_crumbs, partnership_for
from maca.partnerships.services import access_log_record

from .common import acting_user, audit_crumbs, get_audit


@login_required
def audit_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for(request, slug)
    audits = audits_visible_to(acting_user(request)).filter(partnership=partnership)
    context = {
        "title": "Audits",
        "partnership": partnership,
        "audits": audits,
        "can_create": acting_user(request).has_perm("audits.add_audit", partnership),
        "breadcrumbs": partnership_crumbs(partnership, ("Audits", "")),
    }
    return render(request, "audits/audit_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def audit_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for(request, slug, perm="audits.add_audit")
    user = acting_user(request)
    form = audit_forms.NewAuditForm(
        request.POST or None, audits=audits_visible_to(user).filter(partnership=partnership)
    )
    if form.is_valid():
        data = form.cleaned_data
        start = data["start"]
        if start.startswith("template:"):
            audit, left_out = services.audit_from_template(
                actor=user,
                partnership=partnership,
                template_key=start.removeprefix("template:"),
                reference=data["reference"],
                title=data["title"],
            )
            for sentence in left_out:
                messages.warning(request, f"Left out of the template, as this partnership does not have it: {sentence}")
        elif start == audit_forms.COPY:
            audit = services.audit_copy(
                actor=user, source=data["copy_from"], reference=data["reference"], title=data["title"]
            )
        else:
            audit = services.audit_create(
                actor=user, partnership=partnership, reference=data["reference"], title=data["title"]
            )
        messages.success(request, f"{audit.title} has been created as a draft.")
        return redirect("audits:detail", audit.reference)
    crumbs = partnership_crumbs(partnership, ("Audits", reverse("audits:list", args=[slug])), ("New audit", ""))
    return form_page(request, form, title="Create an audit", caption=partnership.name, crumbs=crumbs)


@login_required
@require_http_methods(["GET", "POST"])
def audit_import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinator uploads an audit definition (YAML); every problem is listed by key and line."""
    partnership = partnership_for(request, slug, perm="audits.add_audit")
    form = audit_forms.ImportForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        try:
            definition = parse_definition(form.cleaned_data["file"])
            audit = services.audit_import(
                actor=acting_user(request),
                partnership=partnership,
                definition=definition,
                replace=form.cleaned_data["replace"],
            )
        except DefinitionError as error:
            for problem in error.problems:
                form.add_error("file", str(problem))
        else:
            messages.success(request, f"The audit definition has been imported: {audit.title} ({audit.reference}).")
            return redirect("audits:detail", audit.reference)
    crumbs = partnership_crumbs(partnership, ("Audits", reverse("audits:list", args=[slug])), ("Import", ""))
    return form_page(
        request,
        form,
        title="Import an audit definition",
        caption=partnership.name,
        crumbs=crumbs,
        submit_text="Import",
        working_text="Importing the audit definition…",
    )


@login_required
def audit_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The audit's page: its status, the task list of its Terms of Reference, its versions and documents."""
    audit = get_audit(request, reference)
    user = acting_user(request)
    can_change = user.has_perm("audits.change_audit", audit)
    problems = definition_problems(audit)
    context = {
        "title": audit.title,
        "audit": audit,
        "tasks": task_list(audit, problems) if can_change else [],
        "complete": not problems,
        "can_change": can_change,
        "can_approve": user.has_perm("audits.approve_audit", audit),
        "can_return": user.has_perm("audits.return_audit", audit),
        "can_copy": user.has_perm("audits.add_audit", audit.partnership),
        "can_view_cases": user.has_perm("cases.view_cases", audit),
        "can_view_returns": user.has_perm("returns.view_returns", audit),
        "can_view_analysis": user.has_perm("analysis.view_analysis", audit),
        "can_moderate": user.has_perm("findings.moderate", audit),
        "can_read_findings": user.has_perm("findings.read_versions", audit),
        "can_read_outputs": user.has_perm("outputs.read", audit),
        "can_view_self_assessment": bool(audit.framework)
        and user.has_perm("selfassessment.view_self_assessments", audit),
        "can_set_lead": user.has_perm("partnerships.change_partnership", audit.partnership),
        "versions": audit.tor_versions.select_related("approved_by"),
        "formats": FORMATS,
        "breadcrumbs": audit_crumbs(audit),
    }
    return render(request, "audits/audit_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def audit_copy(request: HttpRequest, reference: str) -> HttpResponse:
    source = get_audit(request, reference)
    user = acting_user(request)
    if not user.has_perm("audits.add_audit", source.partnership):
        raise PermissionDenied
    form = audit_forms.CopyAuditForm(request.POST or None, initial={"title": source.title})
    if form.is_valid():
        audit = services.audit_copy(
            actor=user, source=source, reference=form.cleaned_data["reference"], title=form.cleaned_data["title"]
        )
        messages.success(request, f"{audit.title} has been created as a copy of {source.reference}.")
        return redirect("audits:detail", audit.reference)
    crumbs = audit_crumbs(source, ("Copy", ""))
    return form_page(request, form, title=f"Copy {source.title}", caption="New audit", crumbs=crumbs)


def _version(audit: Audit, request: HttpRequest) -> TermsOfReferenceVersion | None:
    """The approved version asked for with ?version=N, or None for the audit as it stands (its draft).

    Only those who may change the audit read its draft; everyone else gets its latest approved version. 404 when
    there is no such version.
    """
    number = request.GET.get("version", "")
    if not number:
        if acting_user(request).has_perm("audits.change_audit", audit):
            return None
        latest = audit.tor_versions.order_by("-number").first()
        if latest is None:
            raise Http404
        return latest
    version = audit.tor_versions.filter(number=int(number)).first() if number.isascii() and number.isdigit() else None
    if version is None:
        raise Http404
    return version


@login_required
def tor_view(request: HttpRequest, reference: str) -> HttpResponse:
    """The Terms of Reference as a page, with links to download it."""
    audit = get_audit(request, reference)
    version = _version(audit, request)
    try:
        document = tor_document_for(audit, version)
    except DefinitionError as error:
        messages.error(request, "The Terms of Reference is not complete yet: " + "; ".join(map(str, error.problems)))
        return redirect("audits:detail", audit.reference)
    context = {
        "title": "Terms of Reference",
        "audit": audit,
        "version": version,
        "document_html": render_html_fragment(document),
        "formats": FORMATS,
        "breadcrumbs": audit_crumbs(audit, ("Terms of Reference", "")),
    }
    return render(request, "audits/tor.html", context)


@login_required
def tor_download(request: HttpRequest, reference: str, fmt: str) -> HttpResponse:
    """The Terms of Reference as a file (HTML, DOCX or PDF); every download is logged as an export."""
    audit = get_audit(request, reference)
    if fmt not in FORMATS:
        raise Http404
    version = _version(audit, request)
    try:
        content = render_document(tor_document_for(audit, version), fmt)
    except DefinitionError as error:
        messages.error(request, "The Terms of Reference is not complete yet: " + "; ".join(map(str, error.problems)))
        return redirect("audits:detail", audit.reference)
    number = version.number if version else audit.tor_version
    access_log_record(
        actor=acting_user(request),
        partnership=audit.partnership,
        action=AccessAction.EXPORTED,
        obj=audit,
        changes={"Terms of Reference": [None, f"version {number}, {fmt}"]},
    )
    spec = FORMATS[fmt]
    suffix = "" if version or audit.status == AuditStatus.APPROVED else "-draft"
    response = HttpResponse(content, content_type=spec.content_type)
    filename = f"{audit.reference}-terms-of-reference-v{number}{suffix}.{spec.extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def definition_download(request: HttpRequest, reference: str) -> HttpResponse:
    """The audit's definition as a YAML file (the file `maca import_audit` reads); logged as an export."""
    audit = get_audit(request, reference, perm="audits.change_audit")
    try:
        text = dump_definition(audit_definition(audit))
    except DefinitionError as error:
        messages.error(request, "The Terms of Reference is not complete yet: " + "; ".join(map(str, error.problems)))
        return redirect("audits:detail", audit.reference)
    access_log_record(
        actor=acting_user(request),
        partnership=audit.partnership,
        action=AccessAction.EXPORTED,
        obj=audit,
        changes={"definition": [None, "yaml"]},
    )
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{audit.reference}.yaml"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def audit_lead(request: HttpRequest, reference: str) -> HttpResponse:
    """The coordinator chooses the audit lead."""
    audit = get_audit(request, reference, perm="audits.change_audit")
    if not acting_user(request).has_perm("partnerships.change_partnership", audit.partnership):
        raise PermissionDenied
    form = audit_forms.LeadForm(
        request.POST or None,
        initial={"lead": audit.lead_id},
        candidates=services.audit_lead_candidates(audit.partnership),
    )
    if form.is_valid():
        try:
            services.audit_set_lead(actor=acting_user(request), audit=audit, lead=form.cleaned_data["lead"])
        except ValidationError as error:
            form.add_error("lead", error.messages[0])
        else:
            messages.success(request, f"{form.cleaned_data['lead']} leads the audit.")
            return redirect("audits:detail", audit.reference)
    return form_page(
        request, form, title="Choose the audit lead", caption=audit.title, crumbs=audit_crumbs(audit, ("Lead", ""))
    )


def _confirm(request: HttpRequest, audit: Audit, *, title: str, text: str, button: str, **extra: Any) -> HttpResponse:
    context = {
        "title": title,
        "audit": audit,
        "text": text,
        "button": button,
        "breadcrumbs": audit_crumbs(audit, (title, "")),
        **extra,
    }
    return render(request, "audits/confirm.html", context, status=400 if extra.get("errors") else 200)


def _lifecycle(
    request: HttpRequest, reference: str, *, perm: str, allowed: AuditStatus, title: str, text: str, button: str
) -> tuple[Audit, HttpResponse | None]:
    """The audit for a lifecycle step: refused without `perm`; back to its page if its status does not allow it."""
    audit = get_audit(request, reference, perm=perm)
    if audit.status != allowed:
        messages.error(request, f"This cannot be done now: the Terms of Reference is {audit.get_status_display()}.")
        return audit, redirect("audits:detail", audit.reference)
    if request.method != "POST":
        return audit, _confirm(request, audit, title=title, text=text, button=button)
    return audit, None


@login_required
@require_http_methods(["GET", "POST"])
def audit_submit(request: HttpRequest, reference: str) -> HttpResponse:
    audit, response = _lifecycle(
        request,
        reference,
        perm="audits.change_audit",
        allowed=AuditStatus.DRAFT,
        title="Send the Terms of Reference for review",
        text="The audit lead will be asked to approve it. It cannot be changed while it is in review.",
        button="Send for review",
    )
    if response is not None:
        return response
    try:
        services.audit_submit_for_review(actor=acting_user(request), audit=audit)
    except ValidationError as error:
        return _confirm(
            request,
            audit,
            title="Send the Terms of Reference for review",
            text="It cannot be sent yet.",
            button="Send for review",
            errors=error.messages,
        )
    messages.success(request, "The Terms of Reference has been sent to the audit lead for review.")
    return redirect("audits:detail", audit.reference)


@login_required
@require_http_methods(["GET", "POST"])
def audit_approve(request: HttpRequest, reference: str) -> HttpResponse:
    audit, response = _lifecycle(
        request,
        reference,
        perm="audits.approve_audit",
        allowed=AuditStatus.IN_REVIEW,
        title="Approve the Terms of Reference",
        text="It will be locked as this version. Changes after approval make a new version.",
        button="Approve",
    )
    if response is not None:
        return response
    try:
        version = services.audit_approve(actor=acting_user(request), audit=audit)
    except ValidationError as error:  # someone else took a step first
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Version {version.number} of the Terms of Reference has been approved.")
    return redirect("audits:detail", audit.reference)


@login_required
@require_http_methods(["GET", "POST"])
def audit_return(request: HttpRequest, reference: str) -> HttpResponse:
    audit = get_audit(request, reference, perm="audits.return_audit")
    if audit.status != AuditStatus.IN_REVIEW:
        messages.error(request, f"This cannot be done now: the Terms of Reference is {audit.get_status_display()}.")
        return redirect("audits:detail", audit.reference)
    form = audit_forms.ReturnForm(request.POST or None)
    if form.is_valid():
        try:
            services.audit_return_to_draft(actor=acting_user(request), audit=audit, reason=form.cleaned_data["reason"])
        except ValidationError as error:  # someone else took a step first
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The Terms of Reference has been returned for changes.")
        return redirect("audits:detail", audit.reference)
    crumbs = audit_crumbs(audit, ("Return for changes", ""))
    return form_page(
        request, form, title="Return for changes", caption=audit.title, crumbs=crumbs, submit_text="Return it"
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_new_version(request: HttpRequest, reference: str) -> HttpResponse:
    audit, response = _lifecycle(
        request,
        reference,
        perm="audits.change_audit",
        allowed=AuditStatus.APPROVED,
        title="Start a new version",
        text="The approved version stays as it is and can still be read. The new version starts as a draft copy.",
        button="Start a new version",
    )
    if response is not None:
        return response
    try:
        services.audit_start_new_version(actor=acting_user(request), audit=audit)
    except ValidationError as error:  # someone else took a step first
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Version {audit.tor_version} is now a draft you can change.")
    return redirect("audits:detail", audit.reference)
