"""The panel's grade for a theme of a return, the recommendations, and the briefing's headings."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from maca.audits.forms.items import VersionForm, with_another
from maca.audits.models import Audit
from maca.audits.views.common import acting_user
from maca.common.scoping import get_for_user
from maca.common.versioning import CHANGED_SINCE_LOADED_MESSAGE, ChangedSinceLoaded

from .. import services
from ..forms import GradeForm, HeadingForms, RecommendationForm, headings_initial
from ..models import Finding, ModeratedGrade, Moderation, Recommendation
from ..selectors import headings_of, recommendations_visible_to
from ..snapshot import ANSWER_KINDS, answer_label, numbered_findings, return_label
from .common import (
    add_service_errors,
    crumbs,
    moderation_audit,
    overview_url,
    page_context,
    refuse_if_signed_off,
    submitted_return,
)
from .edit import edit_page, remove_page


@login_required
@require_http_methods(["GET", "POST"])
def grade(request: HttpRequest, reference: str, case: str, code: str, theme: int) -> HttpResponse:
    """The panel's grade for one theme of a submitted return: the agency's grade and narrative shown, the panel's
    grade chosen, with the reason when it differs."""
    audit, moderation = moderation_audit(request, reference)
    user = acting_user(request)
    agency_return = submitted_return(request, audit, case, code)
    current_theme = audit.themes.filter(pk=theme).first()
    if current_theme is None:
        raise Http404
    refused = refuse_if_signed_off(request, audit, moderation)
    if refused:
        return refused
    given = services.agency_grade(agency_return, theme)
    label = return_label(agency_return)

    def make(data: QueryDict | None) -> forms.Form:
        existing = ModeratedGrade.objects.filter(agency_return=agency_return, theme_id=theme).first()
        initial = {
            "version": existing.version if existing else 0,
            "grade": existing.grade if existing else None,
            "reason": existing.reason if existing else "",
        }
        return GradeForm(data, scale=[str(g) for g in audit.grading_scale], agency_grade=given, initial=initial)

    def save(form: forms.Form) -> object:
        data = form.cleaned_data
        return services.grade_moderate(
            actor=user,
            agency_return=agency_return,
            theme_id=theme,
            grade=data["grade"],
            reason=data["reason"],
            loaded_version=data["version"],
        )

    def success(saved: object) -> str:
        if saved is None:
            return f"{label}, {current_theme.name}: the panel keeps the agency’s grade."
        assert isinstance(saved, ModeratedGrade)
        return f"{label}, {current_theme.name}: the panel’s grade is {saved.grade}."

    if request.method == "GET":
        services.record_view(actor=user, audit=audit, obj=agency_return, what=f"grade of {current_theme.name}")
    judgement = agency_return.judgements.get(str(theme), {})
    narrative = [(answer_label(kind), str(judgement.get(kind) or "")) for kind in ANSWER_KINDS]
    return edit_page(
        request,
        make=make,
        save=save,
        what="grade",
        success=success,
        next_url=overview_url(audit) + "#grades",
        template="findings/grade.html",
        context=page_context(
            audit,
            f"Moderate the grade: {current_theme.name}",
            ret=agency_return,
            label=label,
            theme=current_theme,
            agency_grade=given or "Not graded",
            narrative=narrative,
            back=overview_url(audit) + "#grades",
        ),
    )


# --- Recommendations -----------------------------------------------------------------------------------------------


def _recommendation_form(
    audit: Audit, data: QueryDict | None, initial: dict[str, Any], editing: bool
) -> RecommendationForm:
    findings = Finding.objects.filter(audit=audit)
    numbers = numbered_findings(headings_of(audit), findings)
    return RecommendationForm(
        data,
        groups=audit.governance_groups.order_by("name"),
        findings=findings,
        numbers=numbers,
        editing=editing,
        initial=initial,
    )


def _recommendation_data(form: forms.Form) -> dict[str, Any]:
    """What the recommendation form gives the services: the words, the group, the findings behind it and its place."""
    data = form.cleaned_data
    return {
        "text": data["text"],
        "governance_group": data["governance_group"],
        "findings": list(data["findings"]),
        "position": data["position"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_add(request: HttpRequest, reference: str) -> HttpResponse:
    audit, moderation = moderation_audit(request, reference)
    refused = refuse_if_signed_off(request, audit, moderation)
    if refused:
        return refused

    def save(form: forms.Form) -> Recommendation:
        return services.recommendation_add(actor=acting_user(request), audit=audit, **_recommendation_data(form))

    return edit_page(
        request,
        make=lambda data: _recommendation_form(audit, data, {}, editing=False),
        save=save,
        what="moderation",
        success="The recommendation has been added.",
        next_url=overview_url(audit) + "#recommendations",
        template="findings/form.html",
        context=page_context(audit, "Add a recommendation", submit="Add the recommendation", back=overview_url(audit)),
    )


def _recommendation(request: HttpRequest, reference: str, pk: int) -> tuple[Audit, Moderation, Recommendation]:
    audit, moderation = moderation_audit(request, reference)
    found = get_for_user(request.user, recommendations_visible_to, perm="findings.moderate", audit=audit, pk=pk)
    found.audit = audit
    return audit, moderation, found


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    audit, moderation, recommendation = _recommendation(request, reference, pk)
    refused = refuse_if_signed_off(request, audit, moderation)
    if refused:
        return refused

    def make(data: QueryDict | None) -> forms.Form:
        current = Recommendation.objects.get(pk=recommendation.pk)
        initial = {
            "version": current.version,
            "text": current.text,
            "governance_group": current.governance_group_id,
            "findings": list(current.findings.values_list("pk", flat=True)),
        }
        return _recommendation_form(audit, data, initial, editing=True)

    def save(form: forms.Form) -> Recommendation:
        return services.recommendation_update(
            actor=acting_user(request),
            recommendation=recommendation,
            loaded_version=form.cleaned_data["version"],
            **_recommendation_data(form),
        )

    return edit_page(
        request,
        make=make,
        save=save,
        what="recommendation",
        success="The recommendation has been saved.",
        next_url=overview_url(audit) + "#recommendations",
        template="findings/form.html",
        context=page_context(
            audit,
            "Change the recommendation",
            recommendation=recommendation,
            submit="Save the recommendation",
            back=overview_url(audit),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_remove(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    audit, moderation, recommendation = _recommendation(request, reference, pk)
    refused = refuse_if_signed_off(request, audit, moderation)
    if refused:
        return refused

    def remove(loaded_version: int) -> None:
        services.recommendation_remove(
            actor=acting_user(request), recommendation=recommendation, loaded_version=loaded_version
        )

    return remove_page(
        request,
        version=recommendation.version,
        remove=remove,
        what="recommendation",
        success="The recommendation has been removed.",
        next_url=overview_url(audit) + "#recommendations",
        stale_url=reverse("findings:recommendation", args=[audit.reference, recommendation.pk]),
        template="findings/confirm.html",
        context=page_context(
            audit,
            "Remove this recommendation?",
            quote=recommendation.text,
            text=f"It is addressed to {recommendation.governance_group}. The findings stay as they are.",
            button="Remove the recommendation",
            back=overview_url(audit),
        ),
    )


# --- The briefing's headings ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def headings(request: HttpRequest, reference: str) -> HttpResponse:
    """The briefing's headings: rename, reorder (by position numbers), add or remove them."""
    audit, moderation = moderation_audit(request, reference, perm="findings.change_headings")
    refused = refuse_if_signed_off(request, audit, moderation)
    if refused:
        return refused

    def make(data: QueryDict | None, quiet: bool) -> list[Any]:
        current = Moderation.objects.get(pk=moderation.pk)
        main = VersionForm(data, initial={"version": current.version}, quiet=quiet)
        return [main, HeadingForms(data, initial=headings_initial(headings_of(audit)), prefix="headings", quiet=quiet)]

    status = 200
    if request.method != "POST":
        page_forms = make(None, False)
    elif "add" in request.POST:
        page_forms = make(with_another(request.POST, "headings"), True)
    else:
        page_forms, status = make(request.POST, False), 400
        valid = [form.is_valid() for form in page_forms]  # Every form checked, so that every error is shown.
        if all(valid):
            try:
                services.headings_update(
                    actor=acting_user(request),
                    audit=audit,
                    loaded_version=page_forms[0].cleaned_data["version"],
                    headings=page_forms[1].items(),
                )
            except ChangedSinceLoaded:
                messages.error(request, CHANGED_SINCE_LOADED_MESSAGE.format(what="set of headings"))
                page_forms, status = make(None, False), 409
            except ValidationError as error:
                add_service_errors(page_forms[0], error)
            else:
                messages.success(request, "The headings have been saved.")
                return redirect(overview_url(audit) + "#findings")
    title = "Headings of the briefing"
    context = {
        "title": title,
        "audit": audit,
        "form": page_forms[0],
        "formset": page_forms[1],
        "page_forms": page_forms,
        "back": overview_url(audit),
        "breadcrumbs": crumbs(audit, (title, "")),
    }
    return render(request, "findings/headings.html", context, status=status)
