"""Editing the themes of an audit, their objectives and their questions, as the coordinator and audit lead do it.

Who may open these pages at all is in maca/tests/url_expectations.py.
"""

from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maca.audits.definition import audit_definition
from maca.audits.models import Audit, Question, Theme
from maca.audits.tests.factories import small_definition
from maca.audits.tests.test_editing_support import (
    ClientFor,
    assert_saved_and_logged,
    assert_unchanged,
    edit_url,
    open_form,
)
from maca.tests.cast import Cast


def _audit(cast: Cast) -> Audit:
    assert cast.audit is not None
    return cast.audit


def test_the_themes_page_lists_each_theme_with_its_objectives_and_questions(client_for: ClientFor, cast: Cast) -> None:
    page = client_for("audit_lead").get(edit_url(_audit(cast), "edit_themes")).content.decode()
    assert "Theme 1: Recognition" in page
    assert "Understand how agencies responded." in page
    assert "2 questions" in page
    assert "1 question<" in page
    assert 'href="/audits/anytown-neglect-2026/edit/themes/2/questions/"' in page
    assert 'href="/audits/anytown-neglect-2026/edit/themes/1/remove/"' in page
    assert 'href="/audits/anytown-neglect-2026/edit/themes/new/"' in page
    assert 'value="Objectives of the Audit"' in page


def test_the_themes_page_takes_as_many_queries_however_many_themes(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_themes")
    with CaptureQueriesContext(connection) as two_themes:
        client.get(url)
    for position in (3, 4, 5):
        Theme.objects.create(audit=audit, position=position, name=f"Theme {position}", objectives=["An objective."])
    with CaptureQueriesContext(connection) as five_themes:
        assert "Theme 5: Theme 5" in client.get(url).content.decode()
    assert len(five_themes) == len(two_themes) == 7


def test_adding_a_theme_with_another_objective(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "add_theme")
    data = open_form(client, url)
    assert data["objectives-TOTAL_FORMS"] == ["1"]
    data.update({"name": ["Outcomes"], "objectives-0-text": ["Understand what changed for the child."]})
    response = client.post(url, {**data, "add": "objectives"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Objective 2" in page
    assert "Understand what changed for the child." in page
    assert "There is a problem" not in page
    assert_unchanged(audit)

    from maca.audits.tests.test_editing_support import form_data

    data = form_data(page)
    data["objectives-1-text"] = ["Understand how the family experienced the help.\r\n\r\n- at home\r\n- at school"]
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == "/audits/anytown-neglect-2026/edit/themes/"
    assert "The theme has been added." in [str(m) for m in get_messages(response.wsgi_request)]
    changes = assert_saved_and_logged(audit, 1)
    theme = audit.themes.get(position=3)
    assert theme.name == "Outcomes"
    assert theme.objectives == [
        "Understand what changed for the child.",
        "Understand how the family experienced the help.\n\n- at home\n- at school",
    ]
    assert changes["themes[2].name"] == [None, "Outcomes"]
    assert audit_definition(audit).themes[2].name == "Outcomes"


def test_a_theme_needs_a_name_of_its_own_and_an_objective(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "add_theme")
    response = client.post(url, {**open_form(client, url), "name": ["response"]})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#id_name">The audit already has a theme called response</a>' in page
    assert "<li>Enter at least one objective for the theme</li>" in page
    assert_unchanged(audit)


def test_changing_a_theme_removing_and_reordering_its_objectives(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("audit_lead")
    url = edit_url(audit, "edit_theme", position=2)
    data = open_form(client, url)
    assert data["objectives-0-text"] == ["Understand how agencies responded."]
    data.update(
        {
            "name": ["Responses"],
            "objectives-0-position": ["3"],
            "objectives-1-DELETE": ["on"],
            "objectives-TOTAL_FORMS": ["3"],
            "objectives-2-text": ["Understand how quickly agencies responded."],
            "objectives-2-position": ["1"],
        }
    )
    assert client.post(url, data).status_code == 302
    changes = assert_saved_and_logged(audit, 1)
    theme = audit.themes.get(position=2)
    assert (theme.name, theme.objectives) == (
        "Responses",
        ["Understand how quickly agencies responded.", "Understand how agencies responded."],
    )
    assert set(changes) == {"themes[1].name", "themes[1].objectives"}


def test_removing_every_objective_is_refused(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_theme", position=1)
    response = client.post(url, {**open_form(client, url), "objectives-0-DELETE": ["on"]})
    assert response.status_code == 400
    assert "Enter at least one objective for the theme" in response.content.decode()
    assert_unchanged(audit)


def test_removing_a_theme_asks_first_then_the_others_move_up(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "remove_theme", position=1)
    response = client.get(url)
    page = response.content.decode()
    assert "Remove the theme Recognition?" in page
    assert "its 2 questions will be removed" in page
    assert "govuk-button--warning" in page
    assert_unchanged(audit)
    response = client.post(url, open_form(client, url))
    assert response.status_code == 302
    assert "The theme Recognition has been removed." in [str(m) for m in get_messages(response.wsgi_request)]
    assert_saved_and_logged(audit, 1)
    assert list(audit.themes.values_list("position", "name")) == [(1, "Response")]
    assert not Question.objects.filter(theme__audit=audit, key="recognised").exists()


def test_the_last_theme_cannot_be_removed(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    Theme.objects.filter(audit=audit, position=2).delete()
    client = client_for("coordinator")
    url = edit_url(audit, "remove_theme", position=1)
    response = client.post(url, open_form(client, url))
    assert response.status_code == 400
    assert "An audit needs at least one theme" in response.content.decode()
    assert audit.themes.count() == 1


def test_questions_saved_as_they_are_keep_the_definition(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    for position in (1, 2):
        url = edit_url(audit, "edit_questions", position=position)
        assert client.post(url, open_form(client, url)).status_code == 302
    audit.refresh_from_db()
    assert audit.version == 3
    assert audit_definition(audit) == small_definition()


def test_adding_another_question_saves_nothing(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_questions", position=1)
    data = {**open_form(client, url), "questions-0-text": [""], "add": ["questions"]}
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Question 3" in page
    assert 'name="questions-TOTAL_FORMS" value="3"' in page
    assert "There is a problem" not in page
    assert_unchanged(audit)


def test_adding_removing_and_reordering_questions(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_questions", position=1)
    data = open_form(client, url)
    data.update(
        {
            "questions-TOTAL_FORMS": ["4"],
            "questions-0-position": ["2"],
            "questions-1-DELETE": ["on"],
            "questions-2-text": ["How was the child’s neglect first noticed?"],
            "questions-2-answer": ["choice"],
            "questions-2-choices": ["By a teacher\r\nBy a health visitor\r\nother: Some other way"],
            "questions-2-position": ["1"],
            "questions-2-required": ["on"],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    changes = assert_saved_and_logged(audit, 1)
    questions = list(audit.themes.get(position=1).questions.all())
    assert [(q.position, q.key) for q in questions] == [(1, "how_was_the_childs_neglect_first"), (2, "recognised")]
    assert questions[0].choices == [
        {"value": "by_a_teacher", "label": "By a teacher"},
        {"value": "by_a_health_visitor", "label": "By a health visitor"},
        {"value": "other", "label": "Some other way"},
    ]
    assert changes["themes[0].questions[0].key"] == ["recognised", "how_was_the_childs_neglect_first"]
    assert audit_definition(audit).themes[0].questions[0].answer == "choice"


def test_questions_with_mistakes_name_each_and_save_nothing(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_questions", position=2)
    data = open_form(client, url)
    data.update(
        {
            "questions-0-choices": ["Within days"],
            "questions-TOTAL_FORMS": ["4"],
            "questions-1-text": ["Was the plan reviewed?"],
            "questions-1-key": ["recognised"],
            "questions-1-answer": ["yes_no"],
            "questions-1-choices": ["Yes\nNo"],
            "questions-2-text": ["A question without an answer type"],
            "questions-2-key": ["Bad Key"],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#id_questions-0-choices">Give at least two choices, one on each line</a>' in page
    assert '<a href="#id_questions-1-key">The key recognised is used by a question of another theme</a>' in page
    assert 'href="#id_questions-1-choices">Only a question answered with one of a list has choices' in page
    assert '<a href="#id_questions-2-answer">Select how the question is answered</a>' in page
    assert 'href="#id_questions-2-key">Key must start with a lower-case letter' in page
    assert_unchanged(audit)


def test_two_new_questions_cannot_share_a_key(client_for: ClientFor, cast: Cast) -> None:
    audit = _audit(cast)
    client = client_for("coordinator")
    url = edit_url(audit, "edit_questions", position=1)
    data = open_form(client, url)
    data.update({"questions-1-key": ["recognised"]})
    response = client.post(url, data)
    assert response.status_code == 400
    assert (
        '<a href="#id_questions-1-key">The key recognised is used by another question</a>' in response.content.decode()
    )
    assert_unchanged(audit)
