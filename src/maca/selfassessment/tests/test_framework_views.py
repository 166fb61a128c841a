"""The framework editor as the coordinator and the audit lead use it: the framework page, the areas and the
statements of an area ("add another", errors named, nothing saved, a stale page refused), and starting again."""

from collections.abc import Callable
from typing import Any

from django.test import Client

from maca.accounts.models import User
from maca.selfassessment.models import Area, Framework, Statement
from maca.selfassessment.services import self_assessment_submit
from maca.tests.cast import Cast

from .helpers import areas, person, rate_area, rate_everything

ClientFor = Callable[[str], Client]
FRAMEWORK = "/audits/anytown-approved-2025/self-assessment/framework/"


def _areas_data(framework: Framework, **changes: Any) -> dict[str, Any]:
    rows = list(framework.areas.order_by("position"))
    data: dict[str, Any] = {
        "name": framework.name,
        "version": framework.version,
        "areas-TOTAL_FORMS": len(rows),
        "areas-INITIAL_FORMS": len(rows),
    }
    for index, area in enumerate(rows):
        data[f"areas-{index}-item"] = area.pk
        data[f"areas-{index}-name"] = area.name
        data[f"areas-{index}-description"] = area.description
        data[f"areas-{index}-position"] = area.position
    data.update(changes)
    return data


def _statements_data(area: Area, framework: Framework, **changes: Any) -> dict[str, Any]:
    rows = list(area.statements.order_by("position"))
    data: dict[str, Any] = {
        "version": framework.version,
        "statements-TOTAL_FORMS": len(rows),
        "statements-INITIAL_FORMS": len(rows),
    }
    for index, statement in enumerate(rows):
        data[f"statements-{index}-item"] = statement.pk
        data[f"statements-{index}-text"] = statement.text
        data[f"statements-{index}-hint"] = statement.hint
        data[f"statements-{index}-position"] = statement.position
    data.update(changes)
    return data


def test_the_framework_page_shows_the_copy_and_warns_about_a_name_maca_does_not_ship(
    client_for: ClientFor, cast: Cast
) -> None:
    page = client_for("coordinator").get(FRAMEWORK).content.decode()
    assert "Framework for the self-assessment" in page
    assert "The Terms of Reference names “A framework”, which maca does not ship" in page
    assert "5. Workforce development" in page
    assert "Start again from the NSPCC Harmful Sexual Behaviour Framework" in page
    assert page.count("Change the statements") == 5


def test_renaming_and_reordering_areas(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("audit_lead")
    assert client.get(FRAMEWORK + "areas/").status_code == 200
    framework = Framework.objects.get()
    data = _areas_data(
        framework,
        **{"name": "Anytown HSB checklist", "areas-0-position": "2", "areas-1-position": "1", "areas-3-name": "Help"},
    )
    response = client.post(FRAMEWORK + "areas/", data, follow=True)
    assert "The areas of the framework have been saved." in response.content.decode()
    names = list(Framework.objects.get().areas.order_by("position").values_list("name", flat=True))
    assert names[:2] == [
        "Prevention, identification and early assessment",
        "A continuum of responses to children and young people displaying harmful sexual behaviour",
    ]
    assert names[3] == "Help"
    assert Framework.objects.get().name == "Anytown HSB checklist"


def test_add_another_area_saves_nothing_and_a_blank_name_is_an_error(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    client.get(FRAMEWORK)
    framework = Framework.objects.get()
    response = client.post(FRAMEWORK + "areas/", _areas_data(framework, add="areas"))
    assert response.status_code == 200
    assert "Area 6" in response.content.decode()
    assert Framework.objects.get().version == 1
    response = client.post(FRAMEWORK + "areas/", _areas_data(framework, **{"areas-2-name": "", "name": ""}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the name of the area, or tick Remove this area" in page
    assert "Enter the name of the framework" in page
    assert Area.objects.count() == 5
    assert Framework.objects.get().version == 1
    data = _areas_data(framework, **{"areas-4-name": "Prevention, identification and early assessment"})
    response = client.post(FRAMEWORK + "areas/", data)
    assert response.status_code == 400
    assert "is given twice: give each area its own name" in response.content.decode()


def test_removing_an_area_with_answers_warns_first(client_for: ClientFor, cast: Cast) -> None:
    rate_area(cast, person(cast, "auditor_b"), cast.agency_b, areas(cast)[4])
    client = client_for("coordinator")
    page = client.get(FRAMEWORK + "areas/").content.decode()
    assert "Agencies have given 5 answers in their drafts" in page
    response = client.post(FRAMEWORK + "areas/", _areas_data(Framework.objects.get(), **{"areas-4-DELETE": "on"}))
    assert response.status_code == 302
    assert Area.objects.count() == 4
    assert Statement.objects.count() == 23


def test_a_page_loaded_before_someone_elses_change_is_refused(client_for: ClientFor, cast: Cast) -> None:
    coordinator, lead = client_for("coordinator"), client_for("audit_lead")
    coordinator.get(FRAMEWORK)
    framework = Framework.objects.get()
    stale = _areas_data(framework, name="The lead's name")
    assert (
        coordinator.post(FRAMEWORK + "areas/", _areas_data(framework, name="The coordinator's name")).status_code == 302
    )
    response = lead.post(FRAMEWORK + "areas/", stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this framework after you opened this page" in page
    assert "The coordinator’s name" in page or "The coordinator&#x27;s name" in page
    assert Framework.objects.get().name == "The coordinator's name"


def test_the_statements_of_an_area(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    page = client.get(FRAMEWORK + "areas/4/").content.decode()
    assert "Statements of area 4: Interventions" in page
    area = Area.objects.get(position=4)
    framework = Framework.objects.get()
    first = area.statements.order_by("position").first()
    assert first is not None
    data = _statements_data(
        area,
        framework,
        **{
            "statements-0-text": "Our interventions are matched to the assessed need.",
            "statements-TOTAL_FORMS": 7,
            "statements-6-text": "Waiting times for specialist help are monitored.",
            "statements-6-hint": "",
            "statements-6-position": "",
        },
    )
    assert client.post(FRAMEWORK + "areas/4/", data).status_code == 302
    texts = list(area.statements.order_by("position").values_list("text", flat=True))
    assert texts[0] == "Our interventions are matched to the assessed need."
    assert texts[-1] == "Waiting times for specialist help are monitored."
    assert area.statements.order_by("position").first() == first  # Reworded, the same statement.
    response = client.post(
        FRAMEWORK + "areas/4/", _statements_data(area, Framework.objects.get(), **{"statements-1-text": "x" * 1001})
    )
    assert response.status_code == 400
    assert "The statement must be 1,000 characters or fewer" in response.content.decode()
    assert client.get(FRAMEWORK + "areas/9/").status_code == 404


def test_a_fixed_framework_sends_the_editor_back(client_for: ClientFor, cast: Cast, lead_b: User) -> None:
    assessment = rate_everything(cast, lead_b, cast.agency_b)
    self_assessment_submit(actor=lead_b, self_assessment=assessment, loaded_version=assessment.version)
    client = client_for("coordinator")
    page = client.get(FRAMEWORK).content.decode()
    assert "the framework is fixed" in page
    assert "Change the name and areas" not in page
    for url in (FRAMEWORK + "areas/", FRAMEWORK + "areas/1/", FRAMEWORK + "start-again/"):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0] == FRAMEWORK


def test_starting_again_from_the_default(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    client.get(FRAMEWORK)
    framework = Framework.objects.get()
    client.post(FRAMEWORK + "areas/", _areas_data(framework, **{"areas-0-name": "Renamed"}))
    page = client.get(FRAMEWORK + "start-again/").content.decode()
    assert "Start again from the NSPCC Harmful Sexual Behaviour Framework?" in page
    response = client.post(FRAMEWORK + "start-again/", {"version": Framework.objects.get().version}, follow=True)
    assert "The framework has started again" in response.content.decode()
    assert "Renamed" not in Framework.objects.get().areas.values_list("name", flat=True)
    rate_area(cast, person(cast, "auditor_b"), cast.agency_b, areas(cast)[0])
    response = client.get(FRAMEWORK + "start-again/", follow=True)
    assert "Agencies have started their self-assessments" in response.content.decode()
