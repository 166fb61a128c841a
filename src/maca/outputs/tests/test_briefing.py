"""The demo's learning briefing, built from data, against the seed briefing (fixtures/seed_briefing.txt) section by
section; the same briefing for the public, with no small count left and none recoverable; the seven-minute layout;
the report's sections; and what a draft and an unsigned audit give."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from maca.audits.models import Audit
from maca.cases.codes import Gender, YesNoNotKnown
from maca.cases.models import Case, Decision
from maca.findings.models import Moderation, ModerationStatus

from ..build import NotReady, build
from ..document import Bullets, Chart, Document, Paragraph, Table
from ..render import render_html_fragment

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parent / "fixtures" / "seed_briefing.txt"
SEED_HEADINGS = (
    "What are we worried about?",
    "What can I do differently?",
    "What is life like for our young people?",
    "What Good Practice did we see?",
    "Themes for Learning",
)
# The seed's links have no address ("[here](#)"): its words are what is compared.
SEED_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
TOR_URL = "https://maca.example.org/audits/torbay-hsb-2021/terms-of-reference/"


def seed_parts() -> tuple[list[str], dict[str, list[str]]]:
    """The seed briefing as its opening lines (group, title, the paragraphs before the first heading) and the
    findings under each heading, links reduced to their words."""
    text = SEED_LINK.sub(r"\1", SEED.read_text(encoding="utf-8"))
    lines = [line.strip().lstrip("-").strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    first = lines.index(SEED_HEADINGS[0])
    findings: dict[str, list[str]] = {}
    current = ""
    for line in lines[first:]:
        if line in SEED_HEADINGS:
            current = line
            findings[current] = []
        else:
            findings[current].append(line)
    return lines[:first], findings


def normalise(text: str) -> str:
    """Words as the comparison reads them: no ordinal suffixes or "yrs", plain quotes, no final full stop."""
    text = re.sub(r"(\d+)(st|nd|rd|th)\b", r"\1", text)
    text = re.sub(r"(\d+)yrs to (\d+)yrs", r"\1 to \2 years", text)
    text = text.replace("’", "'").replace(",", "")
    return " ".join(text.split()).rstrip(".")


def paragraphs_of(doc: Document, index: int = 0) -> list[str]:
    return [block.plain for block in doc.sections[index].blocks if isinstance(block, Paragraph)]


def findings_of(doc: Document) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for section in doc.sections[1:]:
        items: list[str] = []
        for block in section.blocks:
            if isinstance(block, Paragraph):
                items.append(block.plain)
            elif isinstance(block, Bullets):
                items.extend(item.plain for item in block.items)
        found[section.title] = items
    return found


@pytest.fixture
def demo() -> Audit:
    call_command("load_demo", verbosity=0)
    return Audit.objects.get(reference="torbay-hsb-2021")


def test_the_demo_briefing_for_professionals_says_what_the_seed_says_section_by_section(demo: Audit) -> None:
    opening, seed_findings = seed_parts()
    doc = build(demo, "briefing", "professionals", tor_url=TOR_URL)
    assert (doc.group, doc.title) == (opening[0], opening[1])
    date_sentence, purpose, ages, profile, organisations = paragraphs_of(doc)
    # When, the scope, and how many met the criteria, with the Terms of Reference a link.
    assert normalise(date_sentence) == normalise(opening[2])
    link = doc.sections[0].blocks[0]
    assert isinstance(link, Paragraph)
    assert [span.href for span in link.spans if span.text == "here"] == [TOR_URL]
    # The purpose is the briefing's own sentence, with its link to the thematic review.
    assert purpose == opening[3]
    # The children: computed from the cases.
    assert normalise(ages) == normalise(opening[4])
    assert "4 of 8 have an education, health and care plan (EHCP)" in profile
    assert "all were noted to have experienced adverse childhood experiences" in profile
    assert "Low self-esteem" in profile  # the seed's "self-esteem issues"
    # The organisations: every one the seed names, from the agencies (and services) with submitted returns.
    for organisation in (
        "Children’s Social Care (Children’s Disability Team",
        "Primary Care (GP)",
        "Public Health Nursing",
        "Police",
        "Youth Offending Team",
        "Education",
        "Schools",
    ):
        assert organisation in organisations
    assert organisations.startswith("Organisations that audited their involvement with the children were: ")
    # Then the findings, under the partnership's headings in their order, word for word.
    assert findings_of(doc) == seed_findings
    # "here and here" carry the finding's links.
    hrefs = [
        span.href
        for section in doc.sections
        for block in section.blocks
        if isinstance(block, Bullets)
        for item in block.items
        for span in item.spans
        if span.href
    ]
    assert "https://www.example.org/ilearn/harmful-sexual-behaviour" in hrefs
    assert not doc.draft
    assert doc.watermark is None
    assert not doc.changes


SMALL = re.compile(r"\b([1-5])\b(?! (?:September|years|to 19))")


def test_the_public_briefing_shows_no_small_count(demo: Audit) -> None:
    doc = build(demo, "briefing", "public", tor_url=TOR_URL)
    assert doc.controlled
    text = doc.text()
    for small in ("4 of 8", "2 of 8", "3 of 8", "ranged in age from 10 to 19"):
        assert small not in text
    # Every number left is the date, the scope, the cohort, the age band or the control's own wording.
    numbers = set(re.findall(r"\b\d+\b", text))
    assert numbers <= {"20", "2021", "10", "8", "19", "2019", "6"}, numbers
    assert "Fewer than 6 of 8 have an education, health and care plan (EHCP)" in text
    assert "were aged between 10 and 19, and all were male" in text  # a group of eight may be said "all"
    changed = {change.where for change in doc.changes}
    assert changed == {"The children: sentence 1", "The children: sentence 2"}
    assert all(change.reason for change in doc.changes)


def briefings(audit: Audit, audience: str) -> tuple[str, ...]:
    """The learning briefing and the seven-minute briefing for `audience`, as the HTML a reader is sent."""
    return tuple(
        str(render_html_fragment(build(audit, layout, audience, tor_url=TOR_URL)))
        for layout in ("briefing", "seven-minute")
    )


@pytest.mark.parametrize(
    ("field", "value", "other", "counts"),
    [
        ("disability", YesNoNotKnown.YES, YesNoNotKnown.NO, (1, 2, 3, 4, 5)),  # "fewer than 6 of 8 have"
        ("aces", YesNoNotKnown.YES, YesNoNotKnown.NO, (6, 7)),  # "at least 3 of 8 were noted"
        ("gender", Gender.FEMALE, Gender.MALE, (1, 2, 6, 7)),  # a breakdown shown only by withholding: left out
    ],
)
def test_the_public_briefings_read_the_same_whatever_a_hidden_count_is(
    demo: Audit, field: str, value: str, other: str, counts: tuple[int, ...]
) -> None:
    """The demo's eight children, with `counts` of them having `value` (the rest `other`): every count of the
    class gives the public briefings word for word, while the professionals' say each count."""
    included = list(Case.objects.filter(audit=demo, decision=Decision.INCLUDED).order_by("reference"))
    assert len(included) == 8
    public, professional = set(), set()
    for count in counts:
        Case.objects.filter(pk__in=[case.pk for case in included[:count]]).update(**{field: value})
        Case.objects.filter(pk__in=[case.pk for case in included[count:]]).update(**{field: other})
        public.add(briefings(demo, "public"))
        professional.add(briefings(demo, "professionals"))
    assert len(public) == 1
    assert len(professional) == len(counts)


def test_all_is_not_said_of_a_small_group_for_the_public(demo: Audit) -> None:
    partnership = demo.partnership
    partnership.disclosure_threshold = 8
    partnership.disclosure_wording = "a small number"
    partnership.save()
    doc = build(demo, "briefing", "public")
    text = doc.text()
    assert "The young people (a small number) whose cases were audited were aged between 10 and 19." in text
    assert "all were male" not in text
    assert "all were noted" not in text
    assert "All were recorded" not in text
    assert not re.search(r"\b8\b", text)


def test_the_seven_minute_briefing_numbers_its_sections(demo: Audit) -> None:
    doc = build(demo, "seven-minute", "professionals", tor_url=TOR_URL)
    assert [section.heading for section in doc.sections] == [
        "1. Background",
        "2. Why it matters",
        "3. Information",
        "4. Findings",
        "5. What to do",
        "6. Questions for reflection",
        "7. Further reading",
    ]
    findings = doc.sections[3]
    assert [inner.title for inner in findings.sections] == list(SEED_HEADINGS)
    reading = doc.text()
    assert "Terms of Reference" in reading
    assert "Who tells the GP" in reading


def test_a_heading_without_findings_is_left_out(demo: Audit) -> None:
    moderation = Moderation.objects.get(audit=demo)
    moderation.status = ModerationStatus.OPEN
    moderation.save()
    heading = demo.briefing_headings.get(text="What is life like for our young people?")
    heading.findings.all().delete()
    doc = build(demo, "briefing", "professionals", draft=True)
    assert "What is life like for our young people?" not in [section.title for section in doc.sections]
    assert doc.draft
    assert doc.watermark == "Draft"


def test_an_audit_without_signed_off_findings_says_what_is_missing(demo: Audit) -> None:
    demo.findings_versions.all().delete()
    with pytest.raises(NotReady) as refused:
        build(demo, "report", "professionals")
    assert refused.value.missing == ["The panel’s findings have not been signed off by the audit lead."]
    draft = build(demo, "report", "professionals", draft=True)
    assert draft.watermark == "Draft"


def test_the_report_has_every_section_and_no_case_reference(demo: Audit) -> None:
    doc = build(demo, "report", "professionals", tor_url=TOR_URL)
    assert [section.key for section in doc.sections] == [
        "summary",
        "method",
        "children",
        "findings",
        "grades",
        "agreement",
        "sharing",
        "self-assessment",
        "recommendations",
        "annex",
    ]
    charts = [block for section in doc.walk() for block in section.blocks if isinstance(block, Chart)]
    assert charts
    assert all(chart.svg.startswith("<svg") and chart.table.rows for chart in charts)
    text = doc.text()
    assert "HSB-0" not in text  # no case reference
    assert "Health | 0 | 4 | 0 | 4" in text  # the GP not told when a plan ended, in 4 of 4 cases
    recommendations = next(section for section in doc.sections if section.key == "recommendations")
    assert all(inner.title.startswith("To ") for inner in recommendations.sections)
    annex = doc.sections[-1]
    assert annex.sections[0].title.startswith("1. ")


def test_the_public_report_hides_small_cells_and_withdraws_what_it_cannot_protect(demo: Audit) -> None:
    doc = build(demo, "report", "public")
    tables = [block for section in doc.walk() for block in section.blocks if isinstance(block, Table)]
    for table in tables:
        for row in table.rows:
            for cell in row[1:]:
                if cell.numeric and cell.text.isdigit():
                    assert not 1 <= int(cell.text) <= 5, (table.caption, row)
    assert any(change.after == "fewer than 6" for change in doc.changes)
