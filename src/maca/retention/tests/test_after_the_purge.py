"""After the purge, what was computed from the destroyed data is not computed again from nothing: the analysis and
the live outputs show the figures frozen at closure instead, their downloads are gone, and no new briefing is built;
the published briefings stay."""

from pathlib import Path

import pytest
from django.conf import LazySettings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from maca.findings.tests.factories import lead
from maca.outputs.models import Audience, Layout
from maca.outputs.services import publication_publish
from maca.retention.models import AuditClosure
from maca.retention.purge import purge_due
from maca.retention.services import audit_close
from maca.retention.tests.test_purge_leaves_no_trace import plant
from maca.tests.cast import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def purged(cast: Cast, settings: LazySettings, tmp_path: Path) -> AuditClosure:
    settings.MEDIA_ROOT = tmp_path / "media"
    closure = audit_close(actor=cast.coordinator, audit=plant(cast)["audit"])
    purge_due(today=closure.destroy_on, dry_run=False)
    closure.refresh_from_db()
    assert closure.purged_at is not None
    assert closure.figures
    return closure


def test_the_analysis_and_the_live_outputs_show_the_figures_frozen_at_closure(cast: Cast, purged: AuditClosure) -> None:
    coordinator = Client()
    coordinator.force_login(cast.coordinator)
    reference = purged.audit.reference
    figure = purged.figures[0]
    for url in (
        reverse("analysis:overview", args=[reference]),
        reverse("outputs:document", args=[reference, "report", "professionals"]),
    ):
        response = coordinator.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "The case-level data of this audit was destroyed on" in page
        assert figure["label"] in page
        assert figure["text"] in page
    for url in (
        reverse("analysis:download", args=[reference]),
        reverse("outputs:download", args=[reference, "report", "professionals", "pdf"]),
    ):
        assert coordinator.get(url).status_code == 410, url
    # The published briefing stays, for everyone.
    assert Client().get(reverse("outputs:public", args=[reference])).status_code == 200


def test_no_briefing_is_built_again_from_the_destroyed_data(cast: Cast, purged: AuditClosure) -> None:
    with pytest.raises(ValidationError, match="destroyed on"):
        publication_publish(actor=lead(cast), audit=purged.audit, layout=Layout.BRIEFING, audience=Audience.PUBLIC)
