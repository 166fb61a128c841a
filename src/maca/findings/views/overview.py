"""The moderation page (grades, findings under their headings with their evidence, recommendations, sign-off and
versions), signing off, starting a new version, and the signed-off versions, which governance readers read too
(without the evidence)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from maca.analysis.figures import figures
from maca.audits.models import Audit
from maca.audits.views.common import acting_user, audit_crumbs
from maca.common.scoping import get_for_user
from maca.common.versioning import CHANGED_SINCE_LOADED_MESSAGE, ChangedSinceLoaded

from .. import services
from ..forms import SignOffForm
from ..models import FindingsVersion
from ..selectors import board, findings_versions_visible_to, grade_rows, grades_of, submitted_returns_visible_to
from ..snapshot import snapshot_of
from .common import TITLE, crumbs, moderation_audit, overview_url, page_context


@login_required
def overview(request: HttpRequest, reference: str) -> HttpResponse:
    """Everything of the audit's moderation on one page, for the panel, the coordinator and the audit lead."""
    audit, moderation = moderation_audit(request, reference)
    user = acting_user(request)
    returns = submitted_returns_visible_to(user, audit)
    readable = {agency_return.pk for agency_return in returns}
    findings = board(audit, figures=figures(audit), readable=readable)
    services.record_view(actor=user, audit=audit, obj=moderation, what="moderation")
    context = {
        "title": TITLE,
        "audit": audit,
        "moderation": moderation,
        "themes": list(audit.themes.order_by("position")),
        "grade_rows": grade_rows(audit, returns),
        "board": findings,
        "versions": FindingsVersion.objects.filter(audit=audit).order_by("-number").select_related("signed_off_by"),
        "can_change_headings": user.has_perm("findings.change_headings", audit),
        "can_sign_off": user.has_perm("findings.sign_off", audit),
        "can_open_moderation": user.has_perm("returns.open_moderation", audit) and not audit.moderation_opened_at,
        "breadcrumbs": crumbs(audit),
    }
    return render(request, "findings/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def sign_off(request: HttpRequest, reference: str) -> HttpResponse:
    """The audit lead signs the findings off (a confirmation page with what is signed off first)."""
    audit, moderation = moderation_audit(request, reference, perm="findings.sign_off")
    if moderation.is_signed_off:
        messages.error(request, f"Version {moderation.number} of the findings is signed off already.")
        return redirect(overview_url(audit))
    user = acting_user(request)
    status = 200
    form = SignOffForm(request.POST or None, initial={"revision": moderation.revision})
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                version = services.findings_sign_off(
                    actor=user, audit=audit, loaded_revision=form.cleaned_data["revision"]
                )
            except ChangedSinceLoaded:
                messages.error(request, CHANGED_SINCE_LOADED_MESSAGE.format(what="moderation"))
                moderation.refresh_from_db()
                form, status = SignOffForm(initial={"revision": moderation.revision}), 409
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, f"Version {version.number} of the findings is signed off and locked.")
                return redirect(reverse("findings:version", args=[audit.reference, version.number]))
    findings = board(audit, figures=figures(audit), readable=set())
    errors = [] if findings.findings else ["There is no finding to sign off yet."]
    context = page_context(
        audit,
        f"Sign off version {moderation.number} of the findings",
        form=form,
        moderation=moderation,
        board=findings,
        errors=errors,
        grades=grades_of(audit).count(),
    )
    return render(request, "findings/sign_off.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def new_version(request: HttpRequest, reference: str) -> HttpResponse:
    """The audit lead opens signed-off findings for changes, as the draft of their next version."""
    audit, moderation = moderation_audit(request, reference, perm="findings.sign_off")
    if not moderation.is_signed_off:
        messages.error(request, "The findings are not signed off: they can be changed as they are.")
        return redirect(overview_url(audit))
    if request.method == "POST":
        try:
            services.findings_start_new_version(actor=acting_user(request), audit=audit)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Version {moderation.number + 1} of the findings is now a draft you can change.")
        return redirect(overview_url(audit))
    context = page_context(
        audit,
        "Start a new version of the findings",
        text=f"Version {moderation.number} stays as it was signed off and can still be read. The new version starts "
        "as a copy of it that the panel can change, and is signed off again when it is ready.",
        button="Start a new version",
        back=overview_url(audit),
    )
    return render(request, "findings/confirm.html", context)


def _versions_crumbs(request: HttpRequest, audit: Audit, *trail: tuple[str, str]) -> list[dict[str, str]]:
    """Through the moderation page for the panel; straight from the audit for governance readers."""
    if acting_user(request).has_perm("findings.moderate", audit):
        return crumbs(audit, *trail)
    return audit_crumbs(audit, *trail)


@login_required
def versions(request: HttpRequest, reference: str) -> HttpResponse:
    """The signed-off versions of the findings: for the panel and for the governance groups the audit reports to."""
    audit, _ = moderation_audit(request, reference, perm="findings.read_versions")
    signed_off = findings_versions_visible_to(acting_user(request)).filter(audit=audit).order_by("-number")
    title = "Signed-off findings"
    context = {
        "title": title,
        "audit": audit,
        "versions": signed_off,
        "breadcrumbs": _versions_crumbs(request, audit, (title, "")),
    }
    return render(request, "findings/versions.html", context)


@login_required
def version(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """A signed-off version, read-only: the findings under their headings and the recommendations, and, for the
    panel, the evidence behind each finding and the moderated grades."""
    audit, moderation = moderation_audit(request, reference, perm="findings.read_versions")
    user = acting_user(request)
    found = get_for_user(user, findings_versions_visible_to, audit=audit, number=number)
    with_evidence = user.has_perm("findings.read_evidence", audit)
    services.record_view(
        actor=user,
        audit=audit,
        obj=found,
        what=f"findings version {number}" + (" with evidence" if with_evidence else ""),
    )
    title = f"Findings, version {number}"
    listing = reverse("findings:versions", args=[audit.reference])
    context = {
        "title": title,
        "audit": audit,
        "moderation": moderation,
        "snapshot": snapshot_of(found),
        "with_evidence": with_evidence,
        "is_latest": not FindingsVersion.objects.filter(audit=audit, number__gt=number).exists(),
        "can_start_new_version": user.has_perm("findings.sign_off", audit) and moderation.is_signed_off,
        "breadcrumbs": _versions_crumbs(request, audit, ("Signed-off findings", listing), (title, "")),
    }
    return render(request, "findings/version.html", context)
