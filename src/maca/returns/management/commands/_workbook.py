"""What `export_returns` and `import_returns` share: the audit, the agency and the person acting, each checked."""

from django.core.management.base import CommandError

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.partnerships.models import Agency, Membership, Role


def audit_named(reference: str) -> Audit:
    audit = Audit.objects.select_related("partnership").filter(reference=reference).first()
    if audit is None:
        raise CommandError(f"There is no audit {reference!r}.")
    return audit


def agency_of(audit: Audit, code: str) -> Agency:
    agency = Agency.objects.filter(partnership=audit.partnership, short_code__iexact=code.strip()).first()
    if agency is None:
        known = ", ".join(Agency.objects.filter(partnership=audit.partnership).values_list("short_code", flat=True))
        raise CommandError(f"There is no agency {code!r} in {audit.partnership} (there are: {known or 'none'}).")
    return agency


def actor_for(audit: Audit, agency: Agency, email: str | None, roles: tuple[Role, ...], doing: str) -> User:
    """The person named by --as, who must hold one of `roles` in the agency: the access log records them."""
    who = " or ".join(str(role.label).lower() for role in roles)
    if not email:
        raise CommandError(
            f"Say who is {doing} with --as EMAIL: an {who} of {agency}. The access log records who did it."
        )
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise CommandError(f"There is no active account {email!r}.")
    if not Membership.objects.filter(user=user, partnership=audit.partnership, agency=agency, role__in=roles).exists():
        raise CommandError(f"{user.email} is not an {who} of {agency}: only they may be {doing} its returns.")
    return user
