"""A blank draft audit, filled in page by page until its Terms of Reference is complete, then read back as a file."""

from maca.audits.definition import audit_definition, definition_problems, dump_definition, parse_definition
from maca.audits.services import audit_create
from maca.audits.tests.test_editing_support import ClientFor, edit_url, open_form
from maca.tests.cast import Cast


def test_a_blank_draft_is_completed_page_by_page(client_for: ClientFor, cast: Cast) -> None:
    audit = audit_create(actor=cast.coordinator, partnership=cast.partnership, reference="anytown-blank", title="Blank")
    client = client_for("coordinator")
    assert client.get(edit_url(audit, "edit_questions", position=1)).status_code == 404
    assert "The audit has no themes yet." in client.get(edit_url(audit, "edit_themes")).content.decode()
    team = cast.agency_a.services.get()
    steps = [
        (
            edit_url(audit, "edit_details"),
            {
                "short_title": ["Blank MACA"],
                "topic": ["Neglect"],
                "version_date_day": ["1"],
                "version_date_month": ["9"],
                "version_date_year": ["2026"],
                "governance_groups": [str(cast.group.pk)],
            },
        ),
        (edit_url(audit, "edit_text", section="background"), {"text": ["Why we audit."]}),
        (edit_url(audit, "edit_text", section="purpose"), {"text": ["- to learn"]}),
        (edit_url(audit, "add_theme"), {"name": ["Practice"], "objectives-0-text": ["Understand practice."]}),
        (
            edit_url(audit, "edit_questions", position=1),
            {"questions-0-text": ["Was the plan followed?"], "questions-0-answer": ["yes_no"]},
        ),
        (
            edit_url(audit, "edit_identification"),
            {
                "text": ["Agency A identifies the cases."],
                "identifying-0-agency": [f"{cast.agency_a.pk}:{team.pk}"],
                "target_cases": ["4"],
                "scope_start_day": ["1"],
                "scope_start_month": ["1"],
                "scope_start_year": ["2026"],
                "scope_end_day": ["30"],
                "scope_end_month": ["6"],
                "scope_end_year": ["2026"],
            },
        ),
        (edit_url(audit, "edit_engagement"), {"text": ["Agency A takes part."]}),
        (edit_url(audit, "edit_participants", kind="case_audit"), {"agencies-0-takes_part": ["on"]}),
        (
            edit_url(audit, "edit_timeline"),
            {"milestones-0-kind": ["audit"], "milestones-0-text": ["Audit in"], "milestones-0-planned": ["2026-10"]},
        ),
    ]
    problems_before = len(definition_problems(audit))
    for url, answers in steps:
        response = client.post(url, {**open_form(client, url), **answers})
        assert response.status_code == 302, (url, response.content.decode())
    assert problems_before > 0
    audit.refresh_from_db()
    assert definition_problems(audit) == []
    definition = audit_definition(audit)
    assert parse_definition(dump_definition(definition)) == definition
    assert definition.themes[0].questions[0].key == "was_the_plan_followed"
    assert definition.engagement.case_audit[0].agency == "AGA"
    assert definition.governance_groups == ["Business Group"]
    assert audit.version == 1 + len(steps)
