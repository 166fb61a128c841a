"""Writes to partnership data. Each records who did what in the access log, in the same transaction."""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from maca.accounts.models import User
from maca.accounts.sessions import end_sessions
from maca.common.mail import send_message
from maca.common.models import VersionedModel
from maca.common.scoping import require_perm
from maca.common.versioning import claim_version
from maca.partnerships.models import (
    AGENCY_ROLES,
    AccessAction,
    AccessLogEntry,
    Agency,
    AgencyService,
    GovernanceGroup,
    Membership,
    Partnership,
    Role,
)
from maca.partnerships.selectors import partnerships_coordinated_by


def _value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of some fields, as the access log keeps them (related objects by their name)."""
    return {name: _value(getattr(instance, name)) for name in fields}


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field → [old, new] for every field whose value differs."""
    return {name: [before.get(name), after[name]] for name in after if before.get(name) != after[name]}


# What the access log keeps instead of a value it must not hold: an agency's draft words, or a destroyed value.
NOT_LOGGED = "changed (the value is not logged)"


def fields_only(changes: dict[str, Any]) -> dict[str, list[Any]]:
    """The names of the fields that changed, without their values.

    The access log of an agency's return or self-assessment records who changed which field, never what they wrote:
    a draft stays with its agency, and the words of a submitted one are read, and their views logged, where they are.
    """
    return {name: [None, NOT_LOGGED] for name in changes}


def acting_agency(actor: User, partnership: Partnership) -> Agency | None:
    """The agency a person acts for in a partnership, when they act for exactly one."""
    agency_ids = set(
        Membership.objects.filter(user=actor, partnership=partnership, agency__isnull=False).values_list(
            "agency_id", flat=True
        )
    )
    if len(agency_ids) != 1:
        return None
    return Agency.objects.get(pk=agency_ids.pop())


# How an object of case-level data leads to its audit: its own `audit_id`, or that of the object it belongs to.
_OWNERS = ("case", "agency_return", "self_assessment", "finding")


def audit_pk_of(obj: models.Model) -> int | None:
    """The primary key of the audit an object belongs to (the audit's own for an audit), or None."""
    if obj._meta.label == "audits.Audit":
        return int(obj.pk)
    audit_id = getattr(obj, "audit_id", None)
    if isinstance(audit_id, int):
        return audit_id
    for owner in _OWNERS:
        if getattr(obj, f"{owner}_id", None) is not None:
            return audit_pk_of(getattr(obj, owner))
    return None


def access_log_record(
    *,
    actor: User,
    partnership: Partnership,
    action: AccessAction,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    agency: Agency | None = None,
) -> AccessLogEntry:
    """Record one view, change or export of `obj`. Call it inside the transaction that makes the change."""
    return AccessLogEntry.objects.create(
        partnership=partnership,
        actor=actor,
        actor_email=actor.email,
        agency=agency if agency is not None else acting_agency(actor, partnership),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        audit_pk=audit_pk_of(obj),
        changes=changes or {},
    )


M = TypeVar("M", bound=VersionedModel)


def _create(*, actor: User, partnership: Partnership, instance: M, tracked: Iterable[str]) -> M:
    """Validate and save a new record, and log it with its tracked fields."""
    instance.full_clean()
    instance.save()
    access_log_record(
        actor=actor,
        partnership=partnership,
        action=AccessAction.CREATED,
        obj=instance,
        changes=changes_between({}, snapshot(instance, tracked)),
    )
    return instance


def _update(*, actor: User, partnership: Partnership, instance: M, loaded_version: int, changes: dict[str, Any]) -> M:
    """Apply changes to a record edited from a page loaded at `loaded_version`, and log what changed.

    Refused with ChangedSinceLoaded if someone changed the record since; nothing is saved when it is not valid.
    """
    claim_version(instance, loaded_version)
    before = snapshot(instance, changes)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    access_log_record(
        actor=actor,
        partnership=partnership,
        action=AccessAction.CHANGED,
        obj=instance,
        changes=changes_between(before, snapshot(instance, changes)),
    )
    return instance


@transaction.atomic
def agency_create(*, actor: User, partnership: Partnership, name: str, short_code: str, agency_type: str) -> Agency:
    """Add an agency to a partnership."""
    require_perm(actor, "partnerships.change_partnership", partnership)
    agency = Agency(partnership=partnership, name=name, short_code=short_code.upper(), agency_type=agency_type)
    return _create(actor=actor, partnership=partnership, instance=agency, tracked=("name", "short_code", "agency_type"))


@transaction.atomic
def agency_update(
    *,
    actor: User,
    agency: Agency,
    loaded_version: int,
    name: str | None = None,
    short_code: str | None = None,
    agency_type: str | None = None,
) -> Agency:
    """Change an agency's details (those given)."""
    require_perm(actor, "partnerships.change_agency", agency)
    given = {"name": name, "short_code": short_code.upper() if short_code else None, "agency_type": agency_type}
    changes = {field: value for field, value in given.items() if value is not None}
    return _update(
        actor=actor, partnership=agency.partnership, instance=agency, loaded_version=loaded_version, changes=changes
    )


@transaction.atomic
def agency_service_create(*, actor: User, agency: Agency, name: str) -> AgencyService:
    """Add a service or team to an agency."""
    require_perm(actor, "partnerships.change_agency", agency)
    service = AgencyService(agency=agency, name=name)
    return _create(actor=actor, partnership=agency.partnership, instance=service, tracked=("name",))


@transaction.atomic
def agency_service_update(*, actor: User, service: AgencyService, loaded_version: int, name: str) -> AgencyService:
    """Rename a service or team."""
    require_perm(actor, "partnerships.change_agencyservice", service)
    return _update(
        actor=actor,
        partnership=service.agency.partnership,
        instance=service,
        loaded_version=loaded_version,
        changes={"name": name},
    )


@transaction.atomic
def governance_group_create(*, actor: User, partnership: Partnership, name: str, short_name: str) -> GovernanceGroup:
    """Add a governance group that audits can report to."""
    require_perm(actor, "partnerships.change_partnership", partnership)
    group = GovernanceGroup(partnership=partnership, name=name, short_name=short_name)
    return _create(actor=actor, partnership=partnership, instance=group, tracked=("name", "short_name"))


@transaction.atomic
def governance_group_update(
    *, actor: User, group: GovernanceGroup, loaded_version: int, name: str, short_name: str
) -> GovernanceGroup:
    """Change a governance group's name."""
    require_perm(actor, "partnerships.change_governancegroup", group)
    return _update(
        actor=actor,
        partnership=group.partnership,
        instance=group,
        loaded_version=loaded_version,
        changes={"name": name, "short_name": short_name},
    )


@transaction.atomic
def partnership_set_logo(*, actor: User, partnership: Partnership, upload: Any, content_type: str) -> Partnership:
    """Store the partnership's logo (a checked PNG or JPEG), replacing any earlier one."""
    require_perm(actor, "partnerships.change_partnership", partnership)
    old = partnership.logo.name if partnership.logo else None
    extension = {"image/png": "png", "image/jpeg": "jpg"}[content_type]
    partnership.logo.save(f"{partnership.slug}.{extension}", upload, save=False)
    partnership.logo_content_type = content_type
    partnership.save(update_fields=["logo", "logo_content_type"])
    access_log_record(
        actor=actor,
        partnership=partnership,
        action=AccessAction.CHANGED,
        obj=partnership,
        changes={"logo": [old, partnership.logo.name]},
    )
    return partnership


@transaction.atomic
def partnership_set_disclosure(*, actor: User, partnership: Partnership, threshold: int, wording: str) -> Partnership:
    """Set how the partnership's public outputs hide small counts; the change is logged."""
    require_perm(actor, "partnerships.change_partnership", partnership)
    changes = {
        field: [old, new]
        for field, old, new in (
            ("disclosure_threshold", partnership.disclosure_threshold, threshold),
            ("disclosure_wording", partnership.disclosure_wording, wording),
        )
        if old != new
    }
    partnership.disclosure_threshold = threshold
    partnership.disclosure_wording = wording
    partnership.full_clean(exclude=["logo", "slug", "name", "short_name", "logo_content_type"])
    partnership.save(update_fields=["disclosure_threshold", "disclosure_wording"])
    if changes:
        access_log_record(
            actor=actor, partnership=partnership, action=AccessAction.CHANGED, obj=partnership, changes=changes
        )
    return partnership


def _check_membership(
    partnership: Partnership, role: str, agency: Agency | None, governance_group: GovernanceGroup | None
) -> None:
    errors: dict[str, str] = {}
    if role not in Role.values:
        errors["role"] = "Choose a role from the list."
    if role in AGENCY_ROLES and agency is None:
        errors["agency"] = f"Choose the agency this {Role(role).label.lower()} acts for."
    if agency is not None and agency.partnership_id != partnership.pk:
        errors["agency"] = "Choose an agency of this partnership."
    if governance_group is not None and governance_group.partnership_id != partnership.pk:
        errors["governance_group"] = "Choose a governance group of this partnership."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def membership_add(
    *,
    actor: User,
    partnership: Partnership,
    person: User,
    role: str,
    agency: Agency | None = None,
    governance_group: GovernanceGroup | None = None,
) -> Membership:
    """Give a person a role in a partnership (on behalf of an agency where the role needs one)."""
    require_perm(actor, "partnerships.manage_people", partnership)
    _check_membership(partnership, role, agency, governance_group)
    if Membership.objects.filter(user=person, partnership=partnership, role=role, agency=agency).exists():
        raise ValidationError({"role": f"{person} already has this role{f' for {agency}' if agency else ''}."})
    membership = Membership.objects.create(
        user=person, partnership=partnership, role=role, agency=agency, governance_group=governance_group
    )
    access_log_record(
        actor=actor,
        partnership=partnership,
        action=AccessAction.CREATED,
        obj=membership,
        changes={"person": [None, person.email], "role": [None, str(membership)]},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership, deactivate_account: bool = False) -> None:
    """Take a role away from a person; with `deactivate_account`, switch their account off too (`person_deactivate`),
    in the same transaction: both are done, or neither. A partnership never loses its last active coordinator."""
    require_perm(actor, "partnerships.manage_people", membership.partnership)
    if deactivate_account:
        # Before the role goes, while the person is still one of this partnership's.
        person_deactivate(actor=actor, partnership=membership.partnership, person=membership.user)
    _hold_partnerships([membership.partnership_id])
    if membership.role == Role.COORDINATOR:
        others = Membership.objects.filter(partnership=membership.partnership, role=Role.COORDINATOR).exclude(
            pk=membership.pk
        )
        if not others.exists():
            raise ValidationError("A partnership must keep at least one coordinator. Add another coordinator first.")
        if not others.filter(user__is_active=True).exists():
            raise ValidationError(
                "A partnership must keep at least one active coordinator, and the other coordinators’ accounts are "
                "deactivated. Reactivate one of them, or add another coordinator, first."
            )
    access_log_record(
        actor=actor,
        partnership=membership.partnership,
        action=AccessAction.REMOVED,
        obj=membership,
        changes={"person": [membership.user.email, None], "role": [str(membership), None]},
    )
    membership.delete()


def _hold_partnerships(partnership_ids: Iterable[int]) -> None:
    """Hold the partnerships' rows until the transaction ends.

    Two changes to a partnership's coordinators made at the same moment (two coordinators switching each other off)
    are then made one after the other, the second seeing the first, so that neither can leave the partnership without
    an active coordinator. They are taken in one order, by id, so that two such changes never wait for each other in
    a circle. (SQLite has no row locks and ignores this: it lets one transaction write at a time.)
    """
    ids = sorted(set(partnership_ids))
    list(Partnership.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def _check_say_over_account(actor: User, partnership: Partnership, person: User, *, doing: str, advice: str) -> None:
    """Refuse (ValidationError, saying why) an actor who has no say over whether the person's account is active.

    The account is the person's one way into every partnership they work in, so switching it off or on is for someone
    who answers for all of them: a superuser, or a coordinator of every partnership in which the person holds a role,
    this one among them. Only a superuser switches a superuser's account.
    """
    if actor.is_superuser:
        return
    if person.is_superuser:
        raise ValidationError(
            f"{person} is a maca administrator: only another administrator can {doing} their account."
        )
    roles = Membership.objects.filter(user=person)
    if not roles.filter(partnership=partnership).exists():
        raise ValidationError(f"{person} holds no role in {partnership.name}.")
    if roles.exclude(partnership__in=partnerships_coordinated_by(actor)).exists():
        raise ValidationError(
            f"{person} also holds a role in another partnership, so whether their account is active is not for "
            f"{partnership.name} alone to decide. {advice}"
        )


def _check_coordinators_remain(person: User, coordinated: Iterable[int]) -> None:
    """Refuse (ValidationError) to switch off the last active coordinator of any partnership the person coordinates."""
    for partnership in Partnership.objects.filter(pk__in=coordinated).order_by("name"):
        others = Membership.objects.filter(partnership=partnership, role=Role.COORDINATOR, user__is_active=True)
        if not others.exclude(user=person).exists():
            raise ValidationError(
                f"{person} is the last active coordinator of {partnership.name}. Give someone else the coordinator "
                "role there first, so that someone can still manage its people."
            )


@transaction.atomic
def person_deactivate(*, actor: User, partnership: Partnership, person: User) -> User:
    """Switch a person's account off at once: they can no longer sign in, and every session they have open ends.

    Their roles stay, so that the account can be reactivated, and their name stays on everything they did. Refused
    (ValidationError, saying why) when it is the actor's own account, when the actor has no say over it (see
    `_check_say_over_account`), when it is already off, or when a partnership would be left without an active
    coordinator; then nothing changes. Recorded in the partnership's access log: who switched off whose account, and
    nothing else about them.
    """
    require_perm(actor, "partnerships.manage_people", partnership)
    if person.pk == actor.pk:
        raise ValidationError(
            f"You cannot deactivate your own account. Ask another coordinator of {partnership.name} to do it."
        )
    _check_say_over_account(
        actor,
        partnership,
        person,
        doing="deactivate",
        advice=f"Remove their roles here instead (without them they see nothing of {partnership.name}), or ask a maca "
        "administrator to deactivate the account.",
    )
    coordinated = list(
        Membership.objects.filter(user=person, role=Role.COORDINATOR).values_list("partnership_id", flat=True)
    )
    _hold_partnerships([partnership.pk, *coordinated])
    person.refresh_from_db(fields=["is_active"])
    if not person.is_active:
        raise ValidationError(f"{person}’s account is already deactivated.")
    _check_coordinators_remain(person, coordinated)
    person.is_active = False
    person.save(update_fields=["is_active"])
    end_sessions(person)
    access_log_record(
        actor=actor,
        partnership=partnership,
        action=AccessAction.CHANGED,
        obj=person,
        changes={"account": ["active", "deactivated"]},
    )
    return person


@transaction.atomic
def person_reactivate(*, actor: User, partnership: Partnership, person: User) -> User:
    """Switch a deactivated account back on: the person signs in as before, with the roles they kept.

    Refused (ValidationError, saying why) when the actor has no say over the account (see
    `_check_say_over_account`) or when it is already on; then nothing changes. Recorded in the partnership's access
    log: who switched on whose account, and nothing else about them. Sessions ended when it was switched off stay ended.
    """
    require_perm(actor, "partnerships.manage_people", partnership)
    _check_say_over_account(
        actor,
        partnership,
        person,
        doing="reactivate",
        advice="Ask a maca administrator to reactivate the account.",
    )
    person.refresh_from_db(fields=["is_active"])
    if person.is_active:
        raise ValidationError(f"{person}’s account is already active.")
    person.is_active = True
    person.save(update_fields=["is_active"])
    access_log_record(
        actor=actor,
        partnership=partnership,
        action=AccessAction.CHANGED,
        obj=person,
        changes={"account": ["deactivated", "active"]},
    )
    return person


def set_password_url(person: User, base_url: str) -> str:
    """The link with which a person chooses their password (allauth's password reset, valid until first used)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(person), "key": default_token_generator.make_token(person)},
    )
    return base_url.rstrip("/") + path


@transaction.atomic
def person_add(
    *,
    actor: User,
    partnership: Partnership,
    email: str,
    full_name: str,
    role: str,
    agency: Agency | None = None,
    governance_group: GovernanceGroup | None = None,
    base_url: str,
) -> Membership:
    """Add a person to a partnership with a first role, and e-mail them a link to choose a password.

    A person who already has an account (in this or another partnership) keeps it and is given the role.
    """
    require_perm(actor, "partnerships.manage_people", partnership)
    email = User.objects.normalize_email(email).strip().lower()
    _check_membership(partnership, role, agency, governance_group)
    person = User.objects.filter(email__iexact=email).first()
    created = person is None
    if person is None:
        person = User(email=email, full_name=full_name.strip())
        person.set_unusable_password()
        person.full_clean()
        person.save()
    membership = membership_add(
        actor=actor,
        partnership=partnership,
        person=person,
        role=role,
        agency=agency,
        governance_group=governance_group,
    )
    context = {
        "person": person,
        "partnership": partnership,
        "membership": membership,
        "actor": actor,
        "new_account": created,
        "link": set_password_url(person, base_url) if created else base_url.rstrip("/") + reverse("account_login"),
    }
    subject = f"You have been added to {partnership.name} on maca"
    body = render_to_string("partnerships/email/person_added.txt", context)
    transaction.on_commit(lambda: send_message(subject, body, [person.email], what="an invitation"))
    return membership
