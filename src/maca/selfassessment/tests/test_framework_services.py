"""The audit's framework: copied from the library once, edited by the coordinator or audit lead (names, order,
additions, removals) with every change logged, refused with its reasons and nothing saved, and fixed once an agency
has submitted."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from maca.accounts.models import User
from maca.common.versioning import ChangedSinceLoaded
from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.selfassessment.library import default_framework
from maca.selfassessment.models import Answer, Area, EvidenceFile, Framework, Rating, SelfAssessment, Statement
from maca.selfassessment.services import (
    AreaData,
    StatementData,
    framework_areas_update,
    framework_copy,
    framework_ensure,
    framework_is_fixed,
    framework_statements_update,
    framework_use_default,
    self_assessment_submit,
)
from maca.tests.cast import Cast

from .helpers import approved, areas, framework, person, rate_area, rate_everything

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def _outline(item: Framework) -> list[tuple[str, list[str]]]:
    return [(a.name, [s.text for s in a.statements.order_by("position")]) for a in item.areas.order_by("position")]


def test_the_first_need_copies_the_default_once_and_logs_it(cast: Cast) -> None:
    audit = approved(cast)
    made = framework_ensure(actor=cast.coordinator, audit=audit)
    again = framework_ensure(actor=person(cast, "auditor_b"), audit=audit)
    assert made.pk == again.pk
    assert Framework.objects.count() == 1
    # The cast's audit names "A framework", which maca does not ship: the default is copied, under that name.
    assert (made.name, made.source) == ("A framework", "nspcc-hsb")
    expected = [(area.name, [s.text for s in area.statements]) for area in default_framework().areas]
    assert _outline(made) == expected
    entry = AccessLogEntry.objects.get(action=AccessAction.CREATED, content_type__model="framework")
    assert entry.actor == cast.coordinator
    assert entry.changes["framework"] == [None, "A framework (from NSPCC Harmful Sexual Behaviour Framework)"]


def test_a_copy_made_without_a_person_is_not_logged(cast: Cast) -> None:
    _, made = framework_copy(approved(cast))
    assert made
    assert framework_copy(approved(cast)) == (Framework.objects.get(), False)
    assert not AccessLogEntry.objects.filter(content_type__model="framework").exists()


def test_renaming_reordering_adding_and_removing_areas(cast: Cast) -> None:
    item = framework(cast)
    first, second, *rest = list(item.areas.order_by("position"))
    statements_before, removed = Statement.objects.count(), rest[-1].statements.count()
    framework_areas_update(
        actor=cast.coordinator,
        framework=item,
        loaded_version=item.version,
        name="Anytown HSB checklist",
        areas=[
            AreaData("Prevention and early help", "Renamed and moved first.", second.pk),
            AreaData(first.name, first.description, first.pk),
            AreaData("Voice of the child", "A new area."),
            *(AreaData(area.name, area.description, area.pk) for area in rest[:-1]),
        ],
    )
    item.refresh_from_db()
    names = list(item.areas.order_by("position").values_list("name", flat=True))
    assert names == ["Prevention and early help", first.name, "Voice of the child", *(a.name for a in rest[:-1])]
    assert Area.objects.get(pk=second.pk).position == 1  # The same area, with its statements.
    assert Statement.objects.count() == statements_before - removed == 23
    assert item.name == "Anytown HSB checklist"
    assert item.version == 2
    entry = AccessLogEntry.objects.filter(action=AccessAction.CHANGED, content_type__model="framework").get()
    assert entry.changes["name"] == ["A framework", "Anytown HSB checklist"]
    assert entry.changes["areas"][1] == names


def test_rewording_and_moving_statements_keeps_the_answers_removing_one_removes_them(cast: Cast) -> None:
    area = areas(cast)[0]
    rate_area(cast, person(cast, "auditor_b"), cast.agency_b, area, Rating.PARTLY, "Half done.")
    one, two, three, *others = list(area.statements.order_by("position"))
    item = Framework.objects.get()
    framework_statements_update(
        actor=cast.coordinator,
        area=area,
        loaded_version=item.version,
        statements=[
            StatementData(two.text, two.hint, two.pk),
            StatementData("Our staff know the partnership's guidance.", "", one.pk),
            StatementData("A brand new statement.", "For example a leaflet."),
            *(StatementData(s.text, s.hint, s.pk) for s in others),
        ],
    )
    assert list(area.statements.order_by("position").values_list("pk", flat=True))[:2] == [two.pk, one.pk]
    assert Answer.objects.get(statement=one).evidence == "Half done."
    assert not Answer.objects.filter(statement_id=three.pk).exists()
    entry = AccessLogEntry.objects.filter(action=AccessAction.CHANGED, content_type__model="framework").get()
    assert entry.changes["answers removed"] == [1, None]
    assert entry.changes[f"statements of {area.name}"][1][1] == "Our staff know the partnership's guidance."


@pytest.mark.parametrize(
    ("name", "areas_given", "message"),
    [
        ("", None, "Enter the name of the framework"),
        ("x" * 301, None, "The name of the framework must be 300 characters or fewer"),
        ("Checklist", [], "Keep at least one area"),
        ("Checklist", [AreaData("  "), AreaData("Second")], "Enter the name of area 1"),
        ("Checklist", [AreaData("Same"), AreaData("same ")], "Area 2: the area same is given twice"),
        ("Checklist", [AreaData("Long", "d" * 2001)], "The description of area 1 must be 2,000 characters or fewer"),
        ("Checklist", [AreaData("Mine", "", 999_999)], "The areas have changed since this page was loaded"),
    ],
)
def test_areas_that_cannot_be_saved_are_refused_and_nothing_changes(
    cast: Cast, name: str, areas_given: list[AreaData] | None, message: str
) -> None:
    item = framework(cast)
    before = _outline(item)
    given = (
        areas_given if areas_given is not None else [AreaData(a.name, a.description, a.pk) for a in item.areas.all()]
    )
    with pytest.raises(ValidationError) as caught:
        framework_areas_update(actor=cast.coordinator, framework=item, loaded_version=1, name=name, areas=given)
    assert any(message in text for text in caught.value.messages), caught.value.messages
    assert _outline(Framework.objects.get()) == before
    assert Framework.objects.get().version == 1
    assert not AccessLogEntry.objects.filter(action=AccessAction.CHANGED, content_type__model="framework").exists()


def test_statements_that_cannot_be_saved_are_refused(cast: Cast) -> None:
    area = areas(cast)[1]
    before = _outline(Framework.objects.get())
    for statements, message in [
        ([], "Keep at least one statement in the area"),
        ([StatementData("")], "Enter statement 1"),
        ([StatementData("ok"), StatementData("y" * 1001)], "Statement 2 must be 1,000 characters or fewer"),
        ([StatementData("ok", "h" * 1001)], "The hint of statement 1 must be 1,000 characters or fewer"),
        ([StatementData("ok\x00")], "Statement 1 must not contain null characters"),
    ]:
        with pytest.raises(ValidationError) as caught:
            framework_statements_update(actor=cast.coordinator, area=area, loaded_version=1, statements=statements)
        assert message in caught.value.messages
    assert _outline(Framework.objects.get()) == before


def test_an_edit_from_a_page_loaded_before_another_is_refused(cast: Cast) -> None:
    item = framework(cast)
    kept = [AreaData(a.name, a.description, a.pk) for a in item.areas.all()]
    framework_areas_update(actor=cast.coordinator, framework=item, loaded_version=1, name="First", areas=kept)
    with pytest.raises(ChangedSinceLoaded):
        framework_areas_update(
            actor=person(cast, "audit_lead"),
            framework=Framework.objects.get(),
            loaded_version=1,
            name="Second",
            areas=kept,
        )
    assert Framework.objects.get().name == "First"


def test_removing_an_area_removes_the_evidence_files_of_drafts(
    cast: Cast, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    last = areas(cast)[-1]
    assessment = rate_area(cast, person(cast, "auditor_b"), cast.agency_b, last)
    evidence = EvidenceFile(
        self_assessment=assessment, area=last, name="plan.pdf", content_type="application/pdf", size=5
    )
    evidence.file.save("plan.pdf", ContentFile(b"%PDF-"), save=True)
    stored = Path(evidence.file.path)
    assert stored.exists()
    item = Framework.objects.get()
    kept = [AreaData(a.name, a.description, a.pk) for a in item.areas.exclude(pk=last.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        framework_areas_update(actor=cast.coordinator, framework=item, loaded_version=1, name=item.name, areas=kept)
    assert not EvidenceFile.objects.exists()
    assert not stored.exists()
    entry = AccessLogEntry.objects.filter(action=AccessAction.CHANGED, content_type__model="framework").get()
    assert entry.changes["evidence files removed"] == [1, None]
    assert entry.changes["answers removed"] == [5, None]  # The area's five statements, all rated.


def test_the_framework_is_fixed_once_an_agency_submits(cast: Cast, lead_b: User) -> None:
    item = framework(cast)
    assessment = rate_everything(cast, lead_b, cast.agency_b)
    assert not framework_is_fixed(item)
    self_assessment_submit(actor=lead_b, self_assessment=assessment, loaded_version=assessment.version)
    assert framework_is_fixed(item)
    area = item.areas.first()
    assert area is not None
    with pytest.raises(ValidationError, match="can no longer be changed"):
        framework_statements_update(
            actor=cast.coordinator, area=area, loaded_version=1, statements=[StatementData("Changed")]
        )
    with pytest.raises(ValidationError, match="Agencies have started"):
        framework_use_default(actor=cast.coordinator, framework=item, loaded_version=1)


def test_starting_again_from_the_default_before_any_agency_starts(cast: Cast) -> None:
    item = framework(cast)
    framework_areas_update(
        actor=cast.coordinator, framework=item, loaded_version=1, name="Ours", areas=[AreaData("Only one")]
    )
    assert list(item.areas.values_list("name", flat=True)) == ["Only one"]
    framework_use_default(actor=cast.coordinator, framework=Framework.objects.get(), loaded_version=2)
    item = Framework.objects.get()
    assert (item.name, item.areas.count(), Statement.objects.count(), item.version) == ("A framework", 5, 28, 3)
    assert not SelfAssessment.objects.exists()
