"""A finding: adding it under a heading, changing its words, heading or place, removing it, and choosing the
evidence behind it (returns, narrative answers of a return, computed figures). Every page that shows case-level
content is logged."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from maca.analysis.figures import figures
from maca.audits.models import Audit
from maca.audits.views.common import acting_user
from maca.common.scoping import get_for_user

from .. import services
from ..forms import (
    AnswersEvidenceForm,
    FiguresEvidenceForm,
    FindingForm,
    ReturnsEvidenceForm,
    answer_value,
)
from ..models import BriefingHeading, EvidenceKind, Finding, Moderation
from ..selectors import evidence_item, findings_visible_to, submitted_returns_visible_to
from ..snapshot import ordered_evidence, return_label
from .common import moderation_audit, overview_url, page_context, refuse_if_signed_off, submitted_return
from .edit import edit_page, remove_page


def _finding(request: HttpRequest, reference: str, pk: int) -> tuple[Audit, Moderation, Finding]:
    audit, moderation = moderation_audit(request, reference)
    finding = get_for_user(request.user, findings_visible_to, perm="findings.moderate", audit=audit, pk=pk)
    finding.audit = audit
    return audit, moderation, finding


def finding_url(finding: Finding, name: str = "finding", *extra: Any) -> str:
    return reverse(f"findings:{name}", args=[finding.audit.reference, finding.pk, *extra])


def _headings(audit: Audit) -> Any:
    return BriefingHeading.objects.filter(audit=audit).order_by("position")


def _under_finding(audit: Audit, finding: Finding, title: str, **extra: Any) -> dict[str, Any]:
    """A page of the finding's evidence: under the finding in the breadcrumbs, and back to it unless said."""
    extra.setdefault("back", finding_url(finding))
    return page_context(audit, title, (f"Finding: {finding}", finding_url(finding)), finding=finding, **extra)


def _finding_data(form: forms.Form) -> dict[str, Any]:
    """What the finding form gives the services: the heading, the words and the place under the heading."""
    return {name: form.cleaned_data[name] for name in ("heading", "text", "position")}


@login_required
@require_http_methods(["GET", "POST"])
def finding_add(request: HttpRequest, reference: str) -> HttpResponse:
    """A new finding under one of the headings (the one asked for in `?heading=`, if any)."""
    audit, moderation = moderation_audit(request, reference)
    refused = refuse_if_signed_off(request, audit, moderation)
    if refused:
        return refused
    asked = request.GET.get("heading", "")
    initial = {"heading": int(asked)} if asked.isdigit() else {}

    def make(data: QueryDict | None) -> forms.Form:
        return FindingForm(data, headings=_headings(audit), editing=False, initial=initial)

    def save(form: forms.Form) -> Finding:
        return services.finding_add(actor=acting_user(request), audit=audit, **_finding_data(form))

    def next_url(saved: object) -> str:
        assert isinstance(saved, Finding)
        return finding_url(saved)

    return edit_page(
        request,
        make=make,
        save=save,
        what="moderation",
        success="The finding has been added. Now link the evidence behind it.",
        next_url=next_url,
        template="findings/finding.html",
        context=page_context(audit, "Add a finding", submit="Add the finding", back=overview_url(audit)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """A finding's words, heading and place, with the evidence behind it and the ways to change that."""
    audit, moderation, finding = _finding(request, reference, pk)
    refused = refuse_if_signed_off(request, audit, moderation)
    if refused:
        return refused
    user = acting_user(request)

    def make(data: QueryDict | None) -> forms.Form:
        current = Finding.objects.get(pk=finding.pk)
        initial = {"heading": current.heading_id, "text": current.text, "version": current.version}
        return FindingForm(data, headings=_headings(audit), editing=True, initial=initial)

    def save(form: forms.Form) -> Finding:
        return services.finding_update(
            actor=user, finding=finding, loaded_version=form.cleaned_data["version"], **_finding_data(form)
        )

    if request.method == "GET":
        services.record_view(actor=user, audit=audit, obj=finding, what="finding and its evidence")
    readable = {r.pk for r in submitted_returns_visible_to(user, audit)}
    computed = {figure.key: figure for figure in figures(audit)}
    cited = ordered_evidence(
        finding.evidence.select_related("agency_return__case", "agency_return__agency", "agency_return__audit")
    )
    return edit_page(
        request,
        make=make,
        save=save,
        what="finding",
        success="The finding has been saved.",
        next_url=overview_url(audit),
        template="findings/finding.html",
        context=page_context(
            audit,
            "Change the finding",
            finding=finding,
            evidence=[
                evidence_item(item, computed, readable, reverse("analysis:overview", args=[audit.reference]))
                for item in cited
            ],
            submit="Save the finding",
            back=overview_url(audit),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_remove(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    audit, moderation, finding = _finding(request, reference, pk)
    refused = refuse_if_signed_off(request, audit, moderation)
    if refused:
        return refused

    def remove(loaded_version: int) -> None:
        services.finding_remove(actor=acting_user(request), finding=finding, loaded_version=loaded_version)

    return remove_page(
        request,
        version=finding.version,
        remove=remove,
        what="finding",
        success="The finding has been removed.",
        next_url=overview_url(audit),
        stale_url=finding_url(finding),
        template="findings/finding_remove.html",
        context=page_context(
            audit,
            "Remove this finding?",
            finding=finding,
            supports=list(finding.recommendations.order_by("position")),
            button="Remove the finding",
            back=overview_url(audit),
        ),
    )


# --- Evidence ------------------------------------------------------------------------------------------------------


def _evidence_page(
    request: HttpRequest,
    audit: Audit,
    finding: Finding,
    *,
    title: str,
    make: Any,
    save: Any,
    success: str,
    intro: str = "",
    back: str = "",
) -> HttpResponse:
    if request.method == "GET":
        services.record_view(actor=acting_user(request), audit=audit, obj=finding, what=title)
    return edit_page(
        request,
        make=make,
        save=save,
        what="finding",
        success=success,
        next_url=finding_url(finding),
        template="findings/evidence.html",
        context=_under_finding(audit, finding, title, intro=intro, back=back or finding_url(finding)),
    )


def _version(finding: Finding) -> int:
    return Finding.objects.values_list("version", flat=True).get(pk=finding.pk)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_returns(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """The returns cited as evidence for the finding, chosen among the submitted returns of the audit."""
    audit, moderation, finding = _finding(request, reference, pk)
    refused = refuse_if_signed_off(request, audit, moderation)
    if refused:
        return refused
    returns = submitted_returns_visible_to(acting_user(request), audit)

    def make(data: QueryDict | None) -> forms.Form:
        cited = finding.evidence.filter(kind=EvidenceKind.RETURN).values_list("agency_return_id", flat=True)
        initial = {"version": _version(finding), "returns": [str(pk) for pk in cited]}
        return ReturnsEvidenceForm(data, returns=returns, initial=initial)

    def save(form: forms.Form) -> Finding:
        assert isinstance(form, ReturnsEvidenceForm)
        return services.evidence_set_returns(
            actor=acting_user(request),
            finding=finding,
            loaded_version=form.cleaned_data["version"],
            returns=form.chosen(),
        )

    return _evidence_page(
        request,
        audit,
        finding,
        title="Returns behind the finding",
        make=make,
        save=save,
        success="The returns behind the finding have been saved.",
    )


@login_required
def evidence_answers(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """The submitted returns, to choose the one whose narrative answers to cite."""
    audit, moderation, finding = _finding(request, reference, pk)
    refused = refuse_if_signed_off(request, audit, moderation)
    if refused:
        return refused
    user = acting_user(request)
    services.record_view(actor=user, audit=audit, obj=finding, what="returns to cite answers from")
    counts: dict[int, int] = {}
    for return_id in finding.evidence.filter(kind=EvidenceKind.ANSWER).values_list("agency_return_id", flat=True):
        if return_id is not None:
            counts[return_id] = counts.get(return_id, 0) + 1
    rows = [
        {"ret": agency_return, "label": return_label(agency_return), "cited": counts.get(agency_return.pk, 0)}
        for agency_return in submitted_returns_visible_to(user, audit)
    ]
    context = _under_finding(audit, finding, "Which return’s answers show it?", rows=rows)
    return render(request, "findings/evidence_answers.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_answers_return(request: HttpRequest, reference: str, pk: int, case: str, code: str) -> HttpResponse:
    """The narrative answers of one submitted return cited as evidence for the finding."""
    audit, moderation, finding = _finding(request, reference, pk)
    refused = refuse_if_signed_off(request, audit, moderation)
    if refused:
        return refused
    user = acting_user(request)
    agency_return = submitted_return(request, audit, case, code)

    def make(data: QueryDict | None) -> forms.Form:
        cited = finding.evidence.filter(kind=EvidenceKind.ANSWER, agency_return=agency_return)
        initial = {
            "version": _version(finding),
            "answers": [answer_value(item.theme_id or 0, item.answer_kind) for item in cited],
        }
        return AnswersEvidenceForm(data, audit=audit, agency_return=agency_return, initial=initial)

    def save(form: forms.Form) -> Finding:
        assert isinstance(form, AnswersEvidenceForm)
        return services.evidence_set_answers(
            actor=user,
            finding=finding,
            loaded_version=form.cleaned_data["version"],
            agency_return=agency_return,
            answers=form.chosen(),
        )

    return _evidence_page(
        request,
        audit,
        finding,
        title=f"Answers in {return_label(agency_return)}’s return",
        make=make,
        save=save,
        success=f"The answers of {return_label(agency_return)} behind the finding have been saved.",
        back=finding_url(finding, "evidence_answers"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_figures(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """The computed figures cited as evidence for the finding."""
    audit, moderation, finding = _finding(request, reference, pk)
    refused = refuse_if_signed_off(request, audit, moderation)
    if refused:
        return refused
    computed = figures(audit)

    def make(data: QueryDict | None) -> forms.Form:
        cited = list(finding.evidence.filter(kind=EvidenceKind.FIGURE))
        initial = {"version": _version(finding), "figures": [item.figure_key for item in cited]}
        return FiguresEvidenceForm(data, computed=computed, cited=cited, initial=initial)

    def save(form: forms.Form) -> Finding:
        return services.evidence_set_figures(
            actor=acting_user(request),
            finding=finding,
            loaded_version=form.cleaned_data["version"],
            keys=form.cleaned_data["figures"],
            computed=computed,
        )

    return _evidence_page(
        request,
        audit,
        finding,
        title="Figures behind the finding",
        make=make,
        save=save,
        success="The figures behind the finding have been saved.",
        intro="The figures the analysis computes from the audit’s cases and returns.",
    )
