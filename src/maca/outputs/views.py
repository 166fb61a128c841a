"""The outputs of an audit: the page listing them, each output read in the page or downloaded (HTML, DOCX, PDF),
the briefing's own words, publishing a briefing, the published versions, and the public page of a public briefing.

Scoping: 404 outside the user's reach (an audit they cannot see, or whose Terms of Reference was never approved),
403 where they see the audit but may not read its outputs (`outputs.read`), preview a draft
(`outputs.preview_draft`), write the briefing's words (`outputs.change_text`) or publish (`outputs.publish`).
Every view and download is logged. The public pages show published public briefings only, and nothing else.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from maca.audits.models import Audit
from maca.audits.views.common import acting_user, audit_crumbs, get_audit
from maca.common.versioning import CHANGED_SINCE_LOADED_MESSAGE, ChangedSinceLoaded
from maca.common.views import destroyed_page
from maca.findings.rules import has_approved_terms
from maca.partnerships.models import AccessAction, GovernanceGroup
from maca.partnerships.services import access_log_record

from . import services
from .briefing import free_texts
from .build import LAYOUTS, NotReady, build, build_from
from .context import drafting_note, gather, missing_for_final
from .document import AUDIENCES, Document
from .forms import BriefingTextForm, PreviewChoiceForm, PublishForm
from .freetext import Flagged, flags
from .models import Audience, Layout, Publication, PublishedFile
from .render import FORMATS, file_name, render_html_fragment
from .render import render as render_output

TITLE = "Report and briefings"


# A live output of an audit whose case-level data was destroyed is not built again from nothing.
DESTROYED_TITLE = "The outputs can no longer be built"


def outputs_audit(request: HttpRequest, reference: str, perm: str = "outputs.read") -> Audit:
    """The audit, if the user holds `perm` on it: 404 outside their reach or before approval, 403 otherwise."""
    audit = get_audit(request, reference)
    if not has_approved_terms(audit):
        raise Http404
    if not acting_user(request).has_perm(perm, audit):
        raise PermissionDenied
    return audit


def crumbs(audit: Audit, *trail: tuple[str, str]) -> list[dict[str, str]]:
    if not trail:
        return audit_crumbs(audit, (TITLE, ""))
    return audit_crumbs(audit, (TITLE, reverse("outputs:overview", args=[audit.reference])), *trail)


def _log(request: HttpRequest, audit: Audit, action: AccessAction, obj: Model, what: str) -> None:
    access_log_record(
        actor=acting_user(request),
        partnership=audit.partnership,
        action=action,
        obj=obj,
        changes={action: [None, what]},
    )


def _wants_draft(request: HttpRequest, audit: Audit) -> bool:
    draft = request.GET.get("draft") == "1"
    if draft and not acting_user(request).has_perm("outputs.preview_draft", audit):
        raise PermissionDenied
    return draft


def _tor_url(request: HttpRequest, audit: Audit) -> str:
    return request.build_absolute_uri(reverse("audits:tor", args=[audit.reference]))


def _built(request: HttpRequest, audit: Audit, layout: str, audience: str) -> Document:
    if layout not in LAYOUTS or audience not in AUDIENCES:
        raise Http404
    return build(audit, layout, audience, draft=_wants_draft(request, audit), tor_url=_tor_url(request, audit))


@login_required
def overview(request: HttpRequest, reference: str) -> HttpResponse:
    """The outputs of the audit: what is ready, each output for each audience, the briefing's words, publishing,
    and the published versions."""
    audit = outputs_audit(request, reference)
    user = acting_user(request)
    _log(request, audit, AccessAction.VIEWED, audit, "outputs")
    context = {
        "title": TITLE,
        "audit": audit,
        "missing": missing_for_final(audit),
        "drafting": drafting_note(audit),
        "layouts": [(key, Layout(key).label) for key in LAYOUTS],
        "audiences": Audience.choices,
        "formats": FORMATS,
        "can_preview": user.has_perm("outputs.preview_draft", audit),
        "can_change_text": user.has_perm("outputs.change_text", audit),
        "can_publish": user.has_perm("outputs.publish", audit),
        "text": services.briefing_text_of(audit),
        "publications": Publication.objects.filter(audit=audit).order_by("-number"),
        "breadcrumbs": crumbs(audit),
    }
    return render(request, "outputs/overview.html", context)


@login_required
def document(request: HttpRequest, reference: str, layout: str, audience: str) -> HttpResponse:
    """One output read in the page, with what disclosure control changed in it, and its downloads."""
    audit = outputs_audit(request, reference)
    gone = destroyed_page(request, audit, title=DESTROYED_TITLE, crumbs=crumbs(audit, (DESTROYED_TITLE, "")))
    if gone is not None:
        return gone
    try:
        doc = _built(request, audit, layout, audience)
    except NotReady as error:
        messages.error(request, "The outputs are not ready: " + " ".join(error.missing))
        return redirect("outputs:overview", audit.reference)
    _log(request, audit, AccessAction.VIEWED, audit, f"{layout} for {audience}{' (draft)' if doc.draft else ''}")
    context = {
        "title": f"{doc.subtitle} for {doc.audience_label.lower()}",
        "audit": audit,
        "doc": doc,
        "document_html": render_html_fragment(doc),
        "layout": layout,
        "audience": audience,
        "formats": FORMATS,
        "draft_query": "?draft=1" if doc.draft else "",
        "breadcrumbs": crumbs(audit, (doc.subtitle, "")),
    }
    return render(request, "outputs/output_page.html", context)


@login_required
def download(request: HttpRequest, reference: str, layout: str, audience: str, fmt: str) -> HttpResponse:
    """An output as a file; logged as an export."""
    audit = outputs_audit(request, reference)
    if fmt not in FORMATS:
        raise Http404
    gone = destroyed_page(
        request, audit, title=DESTROYED_TITLE, crumbs=crumbs(audit, (DESTROYED_TITLE, "")), status=410
    )
    if gone is not None:
        return gone
    try:
        doc = _built(request, audit, layout, audience)
    except NotReady as error:
        messages.error(request, "The outputs are not ready: " + " ".join(error.missing))
        return redirect("outputs:overview", audit.reference)
    content = render_output(doc, fmt)
    name = file_name(doc, fmt)
    _log(request, audit, AccessAction.EXPORTED, audit, name)
    response = HttpResponse(content, content_type=FORMATS[fmt].content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def briefing_text(request: HttpRequest, reference: str) -> HttpResponse:
    """The coordinator or the audit lead writes what the briefing says that no data gives."""
    audit = outputs_audit(request, reference, perm="outputs.change_text")
    text = services.briefing_text_of(audit)
    groups = GovernanceGroup.objects.filter(partnership=audit.partnership).order_by("name")
    initial = {
        "version": text.version,
        "issued_by": text.issued_by_id,
        "purpose": text.purpose,
        "why_it_matters": text.why_it_matters,
        "reflection": text.reflection,
        "further_reading": text.further_reading,
    }
    form = BriefingTextForm(request.POST or None, initial=initial, groups=groups)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.briefing_text_save(
                    actor=acting_user(request),
                    audit=audit,
                    issued_by=data.pop("issued_by"),
                    texts=data,
                    loaded_version=data.pop("version"),
                )
            except ChangedSinceLoaded:
                messages.error(request, CHANGED_SINCE_LOADED_MESSAGE.format(what="briefing text"))
                text = services.briefing_text_of(audit)
                form = BriefingTextForm(initial={**initial, "version": text.version}, groups=groups)
                status = 409
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, "The briefing’s text has been saved.")
                return redirect("outputs:overview", audit.reference)
    context = {
        "form": form,
        "title": "The briefing’s own words",
        "caption": audit.title,
        "breadcrumbs": crumbs(audit, ("The briefing’s own words", "")),
        "submit_text": "Save",
    }
    return render(request, "common/form_page.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, reference: str) -> HttpResponse:
    """The audit lead chooses a briefing and its audience, sees what disclosure control changes and, for the public,
    each sentence of free text with a number or number word in it, which the control does not check; and publishes."""
    audit = outputs_audit(request, reference, perm="outputs.publish")
    missing = missing_for_final(audit)
    chosen = PreviewChoiceForm(request.GET if "layout" in request.GET else None)
    layout, audience = Layout.BRIEFING.value, Audience.PUBLIC.value
    if chosen.is_valid():
        layout, audience = chosen.cleaned_data["layout"], chosen.cleaned_data["audience"]
    form = PublishForm(request.POST or None, initial={"layout": layout, "audience": audience})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            layout, audience = form.cleaned_data["layout"], form.cleaned_data["audience"]
            try:
                publication = services.publication_publish(
                    actor=acting_user(request),
                    audit=audit,
                    layout=layout,
                    audience=audience,
                    controlled=not form.cleaned_data["without_control"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, problems in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, problems)
                else:
                    form.add_error(None, error.messages)
            else:
                messages.success(request, f"{publication.title} is published as version {publication.number}.")
                return redirect("outputs:publication", audit.reference, publication.number)
    doc = None
    flagged: list[Flagged] = []
    if not missing:
        facts = gather(audit, tor_url=_tor_url(request, audit))
        doc = build_from(facts, layout, audience)
        if audience == Audience.PUBLIC:
            flagged = flags(free_texts(facts, layout))
        _log(request, audit, AccessAction.VIEWED, audit, f"{layout} for {audience}, before publishing")
    context = {
        "title": "Publish a briefing",
        "audit": audit,
        "missing": missing,
        "chosen": chosen if chosen.is_bound else PreviewChoiceForm(initial={"layout": layout, "audience": audience}),
        "form": form,
        "doc": doc,
        "flagged": flagged,
        "layout": layout,
        "audience": audience,
        "breadcrumbs": crumbs(audit, ("Publish a briefing", "")),
    }
    return render(request, "outputs/publish.html", context, status=status)


def _publication(audit: Audit, number: int) -> Publication:
    found = Publication.objects.filter(audit=audit, number=number).first()
    if found is None:
        raise Http404
    return found


@login_required
def publication(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """A published version: what was published, when, by whom, for whom, what the control changed, its files.
    Published briefings are for practitioners: everyone who sees the audit reads them."""
    audit = get_audit(request, reference)
    found = _publication(audit, number)
    _log(request, audit, AccessAction.VIEWED, found, f"publication {number}")
    context = {
        "title": f"{found.title}, version {found.number}",
        "audit": audit,
        "publication": found,
        "show_changes": acting_user(request).has_perm("outputs.read", audit),
        "files": found.files.defer("content").exclude(name=services.PAGE).order_by("name"),
        "page": bytes(found.files.get(name=services.PAGE).content).decode("utf-8"),
        "breadcrumbs": crumbs(audit, (f"Published version {found.number}", "")),
    }
    return render(request, "outputs/publication.html", context)


def _file_response(published: PublishedFile, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(bytes(published.content), content_type=published.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{published.name}"'
    return response


def _file(found: Publication, name: str) -> PublishedFile:
    if name == services.PAGE:
        raise Http404
    published = found.files.filter(name=name).first()
    if published is None:
        raise Http404
    return published


@login_required
def publication_file(request: HttpRequest, reference: str, number: int, name: str) -> HttpResponse:
    """A file of a published version, exactly as published; logged as an export."""
    audit = get_audit(request, reference)
    found = _publication(audit, number)
    published = _file(found, name)
    _log(request, audit, AccessAction.EXPORTED, found, name)
    return _file_response(published)


def _public(reference: str, number: int | None) -> Publication:
    """A published public briefing (the latest, or version `number`): 404 for anything else."""
    published = Publication.objects.filter(audit__reference=reference, audience=Audience.PUBLIC).select_related(
        "audit__partnership"
    )
    found = published.order_by("-number").first() if number is None else published.filter(number=number).first()
    if found is None:
        raise Http404
    return found


def public(request: HttpRequest, reference: str, number: int | None = None) -> HttpResponse:
    """The public page of a published public briefing: anyone may read it, without logging in."""
    found = _public(reference, number)
    latest = _public(reference, None)
    context = {
        "title": found.title,
        "publication": found,
        "latest": latest,
        "files": found.files.defer("content").exclude(name=services.PAGE).order_by("name"),
        "page": bytes(found.files.get(name=services.PAGE).content).decode("utf-8"),
    }
    return render(request, "outputs/public.html", context)


def public_file(request: HttpRequest, reference: str, number: int, name: str) -> HttpResponse:
    """A file of a published public briefing (the briefing as PDF, DOCX or HTML, or its Terms of Reference)."""
    found = _public(reference, number)
    published = _file(found, name)
    return _file_response(published, inline=name.endswith(".pdf"))
