"""Writing the briefing's own words and publishing a briefing; each change logged in the same transaction.

Publishing freezes the briefing as the files that were published (the page, HTML, DOCX, PDF, and the Terms of
Reference it links to) in a new version. A public briefing passes disclosure control unless the audit lead records
why not; that is logged with the reason.
"""

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from maca.accounts.models import User
from maca.audits.documents import tor_document_for
from maca.audits.models import Audit
from maca.audits.tor.render import render_pdf as render_tor_pdf
from maca.common.closure import destroyed
from maca.common.scoping import require_perm
from maca.common.versioning import ChangedSinceLoaded, claim_version
from maca.partnerships.models import AccessAction, GovernanceGroup
from maca.partnerships.services import access_log_record

from .build import NotReady, build_from, check_audience, check_layout
from .context import gather
from .models import Audience, BriefingText, Layout, Publication, PublishedFile
from .render import FORMATS, render, render_html_fragment

TEXT_LIMIT = 5000
REASON_LIMIT = 2000
PUBLISHED_LAYOUTS = (Layout.BRIEFING, Layout.SEVEN_MINUTE)
PAGE = "page.html"
TOR_FILE = "terms-of-reference.pdf"
TEXT_LABELS = {
    "purpose": "The purpose of the audit",
    "why_it_matters": "Why it matters",
    "reflection": "Questions for reflection",
    "further_reading": "Further reading",
}
TEXT_FIELDS = tuple(TEXT_LABELS)


def _log(actor: User, audit: Audit, action: AccessAction, obj: Any, changes: dict[str, Any]) -> None:
    access_log_record(actor=actor, partnership=audit.partnership, action=action, obj=obj, changes=changes)


def briefing_text_of(audit: Audit) -> BriefingText:
    """The audit's briefing text, unsaved and blank when nobody has written it yet."""
    return BriefingText.objects.filter(audit=audit).first() or BriefingText(audit=audit)


@transaction.atomic
def briefing_text_save(
    *,
    actor: User,
    audit: Audit,
    issued_by: GovernanceGroup | None,
    texts: dict[str, str],
    loaded_version: int,
) -> BriefingText:
    """Save the briefing's own words. ValidationError naming the field for text too long or a group of another
    partnership; ChangedSinceLoaded when someone saved since the page loaded. The coordinator and the audit lead
    write them, once the audit is under way (`outputs.change_text`)."""
    require_perm(actor, "outputs.change_text", audit)
    errors: dict[str, list[str]] = {}
    cleaned = {name: str(texts.get(name, "")).strip().replace("\r\n", "\n") for name in TEXT_FIELDS}
    for name, value in cleaned.items():
        if len(value) > TEXT_LIMIT:
            errors[name] = [f"{TEXT_LABELS[name]} must be {TEXT_LIMIT:,} characters or fewer"]
    if issued_by is not None and issued_by.partnership_id != audit.partnership_id:
        errors["issued_by"] = ["Choose a group of this partnership"]
    if errors:
        raise ValidationError(errors)
    text = BriefingText.objects.select_for_update().filter(audit=audit).first()
    if text is None:
        if loaded_version != 1:
            raise ChangedSinceLoaded(BriefingText(audit=audit))
        # A blank page carries version 1: the first save makes version 2, so that a second page loaded blank is
        # refused rather than overwriting it.
        text = BriefingText(audit=audit, version=2)
    else:
        claim_version(text, loaded_version)
    before = {name: getattr(text, name) for name in TEXT_FIELDS} | {"issued_by": str(text.issued_by or "")}
    text.issued_by = issued_by
    for name, value in cleaned.items():
        setattr(text, name, value)
    text.updated_by = actor
    text.updated_at = timezone.now()
    text.save()
    after = {name: getattr(text, name) for name in TEXT_FIELDS} | {"issued_by": str(text.issued_by or "")}
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if changes:
        _log(actor, audit, AccessAction.CHANGED, text, changes)
    return text


def absolute(path: str) -> str:
    return settings.MACA_BASE_URL.rstrip("/") + path


@transaction.atomic
def publication_publish(
    *,
    actor: User,
    audit: Audit,
    layout: str,
    audience: str,
    controlled: bool = True,
    reason: str = "",
) -> Publication:
    """Publish the briefing `layout` for `audience` as the audit's next version, frozen as its files.

    ValidationError when the findings are not signed off (saying what is missing), for the report (which is not
    published), or for a public briefing without disclosure control and without a reason. The audit lead alone
    publishes (`outputs.publish`)."""
    require_perm(actor, "outputs.publish", audit)
    gone = destroyed(audit)
    if gone is not None:
        raise ValidationError(
            f"The case-level data of this audit was destroyed on {gone.on:%-d %B %Y}: a briefing can no longer be "
            "built from it. The published versions remain."
        )
    try:
        check_layout(layout)
        chosen = check_audience(audience)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    if layout not in PUBLISHED_LAYOUTS:
        raise ValidationError({"layout": ["Choose the learning briefing or the seven-minute briefing"]})
    reason = reason.strip()
    if chosen == "professionals":
        reason = ""
    elif not controlled and not reason:
        raise ValidationError({"reason": ["Give the reason for publishing without disclosure control"]})
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": [f"The reason must be {REASON_LIMIT:,} characters or fewer"]})
    Audit.objects.select_for_update().filter(pk=audit.pk).get()
    number = (Publication.objects.filter(audit=audit).aggregate(last=Max("number"))["last"] or 0) + 1
    if chosen == "public":
        tor_url = absolute(reverse("outputs:public_file", args=[audit.reference, number, TOR_FILE]))
    else:
        tor_url = absolute(reverse("outputs:publication_file", args=[audit.reference, number, TOR_FILE]))
    try:
        facts = gather(audit, tor_url=tor_url)
    except NotReady as error:
        raise ValidationError(error.missing) from None
    doc = build_from(facts, layout, chosen, controlled=controlled)
    publication = Publication.objects.create(
        audit=audit,
        number=number,
        layout=layout,
        audience=chosen,
        title=f"{doc.title}: {doc.subtitle}",
        findings_version=facts.findings.number,
        controlled=doc.controlled,
        reason=reason,
        changes=[asdict(change) for change in doc.changes],
        published_by=actor,
        published_by_name=actor.get_full_name() or actor.email,
    )
    files: dict[str, tuple[str, bytes]] = {
        PAGE: ("text/html; charset=utf-8", str(render_html_fragment(doc, base=1)).encode("utf-8")),
        TOR_FILE: ("application/pdf", render_tor_pdf(tor_document_for(audit))),
    }
    for fmt, spec in FORMATS.items():
        files[f"{layout}.{spec.extension}"] = (spec.content_type, render(doc, fmt))
    for name, (content_type, content) in files.items():
        PublishedFile.objects.create(
            publication=publication,
            name=name,
            content_type=content_type,
            content=content,
            sha256=PublishedFile.digest(content),
        )
    changes: dict[str, Any] = {
        "published": [None, f"{publication.get_layout_display()} for {publication.get_audience_display().lower()}"],
        "version": [None, number],
    }
    if chosen == "public" and not doc.controlled:
        changes["disclosure control"] = [None, "not applied"]
        changes["reason"] = [None, reason]
    _log(actor, audit, AccessAction.CREATED, publication, changes)
    return publication


def latest_public(audit: Audit) -> Publication | None:
    return Publication.objects.filter(audit=audit, audience=Audience.PUBLIC).order_by("-number").first()
