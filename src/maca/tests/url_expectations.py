"""What every member of the test cast gets from every URL of maca.

Every named URL pattern must have an entry here with an expectation for every member of the cast
(`maca.tests.cast.CAST`); `test_url_access.py` walks the URLconf and fails when one is missing, stale or wrong.
A new page therefore cannot land without its author deciding who may open it.

An expectation is an HTTP status, or `Redirect(prefix)` for a redirect whose target starts with prefix.
`LOGIN` is the redirect to the log-in page that anonymous people get.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from maca.tests.cast import CAST, Cast


@dataclass(frozen=True)
class Redirect:
    prefix: str


LOGIN = Redirect("/accounts/login/")
HOME = Redirect("/")
REAUTHENTICATE = Redirect("/accounts/reauthenticate/")

Outcome = int | Redirect
Kwargs = Callable[[Cast], dict[str, Any]]


@dataclass(frozen=True)
class Expect:
    """Who gets what from one URL. `writes`: the URL also takes POST, so refusals are checked for POST too."""

    outcomes: dict[str, Outcome]
    kwargs: Kwargs = field(default=lambda cast: {})
    writes: bool = False


def _check(outcomes: dict[str, Outcome]) -> dict[str, Outcome]:
    unknown = set(outcomes) - set(CAST)
    assert not unknown, f"not in the cast: {unknown}"
    return outcomes


def everyone(outcome: Outcome, *, anonymous: Outcome | None = None) -> dict[str, Outcome]:
    """The same for all, with anonymous apart if given."""
    outcomes: dict[str, Outcome] = dict.fromkeys(CAST, outcome)
    if anonymous is not None:
        outcomes["anonymous"] = anonymous
    return outcomes


def signed_in(outcome: Outcome = 200) -> dict[str, Outcome]:
    """Anyone who is logged in; anonymous people are sent to log in."""
    return everyone(outcome, anonymous=LOGIN)


def partnership_members(outcome: Outcome = 200) -> dict[str, Outcome]:
    """Every member of the cast's partnership; the outsider does not learn it exists."""
    return _check({**signed_in(outcome), "outsider": 404})


def coordinators(outcome: Outcome = 200) -> dict[str, Outcome]:
    """The partnership's coordinator; its other members are refused, the outsider does not learn it exists."""
    return _check({**partnership_members(403), "coordinator": outcome})


def _slug(cast: Cast) -> dict[str, Any]:
    return {"slug": cast.partnership.slug}


def _agency(cast: Cast) -> dict[str, Any]:
    return {"slug": cast.partnership.slug, "code": cast.agency_a.short_code}


def _service(cast: Cast) -> dict[str, Any]:
    return {**_agency(cast), "pk": cast.agency_a.services.get().pk}


def _group(cast: Cast) -> dict[str, Any]:
    return {"slug": cast.partnership.slug, "pk": cast.group.pk}


def _person(cast: Cast) -> dict[str, Any]:
    auditor = cast["auditor_a"]
    assert auditor is not None
    return {"slug": cast.partnership.slug, "pk": auditor.pk}


def _deactivated_person(cast: Cast) -> dict[str, Any]:
    """A person of the partnership (an auditor in agency B) whose account a coordinator has deactivated."""
    from maca.accounts.tests.factories import UserFactory
    from maca.partnerships.tests.factories import MembershipFactory

    person = UserFactory.create(email="left@example.org", full_name="Lou Leaver", is_active=False)
    MembershipFactory.create(user=person, partnership=cast.partnership, role="auditor", agency=cast.agency_b)
    return {"slug": cast.partnership.slug, "pk": person.pk}


def _membership(cast: Cast) -> dict[str, Any]:
    auditor = cast["auditor_a"]
    assert auditor is not None
    return {**_person(cast), "membership_pk": auditor.memberships.get().pk}


def audit_editors(outcome: Outcome = 200, *, lead: Outcome | None = None) -> dict[str, Outcome]:
    """A draft audit: its coordinator and its lead (or `lead`); nobody else learns it exists."""
    outcomes = _check({**partnership_members(404), "coordinator": outcome})
    outcomes["audit_lead"] = outcome if lead is None else lead
    return outcomes


def approved_audit_readers(outcome: Outcome = 200, *, changers: Outcome | None = None) -> dict[str, Outcome]:
    """An approved audit: every member of the partnership reads it; `changers` for the coordinator and lead."""
    outcomes = partnership_members(outcome)
    if changers is not None:
        outcomes.update(coordinator=changers, audit_lead=changers)
    return outcomes


def _audit(cast: Cast) -> dict[str, Any]:
    assert cast.audit is not None
    return {"reference": cast.audit.reference}


def _approved(cast: Cast) -> dict[str, Any]:
    assert cast.approved_audit is not None
    return {"reference": cast.approved_audit.reference}


def _audit_with(**extra: Any) -> Kwargs:
    return lambda cast: {**_audit(cast), **extra}


DRAFT_AUDIT_PAGE = Redirect("/audits/anytown-neglect-2026/")

AUDIT_EXPECTATIONS: dict[str, Expect] = {
    "audits:list": Expect(partnership_members(), _slug),
    "audits:create": Expect(coordinators(), _slug, writes=True),
    "audits:import": Expect(coordinators(), _slug, writes=True),
    "audits:detail": Expect(audit_editors(), _audit),
    "audits:copy": Expect(audit_editors(lead=403), _audit, writes=True),
    "audits:definition": Expect(audit_editors(), _audit),
    "audits:tor": Expect(audit_editors(), _audit),
    "audits:tor_download": Expect(audit_editors(), _audit_with(fmt="html")),
    "audits:lead": Expect(audit_editors(lead=403), _audit, writes=True),
    "audits:submit": Expect(audit_editors(), _audit, writes=True),
    # Approving and returning need a Terms of Reference in review: the draft's page says so.
    "audits:approve": Expect(audit_editors(403, lead=DRAFT_AUDIT_PAGE), _audit, writes=True),
    "audits:return": Expect(audit_editors(DRAFT_AUDIT_PAGE), _audit, writes=True),
    "audits:new_version": Expect(approved_audit_readers(403, changers=200), _approved, writes=True),
    # Editing the Terms of Reference of the draft.
    "audits:edit_details": Expect(audit_editors(), _audit, writes=True),
    "audits:edit_text": Expect(audit_editors(), _audit_with(section="background"), writes=True),
    "audits:edit_themes": Expect(audit_editors(), _audit, writes=True),
    "audits:add_theme": Expect(audit_editors(), _audit, writes=True),
    "audits:edit_theme": Expect(audit_editors(), _audit_with(position=1), writes=True),
    "audits:remove_theme": Expect(audit_editors(), _audit_with(position=1), writes=True),
    "audits:edit_questions": Expect(audit_editors(), _audit_with(position=1), writes=True),
    "audits:edit_identification": Expect(audit_editors(), _audit, writes=True),
    "audits:edit_engagement": Expect(audit_editors(), _audit, writes=True),
    "audits:edit_participants": Expect(audit_editors(), _audit_with(kind="case_audit"), writes=True),
    "audits:edit_timeline": Expect(audit_editors(), _audit, writes=True),
    "audits:edit_grading": Expect(audit_editors(), _audit, writes=True),
    "audits:edit_case_fields": Expect(audit_editors(), _audit, writes=True),
}


def case_workers(**outcomes: Outcome) -> dict[str, Outcome]:
    """An approved audit's cases: anyone who sees the audit but works on no case is refused; others as given."""
    return _check({**partnership_members(403), **outcomes})


def _case(cast: Cast) -> dict[str, Any]:
    assert cast.case is not None
    return {**_approved(cast), "case": cast.case.reference}


NOMINATORS = {"coordinator": 200, "agency_lead_a": 200}  # agency A identifies cases for the approved audit
CASE_EXPECTATIONS: dict[str, Expect] = {
    "cases:list": Expect(
        case_workers(coordinator=200, audit_lead=200, agency_lead_a=200, auditor_a=200, auditor_b=200), _approved
    ),
    "cases:nominate": Expect(case_workers(**NOMINATORS), _approved, writes=True),
    "cases:import": Expect(case_workers(**NOMINATORS), _approved, writes=True),
    "cases:template": Expect(case_workers(**NOMINATORS), lambda cast: {**_approved(cast), "fmt": "csv"}),
    # The case of agency A: agency B is not involved, so it does not learn the case exists.
    "cases:detail": Expect(
        case_workers(coordinator=200, audit_lead=200, agency_lead_a=200, auditor_a=200, auditor_b=404), _case
    ),
    "cases:decide": Expect(case_workers(coordinator=200, audit_lead=200, auditor_b=404), _case, writes=True),
    "cases:change": Expect(case_workers(coordinator=200, agency_lead_a=200, auditor_b=404), _case, writes=True),
    "cases:withdraw": Expect(case_workers(coordinator=200, agency_lead_a=200, auditor_b=404), _case, writes=True),
    "cases:add_involvement": Expect(
        case_workers(coordinator=200, audit_lead=200, agency_lead_a=200, auditor_b=404), _case, writes=True
    ),
    "cases:remove_involvement": Expect(
        case_workers(coordinator=200, audit_lead=200, agency_lead_a=200, auditor_b=404),
        lambda cast: {**_case(cast), "code": "AGA"},
        writes=True,
    ),
    "cases:involvement": Expect(
        case_workers(agency_lead_a=200, auditor_b=404), lambda cast: {**_case(cast), "code": "AGA"}, writes=True
    ),
}


def _return(cast: Cast) -> dict[str, Any]:
    """Agency A's return (not started, not assigned) for the included case NEG-02 of the approved audit."""
    from maca.returns.tests.factories import make_return

    agency_return = make_return(cast)
    return {**_approved(cast), "case": agency_return.case.reference, "code": "AGA"}


def _theme(cast: Cast) -> dict[str, Any]:
    assert cast.approved_audit is not None
    return {**_return(cast), "theme": cast.approved_audit.themes.order_by("position").first().pk}  # type: ignore[union-attr]


def _agency_workbook(cast: Cast) -> dict[str, Any]:
    """Agency A's workbook of the approved audit (agency A has its return for NEG-02)."""
    kwargs = _return(cast)
    return {"reference": kwargs["reference"], "code": kwargs["code"]}


_AFTER_DRAFT = Redirect("/audits/anytown-approved-2025/returns/NEG-02/AGA/")
# Agency A writes its return; nobody else reads a draft (the coordinator and the audit lead see its state only);
# agency B does not learn it exists.
RETURN_EXPECTATIONS: dict[str, Expect] = {
    "returns:list": Expect(
        case_workers(coordinator=200, audit_lead=200, agency_lead_a=200, auditor_a=200, auditor_b=200), _approved
    ),
    "returns:open_moderation": Expect(case_workers(coordinator=200), _approved, writes=True),
    "returns:detail": Expect(case_workers(agency_lead_a=200, auditor_a=200, auditor_b=404), _return),
    "returns:theme": Expect(case_workers(agency_lead_a=200, auditor_b=404), _theme, writes=True),
    "returns:sharing": Expect(case_workers(agency_lead_a=200, auditor_b=404), _return, writes=True),
    # The approved audit has no case field answered per agency: there is no such page.
    "returns:profile": Expect(case_workers(agency_lead_a=404, auditor_b=404), _return, writes=True),
    "returns:check": Expect(case_workers(agency_lead_a=200, auditor_b=404), _return, writes=True),
    "returns:assign": Expect(case_workers(agency_lead_a=200, auditor_b=404), _return, writes=True),
    "returns:decide": Expect(case_workers(agency_lead_a=_AFTER_DRAFT, auditor_b=404), _return, writes=True),
    "returns:reopen": Expect(case_workers(audit_lead=_AFTER_DRAFT, auditor_b=404), _return, writes=True),
    "returns:remind": Expect(case_workers(coordinator=200, audit_lead=200, auditor_b=404), _return, writes=True),
    # The workbook holds the agency's drafts: its leads and auditors download it, its leads upload it.
    "returns:workbook": Expect(case_workers(agency_lead_a=200, auditor_a=200, auditor_b=404), _agency_workbook),
    "returns:workbook_upload": Expect(case_workers(agency_lead_a=200, auditor_b=404), _agency_workbook, writes=True),
    # The audit lead reads a return's history once it is submitted; this one is a draft.
    "returns:history": Expect(case_workers(agency_lead_a=200, audit_lead=403, auditor_b=404), _return),
}

# allauth's pages: for people who are logged in, and for those who are not.
_ACCOUNT_PAGES_SIGNED_IN_ONLY = signed_in(200)
_ANONYMOUS_ONLY = everyone(HOME, anonymous=200)

EXPECTATIONS: dict[str, Expect] = {
    "home": Expect(signed_in(200)),
    # The accessibility statement: anyone, logged in or not.
    "accessibility": Expect(everyone(200)),
    # Partnerships
    "partnerships:detail": Expect(partnership_members(), _slug),
    "partnerships:logo": Expect(coordinators(), _slug, writes=True),
    "partnerships:disclosure": Expect(coordinators(), _slug, writes=True),
    "partnerships:agency_list": Expect(partnership_members(), _slug),
    "partnerships:agency_create": Expect(coordinators(), _slug, writes=True),
    "partnerships:agency_detail": Expect(partnership_members(), _agency),
    "partnerships:agency_edit": Expect(coordinators(), _agency, writes=True),
    "partnerships:agency_service_create": Expect(coordinators(), _agency, writes=True),
    "partnerships:agency_service_edit": Expect(coordinators(), _service, writes=True),
    "partnerships:governance_group_list": Expect(partnership_members(), _slug),
    "partnerships:governance_group_create": Expect(coordinators(), _slug, writes=True),
    "partnerships:governance_group_edit": Expect(coordinators(), _group, writes=True),
    "partnerships:person_list": Expect(coordinators(), _slug),
    "partnerships:person_create": Expect(coordinators(), _slug, writes=True),
    "partnerships:person_detail": Expect(coordinators(), _person),
    "partnerships:person_deactivate": Expect(coordinators(), _person, writes=True),
    "partnerships:person_reactivate": Expect(coordinators(), _deactivated_person, writes=True),
    "partnerships:membership_create": Expect(coordinators(), _person, writes=True),
    "partnerships:membership_remove": Expect(coordinators(), _membership, writes=True),
    "partnerships:access_log": Expect(coordinators(), _slug),
    # Accounts. Everyone in the cast has a second factor, so the enrolment page sends them home.
    "accounts:second_factor_required": Expect(signed_in(HOME)),
    "account_login": Expect(_ANONYMOUS_ONLY),
    "account_logout": Expect(everyone(200, anonymous=HOME)),
    "account_inactive": Expect(everyone(200)),
    "account_signup": Expect(everyone(HOME, anonymous=200)),
    "account_reauthenticate": Expect(_ACCOUNT_PAGES_SIGNED_IN_ONLY),
    # Sign-in addresses are managed by coordinators: allauth's page is replaced by a pointer to the account page.
    "account_email": Expect(signed_in(Redirect("/accounts/2fa/"))),
    "account_email_managed": Expect(signed_in(Redirect("/accounts/2fa/"))),
    "account_email_verification_sent": Expect(everyone(200)),
    "account_change_password": Expect(_ACCOUNT_PAGES_SIGNED_IN_ONLY),
    "account_set_password": Expect(signed_in(Redirect("/accounts/password/change/"))),
    "account_reset_password": Expect(everyone(200)),
    "account_reset_password_done": Expect(everyone(200)),
    "account_reset_password_from_key": Expect(everyone(200), lambda cast: {"uidb36": "1", "key": "not-a-key"}),
    "account_reset_password_from_key_done": Expect(everyone(200)),
    # Log-in by code is not used: signed-in people are sent home, others to log in.
    "account_confirm_login_code": Expect(signed_in(HOME)),
    "account_confirm_email": Expect(everyone(200), lambda cast: {"key": "not-a-key"}),
    "mfa_index": Expect(_ACCOUNT_PAGES_SIGNED_IN_ONLY),
    "mfa_authenticate": Expect(signed_in(HOME)),
    "mfa_reauthenticate": Expect(_ACCOUNT_PAGES_SIGNED_IN_ONLY),
    # Changing one's second factors needs a recent log-in (the cast's sessions are not recent).
    "mfa_activate_totp": Expect(signed_in(REAUTHENTICATE)),
    "mfa_deactivate_totp": Expect(signed_in(REAUTHENTICATE)),
    "mfa_view_recovery_codes": Expect(signed_in(404)),
    "mfa_generate_recovery_codes": Expect(signed_in(REAUTHENTICATE)),
    "mfa_download_recovery_codes": Expect(signed_in(404)),
    "mfa_list_webauthn": Expect(_ACCOUNT_PAGES_SIGNED_IN_ONLY),
    "mfa_add_webauthn": Expect(signed_in(REAUTHENTICATE)),
    "mfa_reauthenticate_webauthn": Expect(signed_in(REAUTHENTICATE)),
    "mfa_remove_webauthn": Expect(signed_in(REAUTHENTICATE), lambda cast: {"pk": 1}),
    "mfa_edit_webauthn": Expect(signed_in(REAUTHENTICATE), lambda cast: {"pk": 1}),
}

# Whole namespaces whose every URL gives the same answer, unless EXPECTATIONS names the URL. The Django admin is
# for superusers, and nobody in the cast is one: every admin page sends everyone to the admin's log-in, which
# sends anonymous people to the ordinary log-in (with its second factor) and tells the others they may not enter.
NAMESPACE_EXPECTATIONS: dict[str, dict[str, Outcome]] = {
    "admin": everyone(Redirect("/admin/login/")),
}
EXPECTATIONS.update(AUDIT_EXPECTATIONS)
EXPECTATIONS.update(CASE_EXPECTATIONS)
EXPECTATIONS.update(RETURN_EXPECTATIONS)
EXPECTATIONS["admin:login"] = Expect(signed_in(200))
EXPECTATIONS["admin:logout"] = Expect(everyone(Redirect("/admin/")))

# The self-assessment keeps its expectations with its tests (imported last: they use the helpers above).
from maca.selfassessment.tests.expectations import SELF_ASSESSMENT_EXPECTATIONS  # noqa: E402

EXPECTATIONS.update(SELF_ASSESSMENT_EXPECTATIONS)

from maca.analysis.tests.expectations import ANALYSIS_EXPECTATIONS  # noqa: E402
from maca.findings.tests.expectations import FINDINGS_EXPECTATIONS  # noqa: E402

EXPECTATIONS.update(ANALYSIS_EXPECTATIONS)
EXPECTATIONS.update(FINDINGS_EXPECTATIONS)

from maca.outputs.tests.expectations import OUTPUTS_EXPECTATIONS  # noqa: E402

EXPECTATIONS.update(OUTPUTS_EXPECTATIONS)

from maca.retention.tests.expectations import RETENTION_EXPECTATIONS  # noqa: E402

EXPECTATIONS.update(RETENTION_EXPECTATIONS)
