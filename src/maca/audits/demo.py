"""The demo audit: the seed Terms of Reference, loaded from the template library and approved by its lead."""

import datetime

from django.db import transaction
from django.utils import timezone

from maca.accounts.models import User
from maca.partnerships.models import Partnership

from . import library
from .definition import audit_definition, definition_data
from .models import Audit, AuditStatus, TermsOfReferenceVersion
from .services import _write_rows, frozen_names

DEMO_REFERENCE = "torbay-hsb-2021"
DEMO_TEMPLATE = "hsb"
DEMO_LEAD_EMAIL = "audit.lead@demo.maca.invalid"
# The seed Terms of Reference is dated June 2021.
DEMO_APPROVED_AT = datetime.datetime(2021, 6, 30, 12, 0, tzinfo=datetime.UTC)


@transaction.atomic
def load_audit_demo(partnership: Partnership) -> Audit:
    """Create the demo audit once: version 1 of its Terms of Reference approved by the demo audit lead."""
    existing = Audit.objects.filter(reference=DEMO_REFERENCE).first()
    if existing is not None:
        return existing
    data = library.load_template(DEMO_TEMPLATE).model_dump(by_alias=True)
    data["reference"] = DEMO_REFERENCE
    lead = User.objects.get(email=DEMO_LEAD_EMAIL)
    audit = Audit(partnership=partnership, reference=DEMO_REFERENCE, template_key=DEMO_TEMPLATE, lead=lead)
    _write_rows(audit, data, partnership)
    TermsOfReferenceVersion.objects.create(
        audit=audit,
        number=1,
        definition=definition_data(audit_definition(audit)),
        approved_by=lead,
        **frozen_names(audit),
        approved_at=DEMO_APPROVED_AT if timezone.now() > DEMO_APPROVED_AT else timezone.now(),
    )
    audit.status = AuditStatus.APPROVED
    audit.save(update_fields=["status"])
    return audit
