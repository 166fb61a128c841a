"""The template library: every template is a valid audit definition that fits the demo partnership, the HSB template
is the seed Terms of Reference word for word, and the documentation's example and key list match the schema."""

import re
from pathlib import Path

import pytest
import yaml

from maca.audits.library import TEMPLATES, get_template, load_template, template_keys
from maca.audits.schema import AnswerType, AuditDefinition, CaseFieldType, Milestone, Participant
from maca.audits.tests.seed import (
    seed_tor_sections,
    seed_tor_sentences,
    seed_tor_title,
    split_sentences,
)
from maca.common.richtext import Paragraph, parse_blocks
from maca.partnerships.demo import AGENCIES, GOVERNANCE_GROUPS

ROOT = Path(__file__).resolve().parents[4]
DOC = ROOT / "docs" / "audit-definition.md"
EXAMPLE = ROOT / "docs" / "examples" / "audit-definition-example.yaml"

AGENCY_NAMES = {code: name for name, code, _type, _services in AGENCIES}
AGENCY_SERVICES = {code: services for _name, code, _type, services in AGENCIES}


def _sentences(markup: str) -> list[str]:
    """Marked-up prose as sentences, each paragraph's or bullet's followed by its footnotes, as the seed has them."""
    sentences: list[str] = []
    for block in parse_blocks(markup):
        for paragraph in [block] if isinstance(block, Paragraph) else list(block.items):
            sentences.extend(split_sentences(paragraph.plain))
            sentences.extend(run.footnote for run in paragraph.runs if run.footnote is not None)
    return sentences


def _participant_line(participant: Participant) -> str:
    name = AGENCY_NAMES[participant.agency]
    services = ", ".join(participant.services) or participant.services_text
    return f"{name} – {services}" if services else name


def _milestone_line(milestone: Milestone) -> str:
    when = milestone.planned_date
    return (
        f"{milestone.text} {when:%B %Y}" if milestone.planned_is_month else f"{milestone.text} {when.day} {when:%B %Y}"
    )


def _hsb_sections(definition: AuditDefinition) -> dict[str, tuple[str, list[str]]]:
    """Each seed section's number: the definition's heading for it and its sentences, in the seed's order."""
    headings = definition.headings
    objectives: list[str] = []
    for theme in definition.themes:
        objectives.append(theme.name)
        for objective in theme.objectives:
            objectives.extend(_sentences(objective))
    wider = definition.engagement.wider_audit
    assert wider is not None
    return {
        "1": (headings.background, _sentences(definition.background)),
        "2": (headings.definitions, _sentences(definition.definitions)),
        "3": (headings.purpose, _sentences(definition.purpose)),
        "4": (headings.objectives, objectives),
        "5": (headings.identification, _sentences(definition.identification.text)),
        "6": (headings.engagement, _sentences(definition.engagement.text)),
        "6a": (headings.case_audit, [_participant_line(p) for p in definition.engagement.case_audit]),
        "6b": (headings.wider_audit, [_participant_line(p) for p in wider.participants]),
        "7": (headings.timeline, [_milestone_line(m) for m in definition.timeline]),
    }


# The library


def test_template_keys_are_unique_and_files_exist() -> None:
    keys = template_keys()
    assert keys[0] == "hsb"
    assert len(set(keys)) == len(keys) == len(TEMPLATES)
    for template in TEMPLATES:
        assert template.path.is_file(), template.path
        assert template.name
        assert template.description
        assert "\n" not in template.description


def test_an_unknown_template_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(KeyError, match="hsb"):
        get_template("no-such-template")


@pytest.mark.parametrize("key", template_keys())
def test_every_template_validates_and_survives_export(key: str) -> None:
    definition = load_template(key)
    assert isinstance(definition, AuditDefinition)
    assert AuditDefinition.model_validate(definition.to_data()) == definition


def test_template_references_are_unique() -> None:
    references = [load_template(key).reference for key in template_keys()]
    assert len(set(references)) == len(references)


@pytest.mark.parametrize("key", template_keys())
def test_every_theme_has_questions_and_no_question_repeats_the_graded_judgement(key: str) -> None:
    """Every return asks for a grade per theme (`maca.returns`): a template's questions do not ask it again."""
    for theme in load_template(key).themes:
        assert 3 <= len(theme.questions) <= 8, theme.name
        assert AnswerType.GRADE not in [q.answer for q in theme.questions], theme.name


@pytest.mark.parametrize("key", template_keys())
def test_every_template_fits_the_demo_partnership(key: str) -> None:
    """Agency codes, services, governance groups and `reports_to` are the demo partnership's."""
    definition = load_template(key)
    groups = {name for name, _short in GOVERNANCE_GROUPS}
    participants = list(definition.engagement.case_audit)
    if definition.engagement.wider_audit:
        participants += definition.engagement.wider_audit.participants
    for participant in participants:
        assert participant.agency in AGENCY_NAMES
        assert set(participant.services) <= set(AGENCY_SERVICES[participant.agency]), participant
    for reference in definition.identification.identifying_agencies:
        assert reference.agency in AGENCY_NAMES
        assert not reference.service or reference.service in AGENCY_SERVICES[reference.agency]
    assert set(definition.governance_groups) <= groups
    assert {m.reports_to for m in definition.timeline if m.reports_to} <= groups


@pytest.mark.parametrize("key", template_keys())
def test_templates_are_written_in_block_style_with_quoted_months(key: str) -> None:
    text = get_template(key).path.read_text(encoding="utf-8")
    assert "{" not in text
    assert not re.search(r"^\s*planned: \d{4}-\d{2}\s*$", text, re.MULTILINE), "months are quoted"


# The HSB template is the seed Terms of Reference


def test_hsb_template_states_what_the_seed_says() -> None:
    hsb = load_template("hsb")
    assert hsb.title == seed_tor_title() == "Multi Agency Case Audit on Harmful Sexual Behaviour"
    assert (hsb.reference, hsb.short_title, hsb.topic) == (
        "hsb-2021",
        "Multi Agency Case Audit on HSB",
        "Harmful Sexual Behaviour",
    )
    assert hsb.version_date.isoformat() == "2021-06-01"
    identification = hsb.identification
    assert [(a.agency, a.service) for a in identification.identifying_agencies] == [
        ("YOT", ""),
        ("EDU", "Torbay Education Safeguarding Service (TESS)"),
    ]
    assert identification.target_cases == 10
    assert (identification.scope_start.isoformat(), identification.scope_end.isoformat()) == (
        "2019-04-01",
        "2020-07-30",
    )
    assert [phase.value for phase in identification.phases] == ["primary", "secondary"]
    assert identification.include_send
    assert hsb.engagement.wider_audit is not None
    assert hsb.engagement.wider_audit.framework == "NSPCC Harmful Sexual Behaviour Framework"
    assert [(m.kind.value, m.planned, m.actual and m.actual.isoformat(), m.reports_to) for m in hsb.timeline] == [
        ("audit", "2021-07", "2021-09-20", ""),
        ("report", "2021-09", None, "Business Group"),
        ("seminar", "2021-09", None, ""),
        ("dip_sample", "2022-03", None, ""),
    ]
    assert hsb.governance_groups == ["Business Group", "Domestic Abuse and Sexual Violence Executive Group"]
    assert hsb.grading_scale == ["Outstanding", "Good", "Requires improvement", "Inadequate"]


def test_hsb_template_holds_each_seed_section_word_for_word_in_its_field() -> None:
    sections = _hsb_sections(load_template("hsb"))
    assert [section.number for section in seed_tor_sections()] == list(sections)
    for section in seed_tor_sections():
        heading, sentences = sections[section.number]
        assert heading == section.heading
        assert sentences == list(section.sentences), section.heading


def test_hsb_template_holds_every_sentence_of_the_seed() -> None:
    hsb = load_template("hsb")
    corpus = [hsb.title]
    for heading, sentences in _hsb_sections(hsb).values():
        corpus += [heading, *sentences]
    missing = [sentence for sentence in seed_tor_sentences() if not any(sentence in text for text in corpus)]
    assert missing == []


def test_hsb_template_keeps_the_seed_footnotes_in_place() -> None:
    definitions = load_template("hsb").definitions
    assert (
        "to themselves or others.[^Key messages from research on children and young people who display harmful "
        "sexual behaviour: DMSS research 2018]"
    ) in definitions
    assert "very serious crimes.[^A continuum of children and young people’s sexual behaviours: Hackett, 2010]" in (
        definitions
    )


def test_hsb_questions_cover_what_the_audit_asks() -> None:
    questions = {q.key: q for theme in load_template("hsb").themes for q in theme.questions}
    assert questions["gp_told_plan_ended"].answer == AnswerType.YES_NO
    assert "GP" in questions["gp_told_plan_ended"].text
    assert questions["voice_of_child"].answer == AnswerType.TEXT
    assert "Brook" in questions["tool_access"].text
    assert {"recorded_age", "recorded_gender", "recorded_ethnicity", "recorded_send"} <= set(questions)
    assert {"transition_planning", "referral_pathway", "assessment_holistic", "practitioner_trained"} <= set(questions)
    assert {q.answer for q in questions.values()} == set(AnswerType) - {AnswerType.GRADE}


def test_hsb_case_fields() -> None:
    fields = {field.key: field for field in load_template("hsb").case_fields}
    assert list(fields) == ["involvement", "continuum", "needs", "assessment_tools"]
    assert [c.value for c in fields["involvement"].choices] == ["displayed", "experienced", "both"]
    continuum = fields["continuum"]
    assert continuum.type == CaseFieldType.CHOICE
    assert continuum.ordinal
    assert continuum.per_agency
    assert [c.value for c in continuum.choices] == ["normal", "inappropriate", "problematic", "abusive", "violent"]
    assert fields["needs"].type == CaseFieldType.MULTI_CHOICE
    assert fields["assessment_tools"].type == CaseFieldType.MULTI_CHOICE
    assert fields["assessment_tools"].per_agency


def test_neglect_case_fields() -> None:
    fields = {field.key: field for field in load_template("neglect").case_fields}
    assert [c.value for c in fields["neglect_types"].choices] == [
        "physical",
        "emotional",
        "medical",
        "educational",
        "supervisory",
    ]
    gcp2 = fields["gcp2_score"]
    assert gcp2.ordinal
    assert gcp2.per_agency
    assert [c.label[0] for c in gcp2.choices] == ["1", "2", "3", "4", "5"]
    assert fields["plan_status"].type == CaseFieldType.CHOICE


# The seed helper


def test_seed_sentences_are_clean() -> None:
    sentences = seed_tor_sentences()
    assert sentences[:3] == [
        "Multi Agency Case Audit on Harmful Sexual Behaviour",
        "Background",
        sentences[2],
    ]
    assert sentences[2].startswith("A Thematic Review into Peer on Peer Abuse")
    assert sentences[-1] == "Dip Sample of learning in March 2022"
    assert "Responses" in sentences
    assert "A continuum of children and young people’s sexual behaviours: Hackett, 2010" in sentences
    for sentence in sentences:
        assert sentence == " ".join(sentence.split())
        assert not sentence.startswith("·")
        assert "footnote" not in sentence
        assert not re.match(r"^(\d+[a-z]?\.|Theme \d+:)\s", sentence)
    for left_out in ("image1.png", "Torbaym", "June 21", "ToR for Multi Agency Case Audit on HSB"):
        assert left_out not in sentences
    assert [section.number for section in seed_tor_sections()] == ["1", "2", "3", "4", "5", "6", "6a", "6b", "7"]


# The documentation


def _doc_example() -> str:
    match = re.search(r"## A complete example.*?```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert match, "the documentation has a complete example"
    return match.group(1)


def test_docs_example_validates_and_is_the_example_file() -> None:
    assert _doc_example() == EXAMPLE.read_text(encoding="utf-8")
    definition = AuditDefinition.model_validate(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    assert definition.reference == "example-school-attendance"


def test_json_schema_generates_and_refuses_unknown_keys() -> None:
    schema = AuditDefinition.model_json_schema()
    assert schema["additionalProperties"] is False
    assert "schema" in schema["properties"]
    assert set(schema["required"]) >= {"reference", "title", "themes", "identification", "engagement"}
    for name, definition in schema["$defs"].items():
        if definition.get("type") == "object":
            assert definition["additionalProperties"] is False, name


def test_docs_describe_every_key() -> None:
    schema = AuditDefinition.model_json_schema()
    keys = set(schema["properties"])
    for definition in schema["$defs"].values():
        keys |= set(definition.get("properties", {}))
    doc = DOC.read_text(encoding="utf-8")
    assert [key for key in sorted(keys) if f"| `{key}` |" not in doc] == []
