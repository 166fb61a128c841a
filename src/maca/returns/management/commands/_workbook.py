"""What `export_returns` and `import_returns` share: the audit, the agency and the person acting, each checked."""

from django.core.management.base import CommandError

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.partnerships.models import Agency


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


def actor_for(agency: Agency, email: str | None, perm: str, who: str, doing: str) -> User:
    """The person named by --as, who must hold `perm` on the agency (`who` says who does): the access log records
    them."""
    if not email:
        raise CommandError(f"Say who is {doing} with --as EMAIL: {who} of {agency}. The access log records who did it.")
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise CommandError(f"There is no active account {email!r}.")
    if not user.has_perm(perm, agency):
        raise CommandError(f"{user.email} is not {who} of {agency}: only they may be {doing} its returns.")
    return user
