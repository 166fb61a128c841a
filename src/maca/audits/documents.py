"""The Terms of Reference of an audit as a document: the current draft, or an approved version as it was approved."""

from django.utils import timezone

from .definition import audit_definition
from .models import Audit, AuditStatus, TermsOfReferenceVersion
from .schema import AuditDefinition
from .tor.context import Logo, TorDocument, tor_document


def partnership_logo(audit: Audit) -> Logo | None:
    """The partnership's logo, for the title page, when one has been uploaded."""
    partnership = audit.partnership
    if not partnership.logo:
        return None
    with partnership.logo.open("rb") as handle:
        return Logo(content=handle.read(), content_type=partnership.logo_content_type)


def tor_document_for(audit: Audit, version: TermsOfReferenceVersion | None = None) -> TorDocument:
    """The document of an approved version exactly as approved (names included), or of a draft as it stands.

    An approved audit without a version asked for is its latest approved version. DefinitionError if a draft is
    incomplete.
    """
    if version is None and audit.status == AuditStatus.APPROVED:
        version = audit.tor_versions.order_by("-number").first()
    agency_names = dict(audit.partnership.agencies.values_list("short_code", "name"))
    if version is not None:
        return tor_document(
            AuditDefinition.model_validate(version.definition),
            partnership_name=version.partnership_name or audit.partnership.name,
            agency_names=version.agency_names or agency_names,
            version=version.number,
            status=AuditStatus.APPROVED,
            approved_on=timezone.localdate(version.approved_at),
            logo=partnership_logo(audit),
        )
    return tor_document(
        audit_definition(audit),
        partnership_name=audit.partnership.name,
        agency_names=agency_names,
        version=audit.tor_version,
        status=audit.status,
        logo=partnership_logo(audit),
    )
