"""Pages for a partnership: its overview, agencies, governance groups, people and access log."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from maca.accounts.models import User
from maca.common.scoping import get_for_user
from maca.common.versioning import save_unless_stale
from maca.common.views import form_page
from maca.partnerships import forms, services
from maca.partnerships.models import AccessAction, Agency, AgencyService, GovernanceGroup, Membership, Partnership
from maca.partnerships.pages import partnership_crumbs, partnership_for
from maca.partnerships.selectors import (
    access_log_visible_to,
    agencies_visible_to,
    agency_services_visible_to,
    governance_groups_visible_to,
    memberships_of,
    memberships_visible_to,
    people_visible_to,
)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The partnerships the user belongs to, with their roles in each."""
    user = _user(request)
    memberships = Membership.objects.filter(user=user).select_related("partnership", "agency", "governance_group")
    by_partnership: dict[Partnership, list[Membership]] = {}
    for membership in memberships:
        by_partnership.setdefault(membership.partnership, []).append(membership)
    return render(request, "partnerships/home.html", {"title": "Home", "by_partnership": by_partnership})


@login_required
def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for(request, slug)
    user = _user(request)
    context = {
        "title": partnership.name,
        "partnership": partnership,
        "my_memberships": memberships_of(user, partnership),
        "agency_count": partnership.agencies.count(),
        "group_count": partnership.governance_groups.count(),
        "can_change": user.has_perm("partnerships.change_partnership", partnership),
        "breadcrumbs": [{"text": "Home", "href": reverse("home")}, {"text": partnership.name, "href": ""}],
    }
    return render(request, "partnerships/partnership_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_logo(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinator uploads the logo printed on the partnership's documents."""
    partnership = partnership_for(request, slug, perm="partnerships.change_partnership")
    form = forms.LogoForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        services.partnership_set_logo(
            actor=_user(request),
            partnership=partnership,
            upload=form.cleaned_data["logo"],
            content_type=form.cleaned_data["content_type"],
        )
        messages.success(request, "The logo has been uploaded.")
        return redirect("partnerships:detail", slug)
    crumbs = partnership_crumbs(partnership, ("Logo", ""))
    return form_page(request, form, title="Upload the partnership’s logo", caption=partnership.name, crumbs=crumbs)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_disclosure(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinator sets how public outputs hide small counts (disclosure control)."""
    partnership = partnership_for(request, slug, perm="partnerships.change_partnership")
    initial = {
        "disclosure_threshold": partnership.disclosure_threshold,
        "disclosure_wording": partnership.disclosure_wording,
    }
    form = forms.DisclosureForm(request.POST or None, initial=initial)
    if form.is_valid():
        services.partnership_set_disclosure(
            actor=_user(request),
            partnership=partnership,
            threshold=form.cleaned_data["disclosure_threshold"],
            wording=form.cleaned_data["disclosure_wording"],
        )
        messages.success(request, "Disclosure control has been saved.")
        return redirect("partnerships:detail", slug)
    crumbs = partnership_crumbs(partnership, ("Disclosure control", ""))
    return form_page(
        request, form, title="Disclosure control of public outputs", caption=partnership.name, crumbs=crumbs
    )


@login_required
def agency_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for(request, slug)
    agencies = agencies_visible_to(_user(request)).filter(partnership=partnership).prefetch_related("services")
    context = {
        "title": "Agencies",
        "partnership": partnership,
        "agencies": agencies,
        "can_change": _user(request).has_perm("partnerships.change_partnership", partnership),
        "breadcrumbs": partnership_crumbs(partnership, ("Agencies", "")),
    }
    return render(request, "partnerships/agency_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def agency_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for(request, slug, perm="partnerships.change_partnership")
    form = forms.AgencyForm(request.POST or None, partnership=partnership)
    if form.is_valid():
        agency = services.agency_create(actor=_user(request), partnership=partnership, **form.cleaned_data)
        messages.success(request, f"{agency.name} has been added.")
        return redirect("partnerships:agency_detail", slug, agency.short_code)
    crumbs = partnership_crumbs(
        partnership, ("Agencies", reverse("partnerships:agency_list", args=[slug])), ("Add", "")
    )
    return form_page(request, form, title="Add an agency", caption=partnership.name, crumbs=crumbs)


@login_required
def agency_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    partnership = partnership_for(request, slug)
    agency = get_for_user(request.user, agencies_visible_to, partnership=partnership, short_code=code)
    context = {
        "title": agency.name,
        "partnership": partnership,
        "agency": agency,
        "services": agency.services.all(),
        "can_change": _user(request).has_perm("partnerships.change_agency", agency),
        "breadcrumbs": partnership_crumbs(
            partnership, ("Agencies", reverse("partnerships:agency_list", args=[slug])), (agency.name, "")
        ),
    }
    return render(request, "partnerships/agency_detail.html", context)


def _agency_initial(agency: Agency) -> dict[str, Any]:
    return {
        "name": agency.name,
        "short_code": agency.short_code,
        "agency_type": agency.agency_type,
        "version": agency.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    partnership = partnership_for(request, slug)
    agency = get_for_user(
        request.user, agencies_visible_to, perm="partnerships.change_agency", partnership=partnership, short_code=code
    )
    form = forms.AgencyEditForm(
        request.POST or None, initial=_agency_initial(agency), partnership=partnership, agency=agency
    )
    stale = False
    if form.is_valid():

        def save(loaded_version: int, data: dict[str, Any]) -> Agency:
            return services.agency_update(actor=_user(request), agency=agency, loaded_version=loaded_version, **data)

        if save_unless_stale(request, form, save, what="agency"):
            messages.success(request, f"{agency.name} has been updated.")
            return redirect("partnerships:agency_detail", slug, agency.short_code)
        agency.refresh_from_db()
        form = forms.AgencyEditForm(initial=_agency_initial(agency), partnership=partnership, agency=agency)
        stale = True
    crumbs = partnership_crumbs(
        partnership,
        ("Agencies", reverse("partnerships:agency_list", args=[slug])),
        (agency.name, reverse("partnerships:agency_detail", args=[slug, agency.short_code])),
        ("Change", ""),
    )
    return form_page(request, form, title=f"Change {agency.name}", caption=partnership.name, crumbs=crumbs, stale=stale)


def _agency_crumbs(partnership: Partnership, agency: Agency, last: str) -> list[dict[str, str]]:
    return partnership_crumbs(
        partnership,
        ("Agencies", reverse("partnerships:agency_list", args=[partnership.slug])),
        (agency.name, reverse("partnerships:agency_detail", args=[partnership.slug, agency.short_code])),
        (last, ""),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_service_create(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    partnership = partnership_for(request, slug)
    agency = get_for_user(
        request.user, agencies_visible_to, perm="partnerships.change_agency", partnership=partnership, short_code=code
    )
    form = forms.AgencyServiceForm(request.POST or None, agency=agency)
    if form.is_valid():
        service = services.agency_service_create(actor=_user(request), agency=agency, name=form.cleaned_data["name"])
        messages.success(request, f"{service.name} has been added to {agency.name}.")
        return redirect("partnerships:agency_detail", slug, agency.short_code)
    crumbs = _agency_crumbs(partnership, agency, "Add a service")
    return form_page(request, form, title="Add a service or team", caption=agency.name, crumbs=crumbs)


@login_required
@require_http_methods(["GET", "POST"])
def agency_service_edit(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    partnership = partnership_for(request, slug)
    service = get_for_user(
        request.user,
        agency_services_visible_to,
        perm="partnerships.change_agencyservice",
        agency__partnership=partnership,
        agency__short_code=code,
        pk=pk,
    )
    agency = service.agency

    def make_form(data: Any = None) -> forms.AgencyServiceEditForm:
        initial = {"name": service.name, "version": service.version}
        return forms.AgencyServiceEditForm(data, initial=initial, agency=agency, service=service)

    form = make_form(request.POST or None)
    stale = False
    if form.is_valid():

        def save(loaded_version: int, data: dict[str, Any]) -> AgencyService:
            return services.agency_service_update(
                actor=_user(request), service=service, loaded_version=loaded_version, name=data["name"]
            )

        if save_unless_stale(request, form, save, what="service"):
            messages.success(request, f"The service has been renamed {service.name}.")
            return redirect("partnerships:agency_detail", slug, agency.short_code)
        service.refresh_from_db()
        form = make_form()
        stale = True
    crumbs = _agency_crumbs(partnership, agency, f"Change {service.name}")
    return form_page(request, form, title=f"Change {service.name}", caption=agency.name, crumbs=crumbs, stale=stale)


@login_required
def governance_group_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for(request, slug)
    context = {
        "title": "Governance groups",
        "partnership": partnership,
        "groups": governance_groups_visible_to(_user(request)).filter(partnership=partnership),
        "can_change": _user(request).has_perm("partnerships.change_partnership", partnership),
        "breadcrumbs": partnership_crumbs(partnership, ("Governance groups", "")),
    }
    return render(request, "partnerships/governance_group_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def governance_group_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for(request, slug, perm="partnerships.change_partnership")
    form = forms.GovernanceGroupForm(request.POST or None, partnership=partnership)
    if form.is_valid():
        group = services.governance_group_create(actor=_user(request), partnership=partnership, **form.cleaned_data)
        messages.success(request, f"{group.name} has been added.")
        return redirect("partnerships:governance_group_list", slug)
    crumbs = partnership_crumbs(
        partnership, ("Governance groups", reverse("partnerships:governance_group_list", args=[slug])), ("Add", "")
    )
    return form_page(request, form, title="Add a governance group", caption=partnership.name, crumbs=crumbs)


@login_required
@require_http_methods(["GET", "POST"])
def governance_group_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = partnership_for(request, slug)
    group = get_for_user(
        request.user,
        governance_groups_visible_to,
        perm="partnerships.change_governancegroup",
        partnership=partnership,
        pk=pk,
    )

    def make_form(data: Any = None) -> forms.GovernanceGroupEditForm:
        initial = {"name": group.name, "short_name": group.short_name, "version": group.version}
        return forms.GovernanceGroupEditForm(data, initial=initial, partnership=partnership, group=group)

    form = make_form(request.POST or None)
    stale = False
    if form.is_valid():

        def save(loaded_version: int, data: dict[str, Any]) -> GovernanceGroup:
            return services.governance_group_update(
                actor=_user(request), group=group, loaded_version=loaded_version, **data
            )

        if save_unless_stale(request, form, save, what="governance group"):
            messages.success(request, f"{group.name} has been updated.")
            return redirect("partnerships:governance_group_list", slug)
        group.refresh_from_db()
        form = make_form()
        stale = True
    crumbs = partnership_crumbs(
        partnership,
        ("Governance groups", reverse("partnerships:governance_group_list", args=[slug])),
        (f"Change {group.name}", ""),
    )
    return form_page(request, form, title=f"Change {group.name}", caption=partnership.name, crumbs=crumbs, stale=stale)


@login_required
def person_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for(request, slug, perm="partnerships.manage_people")
    context = {
        "title": "People",
        "partnership": partnership,
        "people": people_visible_to(_user(request), partnership),
        "breadcrumbs": partnership_crumbs(partnership, ("People", "")),
    }
    return render(request, "partnerships/person_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for(request, slug, perm="partnerships.manage_people")
    form = forms.PersonForm(request.POST or None, partnership=partnership)
    if form.is_valid():
        try:
            membership = services.person_add(
                actor=_user(request),
                partnership=partnership,
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{membership.user} has been added and sent an e-mail to set up their account.")
            return redirect("partnerships:person_detail", slug, membership.user_id)
    crumbs = partnership_crumbs(partnership, ("People", reverse("partnerships:person_list", args=[slug])), ("Add", ""))
    return form_page(request, form, title="Add a person", caption=partnership.name, crumbs=crumbs)


def _person(request: HttpRequest, partnership: Partnership, pk: int) -> User:
    return get_for_user(request.user, lambda user: people_visible_to(user, partnership), pk=pk)


@login_required
def person_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = partnership_for(request, slug, perm="partnerships.manage_people")
    person = _person(request, partnership, pk)
    context = {
        "title": person.full_name,
        "partnership": partnership,
        "person": person,
        # Nobody switches their own account off (the service refuses it): the page does not offer it.
        "is_self": person.pk == request.user.pk,
        "breadcrumbs": partnership_crumbs(
            partnership, ("People", reverse("partnerships:person_list", args=[slug])), (person.full_name, "")
        ),
    }
    return render(request, "partnerships/person_detail.html", context)


def _person_account(request: HttpRequest, slug: str, pk: int, *, deactivating: bool) -> HttpResponse:
    """The confirmation page that switches a person's account off (or back on), and its POST."""
    partnership = partnership_for(request, slug, perm="partnerships.manage_people")
    person = _person(request, partnership, pk)
    error = ""
    if request.method == "POST":
        change = services.person_deactivate if deactivating else services.person_reactivate
        try:
            change(actor=_user(request), partnership=partnership, person=person)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            done = "deactivated: they can no longer sign in" if deactivating else "reactivated: they can sign in again"
            messages.success(request, f"{person}’s account has been {done}.")
            return redirect("partnerships:person_detail", slug, person.pk)
    verb = "Deactivate" if deactivating else "Reactivate"
    context = {
        "title": f"{verb} {person.full_name}",
        "partnership": partnership,
        "person": person,
        "error": error,
        "breadcrumbs": partnership_crumbs(
            partnership,
            ("People", reverse("partnerships:person_list", args=[slug])),
            (person.full_name, reverse("partnerships:person_detail", args=[slug, person.pk])),
            (verb, ""),
        ),
    }
    template = "partnerships/person_deactivate.html" if deactivating else "partnerships/person_reactivate.html"
    return render(request, template, context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def person_deactivate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The coordinator switches off the account of someone who has left: no more sign-in, open sessions end."""
    return _person_account(request, slug, pk, deactivating=True)


@login_required
@require_http_methods(["GET", "POST"])
def person_reactivate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The coordinator switches an account back on (deactivated by mistake), with the roles it kept."""
    return _person_account(request, slug, pk, deactivating=False)


@login_required
@require_http_methods(["GET", "POST"])
def membership_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = partnership_for(request, slug, perm="partnerships.manage_people")
    person = _person(request, partnership, pk)
    form = forms.RoleForm(request.POST or None, partnership=partnership)
    if form.is_valid():
        try:
            membership = services.membership_add(
                actor=_user(request), partnership=partnership, person=person, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{person} is now {membership}.")
            return redirect("partnerships:person_detail", slug, person.pk)
    crumbs = partnership_crumbs(
        partnership,
        ("People", reverse("partnerships:person_list", args=[slug])),
        (person.full_name, reverse("partnerships:person_detail", args=[slug, person.pk])),
        ("Add a role", ""),
    )
    return form_page(request, form, title=f"Give {person.full_name} a role", caption=partnership.name, crumbs=crumbs)


@login_required
@require_http_methods(["GET", "POST"])
def membership_remove(request: HttpRequest, slug: str, pk: int, membership_pk: int) -> HttpResponse:
    partnership = partnership_for(request, slug, perm="partnerships.manage_people")
    person = _person(request, partnership, pk)
    membership = get_for_user(
        request.user,
        lambda user: memberships_visible_to(user, partnership).filter(user=person),
        pk=membership_pk,
    )
    user = _user(request)
    # Without their last role here the person is no longer one of the partnership's people, and this page is the
    # last one from which the partnership can switch their account off: it offers to (not for one's own account).
    last_role = not memberships_visible_to(user, partnership).filter(user=person).exclude(pk=membership.pk).exists()
    offer_deactivation = last_role and person.is_active and person.pk != user.pk
    form = forms.RemoveRoleForm(request.POST if request.method == "POST" else None)
    error = ""
    if form.is_valid():
        deactivate = offer_deactivation and bool(form.cleaned_data["deactivate"])
        try:
            services.membership_remove(actor=user, membership=membership, deactivate_account=deactivate)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if not last_role:
                messages.success(request, f"{person} is no longer {membership}.")
                return redirect("partnerships:person_detail", slug, person.pk)
            if deactivate:
                account = "Their account has been deactivated."
            elif person.is_active:
                account = "Their account is still active."
            else:
                account = "Their account stays deactivated."
            messages.success(
                request,
                f"{person} is no longer {membership}. They hold no role in {partnership.name} now, so they are no "
                f"longer in its list of people. {account}",
            )
            return redirect("partnerships:person_list", slug)
    context = {
        "title": f"Remove {person.full_name}’s role",
        "partnership": partnership,
        "person": person,
        "membership": membership,
        "last_role": last_role,
        "form": form if offer_deactivation else None,
        "error": error,
        "breadcrumbs": partnership_crumbs(
            partnership,
            ("People", reverse("partnerships:person_list", args=[slug])),
            (person.full_name, reverse("partnerships:person_detail", args=[slug, person.pk])),
            ("Remove a role", ""),
        ),
    }
    return render(request, "partnerships/membership_remove.html", context, status=400 if error else 200)


ACCESS_LOG_PAGE_SIZE = 50


@login_required
def access_log(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for(request, slug, perm="partnerships.view_access_log")
    entries = access_log_visible_to(_user(request)).filter(partnership=partnership)
    action = request.GET.get("action", "")
    if action in AccessAction.values:
        entries = entries.filter(action=action)
    person = request.GET.get("person", "").strip()
    if person:
        entries = entries.filter(actor_email__icontains=person)
    page = Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": "Access log",
        "partnership": partnership,
        "page": page,
        "actions": AccessAction.choices,
        "action": action,
        "person": person,
        "query": query.urlencode(),
        "breadcrumbs": partnership_crumbs(partnership, ("Access log", "")),
    }
    return render(request, "partnerships/access_log.html", context)
