"""The learning briefing for practitioners, in two layouts of the same facts.

- `briefing`: the shape of the partnership's own briefing (the seed): the group and the audit's title; when the
  audit took place, its scope and how many cases met the criteria, with a link to the Terms of Reference; its
  purpose; the children; the organisations that audited their involvement; then the findings under the
  partnership's headings, in their order. A heading without findings is left out.
- `seven_minute`: the seven-minute briefing many partnerships use: seven numbered sections (background, why it
  matters, information, findings, what to do, questions for reflection, further reading). A section with nothing
  to say is left out and the numbers close up.

Every number is computed and said through the `Ledger`, so that a public briefing passes disclosure control. The
words people wrote (the findings, the recommendations, the briefing's own words and the Terms of Reference it quotes)
are printed as written: `free_texts` lists them, for the audit lead to check before publishing (`outputs.freetext`).
"""

import datetime

from .context import Facts, Ledger, long_date
from .document import Block, Bullets, Document, Paragraph, Section, Span, paragraph, paragraphs

BRIEFING_TITLE = "Multi-Agency Case Audit"


def title_of(facts: Facts) -> str:
    """ "Multi-Agency Case Audit: Harmful Sexual Behaviour"."""
    topic = facts.audit.topic or facts.audit.short_title or facts.audit.title
    return f"{BRIEFING_TITLE}: {topic}"


def _tor_link(facts: Facts) -> tuple[Span, ...]:
    if facts.tor_url:
        return (Span(", which can be viewed "), Span("here", href=facts.tor_url), Span("."))
    return (Span("."),)


def opening_sentence(day: datetime.date, scope: int | None, included: int, ledger: Ledger) -> str:
    """ "The audit took place on 20 September 2021 with a scope of 10 children and ultimately reviewed the records of
    8 who met the criteria laid out in the terms of reference" (the link to it follows). The scope is the number of
    cases the Terms of Reference planned, not a count of children, so it is said as it is."""
    opening = f"The audit took place on {long_date(day)}"
    if scope:
        opening += f" with a scope of {scope:,} children"
    reviewed = ledger.count(included, "Cases reviewed")
    return (
        f"{opening} and ultimately reviewed the records of {reviewed} who met the criteria laid out in the terms of "
        "reference"
    )


def introduction(facts: Facts, ledger: Ledger) -> list[Block]:
    """When, the scope and the cases, the purpose, the children and the organisations: the briefing's opening."""
    opening = opening_sentence(facts.day, facts.audit.target_cases, facts.cohort.funnel.included, ledger)
    blocks: list[Block] = [Paragraph((Span(opening), *_tor_link(facts)))]
    blocks.extend(paragraphs(_purpose(facts)[1]))
    sentences = ledger.cohort_sentences(facts.cohort)
    if sentences:
        blocks.append(paragraph(sentences[0]))
    if len(sentences) > 1:
        blocks.append(paragraph(" ".join(sentences[1:])))
    if facts.agencies:
        names = [agency.described for agency in facts.agencies]
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        blocks.append(paragraph(f"Organisations that audited their involvement with the children were: {listed}."))
    return blocks


def findings_sections(facts: Facts, ledger: Ledger, *, numbered_from: int | None = None) -> list[Section]:
    """One section per heading with findings, in the partnership's order; one finding reads as a paragraph, more as
    a list. Findings are the panel's words, printed as written (see free_texts)."""
    sections = []
    for index, heading in enumerate(heading for heading in facts.findings.headings if heading.findings):
        items = tuple(paragraph(finding.text) for finding in heading.findings)
        blocks: tuple[Block, ...] = items if len(items) == 1 else (Bullets(items),)
        number = None if numbered_from is None else numbered_from + index
        sections.append(Section(f"findings-{index + 1}", heading.text, blocks, number=number))
    return sections


def _document(facts: Facts, ledger: Ledger, layout: str, sections: list[Section]) -> Document:
    return Document(
        kind="briefing",
        layout=layout,
        reference=facts.audit.reference,
        partnership_name=facts.partnership_name,
        group=facts.group,
        title=title_of(facts),
        subtitle="Seven-minute briefing" if layout == "seven-minute" else "Learning briefing",
        audience=ledger.audience,
        sections=tuple(sections),
        footer=f"{facts.audit.short_title or facts.audit.title} · {facts.group}",
        draft=facts.draft,
        controlled=ledger.controlled,
        changes=tuple(ledger.changes),
        version_label=facts.version_label,
    )


def briefing(facts: Facts, ledger: Ledger) -> Document:
    """The learning briefing in the partnership's own shape."""
    sections = [Section("about", "", tuple(introduction(facts, ledger))), *findings_sections(facts, ledger)]
    return _document(facts, ledger, "briefing", sections)


def seven_minute(facts: Facts, ledger: Ledger) -> Document:
    """The seven-minute briefing: background, why it matters, information, findings, what to do, questions for
    reflection, further reading."""
    text = facts.text
    parts: list[tuple[str, str, tuple[Block, ...], tuple[Section, ...]]] = [
        ("background", "Background", paragraphs(facts.audit.background) if facts.audit.background else (), ()),
        ("why", "Why it matters", paragraphs(_why_it_matters(facts)[1]), ()),
        ("information", "Information", tuple(introduction(facts, ledger)), ()),
        ("findings", "Findings", (), tuple(findings_sections(facts, ledger))),
        ("what-to-do", "What to do", _what_to_do(facts), ()),
        ("reflection", "Questions for reflection", paragraphs(text.reflection) if text.reflection.strip() else (), ()),
        ("reading", "Further reading", _further_reading(facts), ()),
    ]
    sections: list[Section] = []
    for key, title, blocks, inner in parts:
        if blocks or inner:
            sections.append(Section(key, title, blocks, inner, number=len(sections) + 1))
    return _document(facts, ledger, "seven-minute", sections)


def _what_to_do(facts: Facts) -> tuple[Block, ...]:
    """The recommendations, each with the group it is addressed to."""
    items = tuple(
        Paragraph((Span(f"{item.governance_group}: ", ""), *paragraph(item.text).spans))
        for item in facts.findings.recommendations
    )
    return (Bullets(items),) if items else ()


def _further_reading(facts: Facts) -> tuple[Block, ...]:
    blocks = list(paragraphs(facts.text.further_reading)) if facts.text.further_reading.strip() else []
    if facts.tor_url:
        blocks.append(Paragraph((Span("The audit’s "), Span("Terms of Reference", href=facts.tor_url), Span("."))))
    return tuple(blocks)


def _purpose(facts: Facts) -> tuple[str, str]:
    """Where the purpose comes from, and its words: the briefing's own, or else the Terms of Reference's."""
    if facts.text.purpose.strip():
        return "The briefing’s own words: the purpose of the audit", facts.text.purpose
    return "The Terms of Reference: the purpose", facts.audit.purpose


def _why_it_matters(facts: Facts) -> tuple[str, str]:
    if facts.text.why_it_matters.strip():
        return "The briefing’s own words: why it matters", facts.text.why_it_matters
    return "The Terms of Reference: the definitions", facts.audit.definitions


def free_texts(facts: Facts, layout: str) -> list[tuple[str, str]]:
    """Every text a person wrote that the briefing `layout` ("briefing" or "seven-minute") prints, with where it
    comes from, in the order it is printed: what disclosure control does not check. Blank texts are left out."""
    findings = [(f"Finding {finding.number}", finding.text) for finding in facts.findings.findings]
    texts = [_purpose(facts), *findings]
    if layout == "seven-minute":
        recommendations = [
            (f"Recommendation {item.number} ({item.governance_group})", item.text)
            for item in facts.findings.recommendations
        ]
        texts = [
            ("The Terms of Reference: the background", facts.audit.background),
            _why_it_matters(facts),
            *texts,
            *recommendations,
            ("The briefing’s own words: questions for reflection", facts.text.reflection),
            ("The briefing’s own words: further reading", facts.text.further_reading),
        ]
    return [(where, text) for where, text in texts if text.strip()]
