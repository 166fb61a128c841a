"""Reads of audits, each starting from what the user may see.

A draft Terms of Reference is seen by the partnership's coordinators and the audit's lead. Once a version has been
approved, the Terms of Reference is a partnership document: every member of the partnership may read it.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from maca.accounts.models import User
from maca.partnerships.models import Membership, Role

from .models import Audit, TermsOfReferenceVersion

AnyUser = User | AnonymousUser


def audits_visible_to(user: AnyUser) -> QuerySet[Audit]:
    """The audits the user may open."""
    if not user.is_authenticated or not user.is_active:
        return Audit.objects.none()
    member_of = Membership.objects.filter(user=user).values("partnership_id")
    coordinates = Membership.objects.filter(user=user, role=Role.COORDINATOR).values("partnership_id")
    has_approved = Exists(TermsOfReferenceVersion.objects.filter(audit=OuterRef("pk")))
    return (
        Audit.objects.filter(partnership__in=member_of)
        .filter(Q(partnership__in=coordinates) | Q(lead=user) | Q(has_approved))
        .select_related("partnership", "lead")
    )


def tor_versions_visible_to(user: AnyUser) -> QuerySet[TermsOfReferenceVersion]:
    """The approved versions of the Terms of Reference of the audits the user may open."""
    return TermsOfReferenceVersion.objects.filter(audit__in=audits_visible_to(user)).select_related("audit")
