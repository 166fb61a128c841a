"""The data migrations that take the draft values already logged out of the access log, run on rows written the old
way (values and evidence file names), leaving the workflow's steps as they were."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.partnerships.services import NOT_LOGGED
from maca.returns.models import AgencyReturn
from maca.returns.tests.factories import make_return
from maca.selfassessment.models import SelfAssessment
from maca.tests.cast import Cast

pytestmark = pytest.mark.django_db

DRAFT = "The child told the school nurse first."


def _entry(cast: Cast, model: type, action: AccessAction, changes: dict[str, object]) -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        partnership=cast.partnership,
        actor=cast["auditor_b"],
        actor_email="auditor.b@example.org",
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        object_id="1",
        object_repr="an old entry",
        changes=changes,
    )


def _migrate(app: str) -> None:
    module = importlib.import_module(f"maca.{app}.migrations.0002_redact_draft_values_in_the_access_log")
    module.redact(apps, None)


def test_the_values_of_drafts_already_logged_are_redacted(cast: Cast) -> None:
    make_return(cast)
    saved = _entry(cast, AgencyReturn, AccessAction.CHANGED, {"Recognition: went_well": [None, DRAFT]})
    submitted = _entry(cast, AgencyReturn, AccessAction.CHANGED, {"status": ["in_progress", "submitted"]})
    assigned = _entry(cast, AgencyReturn, AccessAction.CHANGED, {"assigned to": [None, "auditor.a@example.org"]})
    rated = _entry(
        cast,
        SelfAssessment,
        AccessAction.CREATED,
        {"1.1 evidence": [None, DRAFT], "evidence files added": [None, ["3: Nurse's notes.pdf"]]},
    )
    viewed = _entry(cast, SelfAssessment, AccessAction.VIEWED, {"viewed": [None, "evidence file Nurse's notes.pdf"]})
    results = _entry(cast, SelfAssessment, AccessAction.VIEWED, {"viewed": [None, "results of the self-assessments"]})
    returned = _entry(
        cast,
        SelfAssessment,
        AccessAction.CHANGED,
        {"state": ["submitted", "returned"], "reason": [None, "Add the training dates."]},
    )

    _migrate("returns")
    _migrate("selfassessment")

    def changes(entry: AccessLogEntry) -> object:
        entry.refresh_from_db()
        return entry.changes

    assert changes(saved) == {"Recognition: went_well": [None, NOT_LOGGED]}
    assert changes(submitted) == {"status": ["in_progress", "submitted"]}
    assert changes(assigned) == {"assigned to": [None, "auditor.a@example.org"]}
    assert changes(rated) == {"1.1 evidence": [None, NOT_LOGGED], "evidence files added": [None, NOT_LOGGED]}
    assert changes(viewed) == {"viewed": [None, "evidence file"]}
    assert changes(results) == {"viewed": [None, "results of the self-assessments"]}
    assert changes(returned) == {"state": ["submitted", "returned"], "reason": [None, "Add the training dates."]}
    assert not AccessLogEntry.objects.filter(changes__icontains="nurse").exists()
