"""The shipped frameworks: the default is the NSPCC HSB Framework's five operational areas, each with statements;
a framework file with mistakes is refused with every problem named by its key path."""

import pytest

from maca.selfassessment.library import (
    DEFAULT_KEY,
    FrameworkFileError,
    default_framework,
    framework_files,
    framework_named,
    load_framework,
    parse_framework,
)

OPERATIONAL_AREAS = [
    "A continuum of responses to children and young people displaying harmful sexual behaviour",
    "Prevention, identification and early assessment",
    "Effective assessment and referral pathways",
    "Interventions",
    "Workforce development",
]


def test_the_default_is_the_five_operational_areas_with_statements_and_hints() -> None:
    framework = default_framework()
    assert framework.key == DEFAULT_KEY
    assert framework.name == "NSPCC Harmful Sexual Behaviour Framework"
    assert [area.name for area in framework.areas] == OPERATIONAL_AREAS
    for area in framework.areas:
        assert area.description
        assert len(area.statements) >= 4
        assert all(statement.text and statement.hint for statement in area.statements)
    texts = [statement.text for area in framework.areas for statement in area.statements]
    assert len(texts) == len(set(texts)) == 28


def test_every_shipped_file_loads_and_is_named_after_its_key() -> None:
    assert framework_files()[0].stem == DEFAULT_KEY
    for path in framework_files():
        assert load_framework(path.stem).key == path.stem


def test_an_unknown_key_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="nspcc-hsb"):
        load_framework("nowhere")


@pytest.mark.parametrize(
    "name",
    [
        "NSPCC Harmful Sexual Behaviour Framework",
        "nspcc harmful sexual behaviour framework",
        "NSPCC HSB Framework",
        "  NSPCC  Harmful Sexual Behaviour Framework (2nd edition) ",
    ],
)
def test_a_terms_of_reference_names_the_framework_in_its_own_words(name: str) -> None:
    framework = framework_named(name)
    assert framework is not None
    assert framework.key == DEFAULT_KEY


@pytest.mark.parametrize("name", ["", "A framework", "Ofsted inspection framework"])
def test_other_names_are_not_the_shipped_framework(name: str) -> None:
    assert framework_named(name) is None


GOOD = """
schema: maca-framework/1
key: own-checklist
name: Our checklist
areas:
  - name: First
    statements:
      - text: Something is in place.
"""


def test_a_small_file_is_read() -> None:
    framework = parse_framework(GOOD)
    assert framework.areas[0].statements[0].text == "Something is in place."
    assert framework.areas[0].statements[0].hint == ""


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("schema: [", "this is not valid YAML"),
        ("- a list", "the file must be a set of keys and values"),
        (GOOD.replace("maca-framework/1", "maca-framework/9"), "schema:"),
        (GOOD.replace("key: own-checklist", "key: Own Checklist"), "key:"),
        (GOOD.replace("      - text: Something is in place.", "      - text: ''"), "areas[0].statements[0].text:"),
        (
            GOOD.replace("    statements:\n      - text: Something is in place.\n", "    statements: []\n"),
            "areas[0].statements:",
        ),
        (GOOD + "colour: blue\n", "colour:"),
        (GOOD + "  - name: first\n    statements:\n      - text: Again.\n", "the area 'First' is given twice"),
    ],
)
def test_a_file_with_a_mistake_is_refused_naming_where(text: str, problem: str) -> None:
    with pytest.raises(FrameworkFileError) as caught:
        parse_framework(text)
    assert any(problem in message for message in caught.value.problems), caught.value.problems
