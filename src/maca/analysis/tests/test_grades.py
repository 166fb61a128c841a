"""Grades by theme and by agency, and the agencies' grades beside the panel's moderated grades."""

from collections.abc import Iterator

import pytest
from django.utils import timezone

from maca.analysis import panel
from maca.analysis.data import AnalysisData
from maca.analysis.grades import grades
from maca.audits.models import Audit

from . import memory

SCALE = ["Outstanding", "Good", "Requires improvement", "Inadequate"]


@pytest.fixture
def no_provider() -> Iterator[None]:
    panel.register_moderated_grades(None)
    yield
    panel.register_moderated_grades(None)


def _data(moderated: dict[tuple[int, int], str] | None = None) -> AnalysisData:
    police, yot = memory.agency(1, "POL", "Police"), memory.agency(2, "YOT", "Youth Offending Team")
    first, second = memory.case(1, "A-01"), memory.case(2, "A-02")
    responses, prevention = memory.theme(10, 1, "Responses"), memory.theme(11, 2, "Prevention")

    def judged(response: str, prevent: str) -> dict[str, dict[str, str]]:
        return {"10": {"grade": response}, "11": {"grade": prevent}}

    returns = [
        memory.agency_return(first, police, judgements=judged("Good", "Requires improvement")),
        memory.agency_return(first, yot, judgements=judged("Good", "Good")),
        memory.agency_return(second, police, judgements=judged("Inadequate", "")),
        memory.agency_return(second, yot, judgements=judged("Adequate", "Outstanding")),
    ]
    return memory.data(
        cases=[first, second],
        returns=returns,
        themes=[(responses, []), (prevention, [])],
        grading_scale=SCALE,
        moderated=moderated,
    )


def test_grades_by_theme_and_by_agency() -> None:
    result = grades(_data())
    # A grade no longer on the scale is counted under its own name, after the scale.
    assert result.scale == (*SCALE, "Adequate")
    responses, prevention = result.by_theme
    assert (responses.key, responses.label, responses.counts) == ("theme1", "Responses", (0, 2, 0, 1, 1))
    assert (prevention.counts, prevention.ungraded) == ((1, 1, 1, 0, 0), 1)
    police, yot = result.by_agency
    assert (police.key, police.counts, police.ungraded) == ("POL", (0, 1, 1, 1, 0), 1)
    assert (yot.counts, yot.graded) == ((1, 2, 0, 0, 1), 4)
    assert result.overall.counts == (1, 3, 1, 1, 1)
    assert result.count(result.overall, "Good") == 3
    assert result.count(result.overall, "Not a grade") == 0
    # No moderation yet.
    assert result.panel is None


def test_the_agencies_grades_beside_the_grades_after_moderation() -> None:
    # Returns are numbered case × 1000 + agency: 1001 police and 1002 YOT for case 1, 2001 and 2002 for case 2.
    moderated = {
        (1001, 10): "Requires improvement",  # lowered from Good
        (2001, 10): "Requires improvement",  # raised from Inadequate
        (2001, 11): "Good",  # graded where the agency gave no grade
        (1002, 11): "Not on the scale",  # left out
    }
    result = grades(_data(moderated))
    assert result.panel is not None
    responses, prevention = result.panel
    assert responses.theme == "Responses"
    assert responses.agencies == (0, 2, 0, 1, 1)
    assert responses.moderated == (0, 1, 2, 0, 1)
    assert (responses.kept, responses.raised, responses.lowered, responses.changed) == (2, 1, 1, 2)
    assert prevention.agencies == (1, 1, 1, 0, 0)
    assert prevention.moderated == (1, 2, 1, 0, 0)
    assert (prevention.kept, prevention.compared) == (3, 3)


def test_moderation_open_without_a_change_keeps_every_grade() -> None:
    result = grades(_data({}))
    assert result.panel is not None
    assert [(c.kept, c.changed) for c in result.panel] == [(4, 0), (3, 0)]
    assert result.panel[0].moderated == result.panel[0].agencies


def test_the_moderated_grades_come_from_the_registered_provider(no_provider: None) -> None:
    audit = Audit(pk=7, reference="anytown-test")
    assert panel.moderated_grades(audit) is None
    panel.register_moderated_grades(lambda found: {(1001, 10): "Good", (2001, 10): ""} if found.pk == 7 else {})
    # Before moderation opens there are no moderated grades, whatever the provider holds.
    assert panel.moderated_grades(audit) is None
    audit.moderation_opened_at = timezone.now()
    assert panel.moderated_grades(audit) == {(1001, 10): "Good"}
