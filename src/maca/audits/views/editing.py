"""Editing the Terms of Reference of a draft audit, section by section (the audit's page is the task list).

Every page answers 404 to those who may not see the audit and 403 to those who may not change it, sends the editor
back to the audit's page while it is in review or approved, and saves through a service of `maca.audits.editing`:
input that cannot be saved answers 400 with the errors; an edit from a page loaded before someone else saved
answers 409 with the current data. "Add another …" shows the page again with one more empty item, saving nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from maca.audits import editing, forms
from maca.audits.models import Audit, ParticipationKind, Theme
from maca.common.versioning import save_unless_stale

from .common import acting_user, audit_crumbs, get_audit, refuse_if_locked

PageForms = list[Any]  # The page's main form (it carries the version) first, then the formsets.
Make = Callable[[QueryDict | None, bool], PageForms]  # (posted data or None for the audit's, quiet) → forms
Save = Callable[[int, dict[str, Any], PageForms], object]  # (loaded version, main form's data, forms) → saved

TEXT_TITLES = {"background": "Background", "definitions": "Definitions", "purpose": "Purpose"}
PARTICIPANT_TITLES = {
    ParticipationKind.CASE_AUDIT: "Agencies taking part in the case audit",
    ParticipationKind.WIDER_AUDIT: "Agencies taking part in the wider partnership audit",
}


@dataclass(frozen=True)
class Page:
    """An edit page: its title, template, where it goes back to, and what it says once saved."""

    title: str
    template: str
    success: str
    back: str
    crumbs: list[dict[str, str]]
    add_to: str = ""  # The prefix of the formset that "Add another" adds an item to.
    context: dict[str, Any] = field(default_factory=dict)


def _editable(request: HttpRequest, reference: str) -> tuple[Audit, HttpResponse | None]:
    """The audit for an editor, and the redirect to its page when it is locked (else None)."""
    audit = get_audit(request, reference, perm="audits.change_audit")
    return audit, refuse_if_locked(request, audit)


def _save(request: HttpRequest, audit: Audit, page_forms: PageForms, save: Save) -> Literal["saved", "stale", "no"]:
    """Save valid forms through the service: "stale" when someone else saved first (the editor is told), "no" when
    the service refused (its reasons are put on the main form)."""
    main = page_forms[0]
    try:
        if save_unless_stale(request, main, lambda version, data: save(version, data, page_forms), what="audit"):
            return "saved"
        outcome: Literal["stale", "no"] = "stale"
    except ValidationError as error:
        main.add_error(None, error.messages)
        outcome = "no"
    audit.refresh_from_db()  # The service may have changed the audit before it was refused.
    return outcome


def _edit(request: HttpRequest, audit: Audit, page: Page, make: Make, save: Save) -> HttpResponse:
    """GET: the page filled from the audit (200). POST: saved and back (302), or the errors (400), or the current
    data after someone else's change (409); with `add`, the posted page with one more empty item (200)."""
    status = 200
    if request.method != "POST":
        page_forms = make(None, False)
    elif page.add_to and "add" in request.POST:
        page_forms = make(forms.with_another(request.POST, page.add_to), True)
    else:
        page_forms, status = make(request.POST, False), 400
        valid = [form.is_valid() for form in page_forms]  # Every form checked, so that every error is shown.
        if all(valid):
            outcome = _save(request, audit, page_forms, save)
            if outcome == "saved":
                messages.success(request, page.success)
                return redirect(page.back)
            if outcome == "stale":
                page_forms, status = make(None, False), 409
    context = {
        "title": page.title,
        "audit": audit,
        "form": page_forms[0],
        "formset": page_forms[1] if len(page_forms) > 1 else None,
        "page_forms": page_forms,
        "breadcrumbs": page.crumbs,
        "back": page.back,
        **page.context,
    }
    return render(request, f"audits/edit/{page.template}", context, status=status)


def _audit_page(audit: Audit) -> str:
    return reverse("audits:detail", args=[audit.reference])


def _themes_page(audit: Audit) -> str:
    return reverse("audits:edit_themes", args=[audit.reference])


def _page(audit: Audit, title: str, template: str, success: str, **options: Any) -> Page:
    """A page of a section reached from the audit's page, and back to it."""
    return Page(title, template, success, _audit_page(audit), audit_crumbs(audit, (title, "")), **options)


def _theme_page(audit: Audit, title: str, template: str, success: str, **options: Any) -> Page:
    """A page of one theme, reached from the list of themes, and back to it."""
    crumbs = audit_crumbs(audit, ("Themes", _themes_page(audit)), (title, ""))
    return Page(title, template, success, _themes_page(audit), crumbs, **options)


def _theme(audit: Audit, position: int) -> Theme:
    return get_object_or_404(audit.themes.all(), position=position)


# --- Details, text and grading --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def edit_details(request: HttpRequest, reference: str) -> HttpResponse:
    """The title, short title, topic and version date, and the governance groups the audit reports to."""
    audit, refused = _editable(request, reference)
    if refused:
        return refused

    def make(data: QueryDict | None, quiet: bool) -> PageForms:
        initial = forms.details_initial(audit)
        return [forms.DetailsForm(data, initial=initial, partnership=audit.partnership, quiet=quiet)]

    def save(version: int, data: dict[str, Any], page_forms: PageForms) -> object:
        return editing.tor_details_update(actor=acting_user(request), audit=audit, loaded_version=version, **data)

    title = "Title, topic and version date"
    page = _page(audit, title, "form.html", "The title, topic and version date have been saved.")
    return _edit(request, audit, page, make, save)


@login_required
@require_http_methods(["GET", "POST"])
def edit_text(request: HttpRequest, reference: str, section: str) -> HttpResponse:
    """The background, the definitions or the purpose, with its heading."""
    audit, refused = _editable(request, reference)
    if section not in editing.TEXT_SECTIONS:
        raise Http404
    if refused:
        return refused

    def make(data: QueryDict | None, quiet: bool) -> PageForms:
        return [forms.TextForm(data, initial=forms.text_initial(audit, section), section=section, quiet=quiet)]

    def save(version: int, data: dict[str, Any], page_forms: PageForms) -> object:
        return editing.tor_text_update(
            actor=acting_user(request), audit=audit, loaded_version=version, section=section, **data
        )

    title = TEXT_TITLES[section]
    page = _page(audit, title, "form.html", f"The {section} has been saved.")
    return _edit(request, audit, page, make, save)


@login_required
@require_http_methods(["GET", "POST"])
def edit_grading(request: HttpRequest, reference: str) -> HttpResponse:
    """The grading scale of graded questions: one grade a line, the best first."""
    audit, refused = _editable(request, reference)
    if refused:
        return refused

    def make(data: QueryDict | None, quiet: bool) -> PageForms:
        initial = {"grades": "\n".join(audit.grading_scale), "version": audit.version}
        return [forms.GradingForm(data, initial=initial, quiet=quiet)]

    def save(version: int, data: dict[str, Any], page_forms: PageForms) -> object:
        return editing.grading_scale_update(actor=acting_user(request), audit=audit, loaded_version=version, **data)

    page = _page(audit, "Grading scale", "form.html", "The grading scale has been saved.")
    return _edit(request, audit, page, make, save)


# --- Themes and questions -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def edit_themes(request: HttpRequest, reference: str) -> HttpResponse:
    """The themes with their objectives and number of questions, and the heading of the objectives."""
    audit, refused = _editable(request, reference)
    if refused:
        return refused

    def make(data: QueryDict | None, quiet: bool) -> PageForms:
        return [forms.HeadingForm(data, initial=forms.heading_initial(audit, "objectives"), quiet=quiet)]

    def save(version: int, data: dict[str, Any], page_forms: PageForms) -> object:
        return editing.tor_heading_update(
            actor=acting_user(request), audit=audit, loaded_version=version, section="objectives", **data
        )

    themes = audit.themes.annotate(question_count=Count("questions"))
    page = Page(
        "Themes, objectives and questions",
        "themes.html",
        "The heading of the objectives has been saved.",
        _audit_page(audit),
        audit_crumbs(audit, ("Themes", "")),
        context={"themes": themes},
    )
    return _edit(request, audit, page, make, save)


def _theme_forms(audit: Audit, theme: Theme | None, data: QueryDict | None, quiet: bool) -> PageForms:
    others = audit.themes.exclude(pk=theme.pk) if theme else audit.themes.all()
    initial = {"name": theme.name if theme else "", "version": audit.version}
    names = list(others.values_list("name", flat=True))
    objectives = forms.objectives_initial(theme)
    return [
        forms.ThemeForm(data, initial=initial, other_names=names, quiet=quiet),
        forms.ObjectiveForms(data, initial=objectives, prefix="objectives", quiet=quiet),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def add_theme(request: HttpRequest, reference: str) -> HttpResponse:
    """A new theme, after the others, with its name and objectives (its questions are added on their own page)."""
    audit, refused = _editable(request, reference)
    if refused:
        return refused

    def save(version: int, data: dict[str, Any], page_forms: PageForms) -> object:
        objectives = page_forms[1].items()
        return editing.theme_create(
            actor=acting_user(request), audit=audit, loaded_version=version, objectives=objectives, **data
        )

    page = _theme_page(audit, "Add a theme", "theme.html", "The theme has been added.", add_to="objectives")
    return _edit(request, audit, page, lambda data, quiet: _theme_forms(audit, None, data, quiet), save)


@login_required
@require_http_methods(["GET", "POST"])
def edit_theme(request: HttpRequest, reference: str, position: int) -> HttpResponse:
    """A theme's name and objectives."""
    audit, refused = _editable(request, reference)
    theme = _theme(audit, position)
    if refused:
        return refused

    def save(version: int, data: dict[str, Any], page_forms: PageForms) -> object:
        objectives = page_forms[1].items()
        return editing.theme_update(
            actor=acting_user(request), audit=audit, loaded_version=version, theme=theme, objectives=objectives, **data
        )

    page = _theme_page(
        audit, f"Theme {position}: {theme.name}", "theme.html", "The theme has been saved.", add_to="objectives"
    )
    return _edit(
        request, audit, page, lambda data, quiet: _theme_forms(audit, _theme(audit, position), data, quiet), save
    )


@login_required
@require_http_methods(["GET", "POST"])
def remove_theme(request: HttpRequest, reference: str, position: int) -> HttpResponse:
    """Asks first; then removes the theme with its questions, and the themes after it move up."""
    audit, refused = _editable(request, reference)
    theme = _theme(audit, position)
    if refused:
        return refused

    def make(data: QueryDict | None, quiet: bool) -> PageForms:
        return [forms.VersionForm(data, initial={"version": audit.version}, quiet=quiet)]

    def save(version: int, data: dict[str, Any], page_forms: PageForms) -> object:
        editing.theme_remove(actor=acting_user(request), audit=audit, loaded_version=version, theme=theme)
        return None

    context = {"theme": theme, "question_count": theme.questions.count()}
    title = f"Remove the theme {theme.name}?"
    page = _theme_page(audit, title, "remove_theme.html", f"The theme {theme.name} has been removed.", context=context)
    return _edit(request, audit, page, make, save)


@login_required
@require_http_methods(["GET", "POST"])
def edit_questions(request: HttpRequest, reference: str, position: int) -> HttpResponse:
    """The questions agencies answer under one theme."""
    audit, refused = _editable(request, reference)
    theme = _theme(audit, position)
    if refused:
        return refused

    def make(data: QueryDict | None, quiet: bool) -> PageForms:
        current = _theme(audit, position)
        questions = forms.QuestionForms(
            data,
            initial=forms.questions_initial(current),
            prefix="questions",
            other_keys=forms.other_question_keys(audit, current),
            quiet=quiet,
        )
        return [forms.VersionForm(data, initial={"version": audit.version}, quiet=quiet), questions]

    def save(version: int, data: dict[str, Any], page_forms: PageForms) -> object:
        return editing.theme_questions_update(
            actor=acting_user(request),
            audit=audit,
            loaded_version=version,
            theme=theme,
            questions=page_forms[1].items(),
        )

    title = f"Questions of theme {position}: {theme.name}"
    success = f"The questions of the theme {theme.name} have been saved."
    page = _theme_page(audit, title, "questions.html", success, add_to="questions", context={"theme": theme})
    return _edit(request, audit, page, make, save)


# --- Identification and engagement ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def edit_identification(request: HttpRequest, reference: str) -> HttpResponse:
    """How cases are identified: the text, who identifies them, how many, and the criteria."""
    audit, refused = _editable(request, reference)
    if refused:
        return refused
    options = forms.AgencyOptions.of(audit.partnership)
    case_fields = list(audit.case_fields.all())

    def make(data: QueryDict | None, quiet: bool) -> PageForms:
        main = forms.IdentificationForm(
            data, initial=forms.identification_initial(audit), quiet=quiet, case_fields=case_fields
        )
        agencies = forms.IdentifyingAgencyForms(
            data,
            initial=forms.identifying_initial(audit),
            prefix="identifying",
            form_kwargs={"options": options},
            quiet=quiet,
        )
        return [main, agencies]

    def save(version: int, data: dict[str, Any], page_forms: PageForms) -> object:
        return editing.identification_update(
            actor=acting_user(request),
            audit=audit,
            loaded_version=version,
            identifying_agencies=page_forms[1].items(),
            **data,
        )

    page = _page(
        audit,
        "Identification of cases",
        "identification.html",
        "The identification of cases has been saved.",
        add_to="identifying",
    )
    return _edit(request, audit, page, make, save)


@login_required
@require_http_methods(["GET", "POST"])
def edit_engagement(request: HttpRequest, reference: str) -> HttpResponse:
    """The text on professional engagement and the wider audit's framework, with the agencies taking part."""
    audit, refused = _editable(request, reference)
    if refused:
        return refused

    def make(data: QueryDict | None, quiet: bool) -> PageForms:
        return [forms.EngagementForm(data, initial=forms.engagement_initial(audit), quiet=quiet)]

    def save(version: int, data: dict[str, Any], page_forms: PageForms) -> object:
        return editing.engagement_update(actor=acting_user(request), audit=audit, loaded_version=version, **data)

    kinds = [
        {
            "kind": kind.value,
            "heading": forms.heading_of(audit, kind.value),
            "title": PARTICIPANT_TITLES[kind],
            "participants": audit.participants.filter(kind=kind)
            .select_related("agency")
            .prefetch_related("service_links__service"),
        }
        for kind in ParticipationKind
    ]
    page = _page(
        audit,
        "Professional engagement",
        "engagement.html",
        "The professional engagement has been saved.",
        context={"kinds": kinds},
    )
    return _edit(request, audit, page, make, save)


@login_required
@require_http_methods(["GET", "POST"])
def edit_participants(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    """One row for each agency of the partnership: whether it takes part, and which of its services."""
    audit, refused = _editable(request, reference)
    if kind not in ParticipationKind.values:
        raise Http404
    if refused:
        return refused

    def make(data: QueryDict | None, quiet: bool) -> PageForms:
        main = forms.HeadingForm(data, initial=forms.heading_initial(audit, kind), quiet=quiet)
        return [main, forms.participant_forms(audit, kind, data)]

    def save(version: int, data: dict[str, Any], page_forms: PageForms) -> object:
        participants = page_forms[1].participants()
        return editing.participants_update(
            actor=acting_user(request),
            audit=audit,
            loaded_version=version,
            kind=kind,
            participants=participants,
            **data,
        )

    title = PARTICIPANT_TITLES[ParticipationKind(kind)]
    engagement = reverse("audits:edit_engagement", args=[audit.reference])
    crumbs = audit_crumbs(audit, ("Professional engagement", engagement), (title, ""))
    context = {"kind": kind, "wider": kind == ParticipationKind.WIDER_AUDIT}
    page = Page(
        title,
        "participants.html",
        f"The {title[0].lower()}{title[1:]} have been saved.",
        engagement,
        crumbs,
        context=context,
    )
    return _edit(request, audit, page, make, save)


# --- Timeline and case fields ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def edit_timeline(request: HttpRequest, reference: str) -> HttpResponse:
    """The steps of the audit, each planned for a month or a day, and the heading of the timeline."""
    audit, refused = _editable(request, reference)
    if refused:
        return refused
    groups = list(audit.partnership.governance_groups.all())

    def make(data: QueryDict | None, quiet: bool) -> PageForms:
        main = forms.HeadingForm(data, initial=forms.heading_initial(audit, "timeline"), quiet=quiet)
        steps = forms.MilestoneForms(
            data,
            initial=forms.milestones_initial(audit),
            prefix="milestones",
            form_kwargs={"groups": groups},
            quiet=quiet,
        )
        return [main, steps]

    def save(version: int, data: dict[str, Any], page_forms: PageForms) -> object:
        return editing.timeline_update(
            actor=acting_user(request), audit=audit, loaded_version=version, milestones=page_forms[1].items(), **data
        )

    page = _page(audit, "Timeline", "timeline.html", "The timeline has been saved.", add_to="milestones")
    return _edit(request, audit, page, make, save)


@login_required
@require_http_methods(["GET", "POST"])
def edit_case_fields(request: HttpRequest, reference: str) -> HttpResponse:
    """The fields of the case profile that are particular to the audit's topic."""
    audit, refused = _editable(request, reference)
    if refused:
        return refused

    def make(data: QueryDict | None, quiet: bool) -> PageForms:
        fields = forms.CaseFieldForms(data, initial=forms.case_fields_initial(audit), prefix="fields", quiet=quiet)
        return [forms.VersionForm(data, initial={"version": audit.version}, quiet=quiet), fields]

    def save(version: int, data: dict[str, Any], page_forms: PageForms) -> object:
        return editing.case_fields_update(
            actor=acting_user(request), audit=audit, loaded_version=version, fields=page_forms[1].items()
        )

    title = "Case profile fields for the topic"
    page = _page(audit, title, "case_fields.html", "The case profile fields have been saved.", add_to="fields")
    return _edit(request, audit, page, make, save)
