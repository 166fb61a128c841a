"""The framework editor, for the coordinator and the audit lead: the areas, in order, each with its statements.

The framework is the audit's own copy (partnerships use their own version of the checklist), made from the library
the first time it is needed. It can be changed until the first agency submits its self-assessment; removing a
statement or an area also removes what agencies have answered for it in their drafts, and the pages say so.
Edits follow the house's pattern: 400 with the errors, 409 with the current framework when someone else saved first,
"Add another …" shows the page again with one more empty item.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from maca.audits.forms.items import VersionForm, with_another
from maca.audits.models import Audit
from maca.audits.views.common import acting_user, get_audit
from maca.common.versioning import CHANGED_SINCE_LOADED_MESSAGE, ChangedSinceLoaded

from .. import services
from ..forms import AreaForms, FrameworkForm, StatementForms, add_service_errors, areas_initial, statements_initial
from ..library import framework_named
from ..models import Answer, Area, Framework, SelfAssessment
from .common import crumbs

PERM = "selfassessment.change_framework"
PageForms = list[Any]  # The main form (it carries the framework's version) first, then the formset.


def _framework(request: HttpRequest, reference: str) -> tuple[Audit, Framework]:
    audit = get_audit(request, reference, perm=PERM)
    return audit, services.framework_ensure(actor=acting_user(request), audit=audit)


def _framework_url(audit: Audit) -> str:
    return reverse("selfassessment:framework", args=[audit.reference])


def _framework_crumbs(audit: Audit, title: str) -> list[dict[str, str]]:
    return crumbs(audit, ("Framework", _framework_url(audit)), (title, ""))


def _started(framework: Framework) -> int:
    return SelfAssessment.objects.filter(audit_id=framework.audit_id).count()


def _refuse_if_fixed(request: HttpRequest, audit: Audit, framework: Framework) -> HttpResponse | None:
    if not services.framework_is_fixed(framework):
        return None
    messages.error(request, services.FIXED)
    return redirect(_framework_url(audit))


@login_required
def framework_view(request: HttpRequest, reference: str) -> HttpResponse:
    """The audit's framework: its areas and statements, what may still change, and the ways to change it."""
    audit, framework = _framework(request, reference)
    named = framework_named(audit.framework) if audit.framework else None
    context = {
        "title": "Framework for the self-assessment",
        "audit": audit,
        "framework": framework,
        "areas": framework.areas.prefetch_related("statements"),
        "fixed": services.framework_is_fixed(framework),
        "started": _started(framework),
        "library": services.library_framework_for(audit),
        "unknown_name": bool(audit.framework) and named is None,
        "breadcrumbs": crumbs(audit, ("Framework", "")),
    }
    return render(request, "selfassessment/framework.html", context)


def _edit(
    request: HttpRequest,
    *,
    title: str,
    template: str,
    success: str,
    audit: Audit,
    make: Callable[[QueryDict | None, bool], PageForms],
    save: Callable[[int, dict[str, Any], PageForms], object],
    context: dict[str, Any],
    add_to: str = "",
) -> HttpResponse:
    """GET: the page filled from the framework. POST: saved and back to the framework (302), or the errors (400),
    or the current framework after someone else's change (409); with `add`, one more empty item (200)."""
    status = 200
    if request.method != "POST":
        page_forms = make(None, False)
    elif add_to and "add" in request.POST:
        page_forms = make(with_another(request.POST, add_to), True)
    else:
        page_forms, status = make(request.POST, False), 400
        valid = [form.is_valid() for form in page_forms]  # Every form checked, so that every error is shown.
        if all(valid):
            main = page_forms[0]
            data = dict(main.cleaned_data)
            version = data.pop("version")
            try:
                save(version, data, page_forms)
            except ChangedSinceLoaded:
                messages.error(request, CHANGED_SINCE_LOADED_MESSAGE.format(what="framework"))
                page_forms, status = make(None, False), 409
            except ValidationError as error:
                add_service_errors(main, error)
            else:
                messages.success(request, success)
                return redirect(_framework_url(audit))
    full = {
        "title": title,
        "audit": audit,
        "form": page_forms[0],
        "formset": page_forms[1] if len(page_forms) > 1 else None,
        "page_forms": page_forms,
        "back": _framework_url(audit),
        "breadcrumbs": _framework_crumbs(audit, title),
        **context,
    }
    return render(request, f"selfassessment/{template}", full, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def framework_areas(request: HttpRequest, reference: str) -> HttpResponse:
    """The framework's name and its areas: rename, reorder (by position numbers), add or remove them."""
    audit, framework = _framework(request, reference)
    refused = _refuse_if_fixed(request, audit, framework)
    if refused:
        return refused

    def make(data: QueryDict | None, quiet: bool) -> PageForms:
        current = Framework.objects.get(pk=framework.pk)
        main = FrameworkForm(data, initial={"name": current.name, "version": current.version}, quiet=quiet)
        return [main, AreaForms(data, initial=areas_initial(current), prefix="areas", quiet=quiet)]

    def save(version: int, data: dict[str, Any], page_forms: PageForms) -> object:
        return services.framework_areas_update(
            actor=acting_user(request),
            framework=framework,
            loaded_version=version,
            name=data["name"],
            areas=page_forms[1].items(),
        )

    answered = Answer.objects.filter(statement__area__framework=framework).exclude(rating="", evidence="").count()
    return _edit(
        request,
        title="Areas of the framework",
        template="framework_areas.html",
        success="The areas of the framework have been saved.",
        audit=audit,
        make=make,
        save=save,
        context={"started": _started(framework), "answered": answered},
        add_to="areas",
    )


@login_required
@require_http_methods(["GET", "POST"])
def framework_statements(request: HttpRequest, reference: str, position: int) -> HttpResponse:
    """The statements of one area: reword, reorder, add or remove them."""
    audit, framework = _framework(request, reference)
    area = get_object_or_404(Area, framework=framework, position=position)
    refused = _refuse_if_fixed(request, audit, framework)
    if refused:
        return refused

    def make(data: QueryDict | None, quiet: bool) -> PageForms:
        current = Framework.objects.get(pk=framework.pk)
        main = VersionForm(data, initial={"version": current.version}, quiet=quiet)
        return [main, StatementForms(data, initial=statements_initial(area), prefix="statements", quiet=quiet)]

    def save(version: int, data: dict[str, Any], page_forms: PageForms) -> object:
        return services.framework_statements_update(
            actor=acting_user(request), area=area, loaded_version=version, statements=page_forms[1].items()
        )

    answered = Answer.objects.filter(statement__area=area).exclude(rating="", evidence="").count()
    return _edit(
        request,
        title=f"Statements of area {area.position}: {area.name}",
        template="framework_statements.html",
        success=f"The statements of {area.name} have been saved.",
        audit=audit,
        make=make,
        save=save,
        context={"area": area, "started": _started(framework), "answered": answered},
        add_to="statements",
    )


@login_required
@require_http_methods(["GET", "POST"])
def framework_default(request: HttpRequest, reference: str) -> HttpResponse:
    """Start the framework again from the library's, while no agency has started its self-assessment."""
    audit, framework = _framework(request, reference)
    library = services.library_framework_for(audit)
    if _started(framework):
        messages.error(
            request,
            "Agencies have started their self-assessments, so the framework cannot start again: change its areas "
            "and statements instead.",
        )
        return redirect(_framework_url(audit))

    def make(data: QueryDict | None, quiet: bool) -> PageForms:
        version = Framework.objects.get(pk=framework.pk).version
        return [VersionForm(data, initial={"version": version}, quiet=quiet)]

    def save(version: int, data: dict[str, Any], page_forms: PageForms) -> object:
        return services.framework_use_default(actor=acting_user(request), framework=framework, loaded_version=version)

    return _edit(
        request,
        title=f"Start again from the {library.name}?",
        template="framework_default.html",
        success=f"The framework has started again from the {library.name}.",
        audit=audit,
        make=make,
        save=save,
        context={"library": library},
    )
