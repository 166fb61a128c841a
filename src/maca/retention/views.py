"""Closing an audit, its legal holds and what is kept, and the partnership's retention period: the coordinator's
pages. Each is a form (or a confirmation) and a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from maca.audits.views.common import acting_user, audit_crumbs, get_audit
from maca.common.views import form_page
from maca.partnerships.pages import partnership_crumbs, partnership_for

from . import services
from .forms import ReasonForm, RetentionForm
from .models import add_months
from .selectors import holds_of, retention_state


@login_required
def audit_retention(request: HttpRequest, reference: str) -> HttpResponse:
    """The audit's closure, its legal holds, what the purge destroyed and the figures kept from closure."""
    audit = get_audit(request, reference, perm="retention.hold_audit")
    context = {
        "title": "Closure and retention",
        "audit": audit,
        "state": retention_state(audit),
        "holds": holds_of(audit),
        "breadcrumbs": audit_crumbs(audit, ("Closure and retention", "")),
    }
    return render(request, "retention/audit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def audit_close(request: HttpRequest, reference: str) -> HttpResponse:
    """Confirm closing the audit, warned of what will be destroyed and when."""
    audit = get_audit(request, reference, perm="retention.close_audit")
    state = retention_state(audit)
    errors: list[str] = []
    if state.is_closed:
        errors.append("This audit is already closed.")
    if request.method == "POST" and not errors:
        try:
            closure = services.audit_close(actor=acting_user(request), audit=audit)
        except ValidationError as error:
            errors += error.messages
        else:
            messages.success(
                request,
                f"The audit is closed. Its case-level data will be destroyed on {closure.destroy_on:%-d %B %Y}.",
            )
            return redirect("audits:detail", audit.reference)
    context = {
        "title": "Close the audit",
        "audit": audit,
        "errors": errors,
        "months": state.retention_months,
        "destroy_on": add_months(timezone.localdate(), state.retention_months),
        "hold": state.hold,
        "breadcrumbs": audit_crumbs(audit, ("Close the audit", "")),
    }
    return render(request, "retention/close.html", context, status=400 if errors else 200)


def _reason_page(request: HttpRequest, reference: str, *, lifting: bool) -> HttpResponse:
    audit = get_audit(request, reference, perm="retention.hold_audit")
    form = ReasonForm(request.POST or None)
    if form.is_valid():
        service = services.legal_hold_lift if lifting else services.legal_hold_place
        try:
            service(actor=acting_user(request), audit=audit, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "The legal hold has been lifted." if lifting else "The audit is now under a legal hold."
            )
            return redirect("audits:detail", audit.reference)
    title = "Lift the legal hold" if lifting else "Place a legal hold"
    crumbs = audit_crumbs(
        audit, ("Closure and retention", reverse("retention:audit", args=[audit.reference])), (title, "")
    )
    return form_page(request, form, title=title, caption=audit.title, crumbs=crumbs, submit_text=title)


@login_required
@require_http_methods(["GET", "POST"])
def legal_hold_place(request: HttpRequest, reference: str) -> HttpResponse:
    """Place a legal hold, with its reason: nothing of the audit is destroyed while it is in force."""
    return _reason_page(request, reference, lifting=False)


@login_required
@require_http_methods(["GET", "POST"])
def legal_hold_lift(request: HttpRequest, reference: str) -> HttpResponse:
    """Lift the legal hold, with the reason."""
    return _reason_page(request, reference, lifting=True)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_retention(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinator sets how long a closed audit's case-level data is kept, beside disclosure control."""
    partnership = partnership_for(request, slug, perm="retention.change_retention")
    form = RetentionForm(request.POST or None, initial={"retention_months": partnership.retention_months})
    if form.is_valid():
        try:
            services.partnership_set_retention(
                actor=acting_user(request), partnership=partnership, months=form.cleaned_data["retention_months"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The retention period has been saved.")
            return redirect("partnerships:detail", slug)
    crumbs = partnership_crumbs(partnership, ("Retention of case-level data", ""))
    return form_page(request, form, title="Retention of case-level data", caption=partnership.name, crumbs=crumbs)
