"""The Terms of Reference's context: what the document says, in which order, before any format renders it."""

import datetime
from enum import StrEnum

import pytest
import yaml

from maca.audits.schema import AuditDefinition
from maca.audits.tests.tor_helpers import AGENCIES, HSB_YAML, TORBAY, TORBAY_AGENCIES, definition
from maca.audits.tor.context import (
    Bullets,
    Logo,
    Paragraph,
    Section,
    TorDocument,
    format_day,
    format_month,
    tor_document,
    version_label,
)


def build(defn: AuditDefinition | None = None, **options: object) -> TorDocument:
    arguments: dict[str, object] = {
        "partnership_name": "Anyshire Safeguarding Children Partnership",
        "agency_names": AGENCIES,
        "version": 2,
        "status": "draft",
    }
    arguments.update(options)
    return tor_document(defn or definition(), **arguments)  # type: ignore[arg-type]


def texts(blocks: tuple[Paragraph | Bullets, ...]) -> list[str | list[str]]:
    return [block.plain if isinstance(block, Paragraph) else [item.plain for item in block.items] for block in blocks]


def section(doc: TorDocument, key: str) -> Section:
    return next(found for found in doc.sections if found.key == key)


def test_title_block_and_sections_in_the_seed_order() -> None:
    doc = build()

    assert doc.partnership_name == "Anyshire Safeguarding Children Partnership"
    assert (doc.title_lead, doc.title) == ("Terms of Reference for", "Multi Agency Case Audit on Neglect")
    assert [s.heading for s in doc.sections] == [
        "1. Background",
        "2. What is neglect?",
        "3. Purpose of the MACA on Neglect",
        "4. Objectives of the Audit",
        "5. Identification of Cases",
        "6. Professional engagement in the MACA",
        "7. Timeline for Audit",
    ]
    assert [s.key for s in doc.sections] == [
        "background",
        "definitions",
        "purpose",
        "objectives",
        "identification",
        "engagement",
        "timeline",
    ]


def test_prose_becomes_paragraphs_and_bullets() -> None:
    doc = build()

    assert texts(section(doc, "background").blocks) == [
        "A review in 2022 found that neglect was recognised late.",
        "This audit looks at whether that has changed.",
    ]
    assert texts(section(doc, "definitions").blocks) == [
        "Neglect is the persistent failure to meet a child’s basic needs.",
        "It can show as:",
        ["Poor supervision", "Missed health appointments"],
    ]
    assert texts(section(doc, "purpose").blocks) == [
        "This audit will consider:",
        ["The quality of assessments", "How agencies share information"],
    ]


def test_objectives_are_a_subsection_per_theme() -> None:
    objectives = section(build(), "objectives")

    assert objectives.blocks == ()
    assert [(sub.heading, texts(sub.blocks)) for sub in objectives.subsections] == [
        ("Theme 1: Recognition", ["Understand how early neglect is recognised.", "Explore drift."]),
        ("Theme 2: Response", ["Understand how plans change outcomes."]),
    ]


def test_identification_says_only_its_prose() -> None:
    """The structured fields (target cases, scope, ages) feed the app; the document prints the prose that says them."""
    identification = section(build(), "identification")

    assert texts(identification.blocks) == [
        ["Cases will be identified by Children’s Social Care", "The scope is 2022 to 2023"]
    ]
    assert identification.subsections == ()


def test_engagement_lists_participants_in_6a_and_6b() -> None:
    engagement = section(build(), "engagement")

    assert texts(engagement.blocks) == ["There should be contribution from the following partners:"]
    case_audit, wider_audit = engagement.subsections
    assert case_audit.heading == "6a. Case Audit – where involved"
    assert texts(case_audit.blocks) == [
        [
            "Children’s Social Care – MASH, Early Help",  # services joined
            "Schools – DSLs and Pastoral Leads",  # services_text
            "Police",  # neither: the agency alone
            "XYZ",  # an agency without a name: its code
        ]
    ]
    assert wider_audit.heading == "6b. Wider Partnership audit using the Graded Care Profile 2"
    assert texts(wider_audit.blocks) == [["Health – Health Visiting"]]


def test_wider_audit_heading_that_names_its_framework_is_kept() -> None:
    defn = definition(headings={"wider_audit": "Wider Partnership audit using the NSPCC Framework"})

    wider_audit = section(build(defn), "engagement").subsections[1]

    assert wider_audit.heading == "6b. Wider Partnership audit using the NSPCC Framework"


def test_no_wider_audit_means_no_6b() -> None:
    base = definition()
    engagement = base.engagement.model_copy(update={"wider_audit": None})

    doc = build(base.model_copy(update={"engagement": engagement}))

    assert [sub.heading for sub in section(doc, "engagement").subsections] == ["6a. Case Audit – where involved"]


def test_timeline_shows_months_and_days_in_words() -> None:
    timeline = section(build(), "timeline")

    assert texts(timeline.blocks) == [
        "Audit to take place in September 2024",
        "Report to the Business Group on 5 November 2024",
    ]


@pytest.mark.parametrize(
    ("date", "month", "day"),
    [
        (datetime.date(2021, 7, 1), "July 2021", "1 July 2021"),
        (datetime.date(2021, 7, 15), "July 2021", "15 July 2021"),
        (datetime.date(2022, 3, 9), "March 2022", "9 March 2022"),
        (datetime.date(2020, 12, 31), "December 2020", "31 December 2020"),
    ],
)
def test_date_formats(date: datetime.date, month: str, day: str) -> None:
    assert format_month(date) == month
    assert format_day(date) == day


def test_sections_without_content_are_left_out_and_the_numbers_close_up() -> None:
    doc = build(definition(definitions="", timeline=[]))

    assert [s.heading for s in doc.sections] == [
        "1. Background",
        "2. Purpose of the MACA on Neglect",
        "3. Objectives of the Audit",
        "4. Identification of Cases",
        "5. Professional engagement in the MACA",
    ]
    assert [sub.heading for sub in section(doc, "engagement").subsections] == [
        "5a. Case Audit – where involved",
        "5b. Wider Partnership audit using the Graded Care Profile 2",
    ]


def test_footnotes_are_numbered_in_document_order_across_sections() -> None:
    doc = build()

    assert [(note.number, note.text) for note in doc.footnotes] == [
        (1, "Neglect review, 2022"),
        (2, "Working Together, 2023"),
        (3, "NICE guideline NG76"),
        (4, "Ofsted, 2014"),
    ]
    calls = [
        span.footnote
        for s in doc.sections
        for block in (*s.blocks, *(b for sub in s.subsections for b in sub.blocks))
        for paragraph in ((block,) if isinstance(block, Paragraph) else block.items)
        for span in paragraph.spans
        if span.footnote is not None
    ]
    assert calls == list(doc.footnotes)
    # The call sits where the markup put it: after the sentence, inside the bullet.
    bullets = section(doc, "definitions").blocks[2]
    assert isinstance(bullets, Bullets)
    assert [span.text or span.footnote for span in bullets.items[1].spans] == [
        "Missed health appointments",
        doc.footnotes[2],
    ]


def test_footnotes_number_on_when_a_section_is_left_out() -> None:
    doc = build(definition(definitions=""))

    assert [(note.number, note.text) for note in doc.footnotes] == [(1, "Neglect review, 2022"), (2, "Ofsted, 2014")]


def test_footer() -> None:
    doc = build()

    assert doc.footer_title == "ToR for MACA on Neglect"
    assert doc.version_date == "June 2024"
    assert doc.footer_lines == ("ToR for MACA on Neglect", "June 2024 · Draft of version 2")


@pytest.mark.parametrize(
    ("status", "approved_on", "label", "watermark"),
    [
        ("draft", None, "Draft of version 3", "Draft"),
        ("in_review", None, "Version 3, in review", "Draft"),
        ("approved", None, "Version 3", None),
        ("approved", datetime.date(2021, 7, 3), "Version 3, approved 3 July 2021", None),
    ],
)
def test_version_label_and_watermark(
    status: str, approved_on: datetime.date | None, label: str, watermark: str | None
) -> None:
    doc = build(version=3, status=status, approved_on=approved_on)

    assert doc.version_label == label
    assert doc.watermark == watermark
    assert doc.is_draft is (watermark is not None)
    assert doc.status == status


def test_version_label_of_a_draft_ignores_an_earlier_approval() -> None:
    assert version_label(4, "draft", datetime.date(2021, 7, 3)) == "Draft of version 4"


def test_status_may_be_a_string_enum() -> None:
    class Status(StrEnum):
        APPROVED = "approved"

    assert build(status=Status.APPROVED).watermark is None


@pytest.mark.parametrize("status", ["", "Approved", "published"])
def test_unknown_status_is_refused(status: str) -> None:
    with pytest.raises(ValueError, match="status must be one of draft, in_review, approved"):
        build(status=status)


def test_version_must_be_positive() -> None:
    with pytest.raises(ValueError, match="numbered from 1"):
        build(version=0)


def test_logo() -> None:
    logo = Logo(b"\x89PNG...", "image/png")

    assert build(logo=logo).logo == logo
    assert logo.data_uri == "data:image/png;base64,iVBORy4uLg=="
    assert "content=" not in repr(logo)
    with pytest.raises(ValueError, match="PNG, JPEG or SVG"):
        Logo(b"GIF89a", "image/gif")
    with pytest.raises(ValueError, match="empty"):
        Logo(b"", "image/png")


def test_the_seed_terms_of_reference() -> None:
    """The library's HSB template gives the seed's sections, numbering and footnotes."""
    hsb = AuditDefinition.model_validate(yaml.safe_load(HSB_YAML.read_text(encoding="utf-8")))

    doc = tor_document(hsb, partnership_name=TORBAY, agency_names=TORBAY_AGENCIES, version=1, status="approved")

    assert [s.heading for s in doc.sections] == [
        "1. Background",
        "2. What is harmful sexual behaviour?",
        "3. Purpose of the MACA on HSB",
        "4. Objectives of the Audit",
        "5. Identification of Cases",
        "6. Professional engagement in the MACA",
        "7. Timeline for Audit",
    ]
    assert [sub.heading for sub in section(doc, "objectives").subsections] == [
        "Theme 1: Responses",
        "Theme 2: Prevention",
        "Theme 3: Assessment and referral pathways",
        "Theme 4: Approach to intervention",
        "Theme 5: Workforce development",
    ]
    case_audit, wider_audit = section(doc, "engagement").subsections
    assert case_audit.heading == "6a. Case Audit – where involved"
    assert wider_audit.heading == "6b. Wider Partnership audit using the NSPCC Framework"
    assert texts(case_audit.blocks)[0][0] == (
        "Children’s Social Care – Children’s Disability Team, Operational and Regulated Services, MASH, Early Help, "
        "Safeguarding & Reviewing Service"
    )
    assert texts(section(doc, "timeline").blocks) == [
        "Audit to take place in July 2021",
        "Final draft of report presented to the Business Group in September 2021",
        "Best Practice Seminar/Learning to be disseminated in September 2021",
        "Dip Sample of learning in March 2022",
    ]
    assert [note.number for note in doc.footnotes] == [1, 2]
    assert doc.footer_lines == ("ToR for Multi Agency Case Audit on HSB", "June 2021 · Version 1")
