"""Audit definitions as files: a round trip loses nothing; bad files are refused whole with each problem's line."""

import pytest

from maca.audits import library
from maca.audits.definition import (
    DefinitionError,
    audit_definition,
    dump_definition,
    parse_definition,
)
from maca.audits.models import Audit, Question, Theme
from maca.audits.services import audit_import
from maca.audits.tests.factories import small_definition
from maca.partnerships.demo import load_partnership_demo
from maca.tests.cast import Cast


def test_export_import_export_gives_the_same_file(cast: Cast) -> None:
    assert cast.audit is not None
    first = dump_definition(audit_definition(cast.audit))
    copy = parse_definition(first.replace("anytown-neglect-2026", "anytown-neglect-copy"))
    imported = audit_import(actor=None, partnership=cast.partnership, definition=copy)
    second = dump_definition(audit_definition(imported))
    assert second == first.replace("anytown-neglect-2026", "anytown-neglect-copy")


@pytest.mark.django_db
@pytest.mark.parametrize("key", library.template_keys())
def test_every_template_survives_the_round_trip(key: str) -> None:
    partnership = load_partnership_demo()
    text = dump_definition(library.load_template(key))
    definition = parse_definition(text)
    audit = audit_import(actor=None, partnership=partnership, definition=definition)
    assert dump_definition(audit_definition(audit)) == text


def test_the_file_reads_like_the_documentation(cast: Cast) -> None:
    assert cast.audit is not None
    text = dump_definition(audit_definition(cast.audit))
    assert text.startswith("schema: maca-audit/1\nreference: anytown-neglect-2026\n")
    assert "version_date: 2026-03-01\n" in text
    assert "background: |-\n  A first paragraph." in text
    assert "planned: 2026-05\n" in text
    assert "help: ''" not in text  # defaults are left out


def _problems(text: str) -> list[str]:
    with pytest.raises(DefinitionError) as error:
        parse_definition(text)
    return [str(problem) for problem in error.value.problems]


def _valid_text() -> str:
    return dump_definition(small_definition())


def test_unknown_keys_and_wrong_types_are_named_with_their_line() -> None:
    text = _valid_text().replace("topic: Neglect\n", "topic: Neglect\ncolour: blue\n")
    text = text.replace("target_cases: 6", "target_cases: six")
    problems = _problems(text)
    assert any(p.startswith("line 6: colour: is not a key of an audit definition") for p in problems), problems
    line = text.splitlines().index("  target_cases: six") + 1
    assert f"line {line}: identification.target_cases: must be a whole number" in problems


def test_dates_that_do_not_parse_and_an_end_before_a_start() -> None:
    text = _valid_text().replace("scope_end: 2025-12-31", "scope_end: 2024-12-31")
    assert any("scope_end is before scope_start" in p for p in _problems(text))
    text = _valid_text().replace("version_date: 2026-03-01", "version_date: 2026-02-30")
    assert any("version_date: must be a date that exists" in p for p in _problems(text))
    text = _valid_text().replace("planned: 2026-05", "planned: May 2026")
    assert any("timeline[0].planned: must be a month (YYYY-MM) or a date" in p for p in _problems(text))


def test_criteria_on_case_fields_name_a_field_with_choices_and_its_values() -> None:
    def with_criteria(lines: str) -> str:
        return _valid_text().replace("  include_send: true\n", f"  include_send: true\n  field_criteria:\n{lines}")

    physical = "  - field: neglect_type\n    values:\n    - physical\n"
    good = with_criteria(physical)
    assert parse_definition(good).identification.field_criteria[0].values == ["physical"]
    for lines, message in (
        ("  - field: colour\n    values:\n    - blue\n", "'colour', which is not a case field of the audit"),
        ("  - field: neglect_type\n    values:\n    - medical\n", "'medical' is not a value of the case field"),
        ("  - field: neglect_type\n    values: []\n", "values: needs at least 1 item(s)"),
        (physical * 2, "there are two criteria on the case field 'neglect_type'"),
    ):
        assert any(message in problem for problem in _problems(with_criteria(lines))), (
            message,
            _problems(with_criteria(lines)),
        )


def test_a_theme_with_no_objectives_is_refused() -> None:
    text = _valid_text().replace("  objectives:\n  - Understand how neglect is recognised.\n", "  objectives: []\n")
    assert any("themes[0].objectives: needs at least 1 item(s)" in p for p in _problems(text))


def test_keys_given_twice_and_broken_yaml() -> None:
    text = _valid_text().replace("topic: Neglect\n", "topic: Neglect\ntopic: Abuse\n")
    assert _problems(text) == ["line 6: topic: this key is given twice"]
    assert _problems("title: [unclosed")[0].startswith("line 1: this is not valid YAML")
    assert _problems("- a list\n") == ["line 1: the file must be a set of keys and values, starting with `schema:`"]


def test_an_agency_that_is_not_in_the_partnership_saves_nothing(cast: Cast) -> None:
    text = _valid_text().replace("agency: AGB", "agency: NOPE").replace("anytown-neglect-2026", "another-audit")
    definition = parse_definition(text)
    counts = (Audit.objects.count(), Theme.objects.count(), Question.objects.count())
    with pytest.raises(DefinitionError) as error:
        audit_import(actor=None, partnership=cast.partnership, definition=definition)
    assert "engagement.case_audit[1].agency: NOPE is not an agency of Anytown" in str(error.value)
    assert (Audit.objects.count(), Theme.objects.count(), Question.objects.count()) == counts


def test_importing_over_an_existing_audit_needs_replace_and_a_draft(cast: Cast) -> None:
    assert cast.audit is not None
    assert cast.approved_audit is not None
    definition = small_definition(title="Replaced title")
    with pytest.raises(DefinitionError, match="exists"):
        audit_import(actor=None, partnership=cast.partnership, definition=definition)
    audit_import(actor=None, partnership=cast.partnership, definition=definition, replace=True)
    cast.audit.refresh_from_db()
    assert cast.audit.title == "Replaced title"
    locked = small_definition(reference=cast.approved_audit.reference)
    with pytest.raises(DefinitionError, match="locked"):
        audit_import(actor=None, partnership=cast.partnership, definition=locked, replace=True)


def test_the_documented_example_is_a_valid_definition() -> None:
    from pathlib import Path

    example = Path(__file__).resolve().parents[4] / "docs" / "examples" / "audit-definition-example.yaml"
    assert parse_definition(example.read_text(encoding="utf-8")).reference


def test_anchors_aliases_and_deep_nesting_are_refused_quickly() -> None:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
    )
    assert _problems(laughs) == ["line 1: anchors and aliases (& and *) are not allowed"]
    assert _problems("a: &x [*x]\n") == ["line 1: anchors and aliases (& and *) are not allowed"]
    assert _problems("a: " + "[" * 5000 + "]" * 5000 + "\n") == ["the file is nested too deeply to be a definition"]


def test_text_longer_than_can_be_stored_is_named() -> None:
    text = _valid_text().replace("title: Multi-Agency Case Audit on Neglect", "title: " + "T" * 400)
    assert "line 3: title: must be at most 300 characters" in _problems(text)
    text = _valid_text().replace("- name: Recognition", "- name: " + "R" * 250)
    assert any("themes[0].name: must be at most 200 characters" in p for p in _problems(text))
