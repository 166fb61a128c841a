"""The report for the governance group: summary, method, the children, findings, grades, agreement, information
sharing, the wider partnership self-assessment, recommendations to each group, and the Terms of Reference as an
annex. Charts are maca's own SVG drawings with their tables beside them.

It holds no case-level narrative: no agency's answer, no case reference, only the panel's findings and the counts
computed from the returns; for the public, every count passes disclosure control.
"""

import datetime

from maca.analysis.chart import Bar, BarGroup
from maca.analysis.words import percent
from maca.audits.tor.context import Bullets as TorBullets
from maca.audits.tor.context import Paragraph as TorParagraph
from maca.audits.tor.context import Section as TorSection
from maca.cases.criteria import Funnel, criteria_summary
from maca.selfassessment.chart import Series, radar_svg
from maca.selfassessment.chart import describe as describe_radar

from .briefing import findings_sections, title_of
from .context import Facts, Ledger, bar_groups, long_date
from .disclosure import age_band_text
from .document import Block, Bullets, Cell, Chart, Document, Paragraph, Section, Span, Table, paragraph, paragraphs


def summary_sentence(day: datetime.date, funnel: Funnel, agencies: int, returns: int, ledger: Ledger) -> str:
    """ "The audit took place on …. Of 10 cases nominated, 8 met the criteria and were included. 7 agencies audited
    their involvement and submitted 31 returns." For the public, the number of returns is never said: every agency
    named sent at least one, so beside the number of agencies even "fewer than 6 returns" could be worked out (5
    agencies: 5 returns), and leaving it out only when small would say that it is small. The report's table of
    returns by agency gives it, protected knowing that."""
    if not ledger.controlled:
        submitted = f"{returns:,} returns"
    else:
        submitted = "their returns"
        ledger.note(
            "Returns submitted",
            f"{returns:,}",
            "(left out)",
            "each agency named sent at least one: beside their number, the count would narrow down",
        )
    return (
        f"The audit took place on {long_date(day)}. Of {ledger.count(funnel.nominated, 'Cases nominated')} "
        f"cases nominated, {ledger.count(funnel.included, 'Cases included')} met the criteria and were included. "
        f"{agencies:,} agencies audited their involvement and submitted {submitted}."
    )


def _summary(facts: Facts, ledger: Ledger) -> Section:
    returns = sum(agency.submitted for agency in facts.agencies)
    findings = facts.findings.findings
    headings = [heading for heading in facts.findings.headings if heading.findings]
    groups = sorted({item.governance_group for item in facts.findings.recommendations})
    first = summary_sentence(facts.day, facts.cohort.funnel, len(facts.agencies), returns, ledger)
    second = f"The panel made {len(findings)} findings under {len(headings)} headings"
    recommendations = len(facts.findings.recommendations)
    if recommendations:
        second += f" and {recommendations} recommendations to {len(groups)} groups"
    blocks: list[Block] = [paragraph(first), paragraph(second + ".")]
    blocks.extend(paragraph(sentence) for sentence in ledger.cohort_sentences(facts.cohort))
    return Section("summary", "Summary", tuple(blocks))


def _method(facts: Facts, ledger: Ledger) -> Section:
    audit = facts.audit
    blocks: list[Block] = [*paragraphs(audit.purpose)]
    themes = [theme.name for theme in facts.analysis.data.themes]
    if themes:
        blocks.append(paragraph("Agencies audited each case under these themes:"))
        blocks.append(Bullets(tuple(paragraph(name) for name in themes)))
    per_case, for_the_set = criteria_summary(audit)
    if per_case or for_the_set:
        blocks.append(paragraph("A case met the criteria when:"))
        blocks.append(Bullets(tuple(paragraph(line) for line in [*per_case, *for_the_set])))
    funnel = facts.cohort.funnel
    blocks.append(
        ledger.table(
            "Cases nominated, meeting the criteria and included",
            ("Stage", "Cases"),
            ("Nominated", "Met the criteria", "Included"),
            [[funnel.nominated], [funnel.met_criteria], [funnel.included]],
            totals=False,
        )
    )
    if facts.agencies:
        blocks.append(
            ledger.table(
                "Returns by agency: submitted, and still to come",
                ("Agency", "Submitted", "Still to come"),
                [agency.name for agency in facts.agencies],
                [[agency.submitted, agency.expected - agency.submitted] for agency in facts.agencies],
                column_totals=True,
                present_columns=(0,),  # an agency is named only when it submitted a return
            )
        )
    return Section("method", "Method", tuple(blocks))


def _cohort(facts: Facts, ledger: Ledger) -> Section:
    cohort = facts.cohort
    blocks: list[Block] = [paragraph(sentence) for sentence in ledger.cohort_sentences(cohort)]
    for profile in cohort.fields:
        if profile.key == "age" and ledger.controlled:
            if cohort.age_min is not None and cohort.age_max is not None:
                band = age_band_text(cohort.age_min, cohort.age_max)
                ledger.note("Ages", f"{cohort.age_min} to {cohort.age_max}", band, "ages shown as a band")
                blocks.append(paragraph(f"Ages at the day of the audit: in the band {band} years."))
            continue
        labels = [count.label for count in profile.counts]
        values = [count.count for count in profile.counts]
        table = ledger.table(
            profile.label,
            (profile.label, "Children"),
            labels,
            [[value] for value in values],
            totals=False,
            column_totals=not profile.multiple,
            present_columns=(0,),  # a value is named only when some child has it
        )
        chart_id = f"chart-{profile.key.replace('.', '-')}"
        chart = ledger.chart(f"Children by {profile.label.lower()}", table, bar_groups(labels, values), chart_id)
        blocks.append(chart or table)
    return Section("children", "The children", tuple(blocks))


def _grades(facts: Facts, ledger: Ledger) -> Section:
    result = facts.analysis.grades
    scale = list(result.scale)
    rows = [list(row.counts) for row in result.by_theme]
    labels = [row.label for row in result.by_theme]
    table = ledger.table("Agencies’ grades by theme", ("Theme", *scale), labels, rows, column_totals=True)
    groups = [
        BarGroup(row.label, [Bar(grade, count, f"{count:,}") for grade, count in zip(scale, row.counts, strict=True)])
        for row in result.by_theme
    ]
    blocks: list[Block] = [ledger.chart("Agencies’ grades by theme", table, groups, "chart-grades") or table]
    if result.panel:
        blocks.append(
            ledger.table(
                "The panel’s moderation of the grades, by theme",
                ("Theme", "Kept", "Raised", "Lowered"),
                [comparison.theme for comparison in result.panel],
                [[comparison.kept, comparison.raised, comparison.lowered] for comparison in result.panel],
                column_totals=True,
            )
        )
    return Section("grades", "Grades by theme", tuple(blocks))


def _agreement_and_sharing(facts: Facts, ledger: Ledger) -> list[Section]:
    sections = []
    agreement_blocks: list[Block] = []
    for found in facts.analysis.agreement:
        agreement_blocks.append(
            paragraph(agreement_sentence(found.label, found.alpha, found.apart, found.compared, ledger))
        )
    if agreement_blocks:
        sections.append(Section("agreement", "Agreement between agencies", tuple(agreement_blocks)))
    sharing_blocks: list[Block] = []
    for event in facts.analysis.sharing:
        agencies = [agency for agency in event.agencies if agency.happened]
        if not agencies:
            continue
        sharing_blocks.append(
            ledger.table(
                f"{event.text}: was the agency told?",
                ("Agency", "Told", "Not told", "Not known"),
                [agency.name for agency in agencies],
                [
                    [agency.count("told"), agency.count("not_told"), agency.count("told_not_known")]
                    for agency in agencies
                ],
            )
        )
    if sharing_blocks:
        sections.append(Section("sharing", "Information sharing", tuple(sharing_blocks)))
    return sections


def agreement_sentence(label: str, alpha: float | None, apart: int, compared: int, ledger: Ledger) -> str:
    """ "Age-appropriate behaviour: agreement between agencies (Krippendorff’s alpha, ordinal) 0.812; agencies were
    two or more steps apart in 2 of 7 cases placed by two or more agencies."

    For the public, when the control hides how many cases were apart, alpha is not given either: it is computed
    from the same placements and moves with that count, so it could narrow it down."""
    said = f"{label}: agreement between agencies (Krippendorff’s alpha, ordinal) "
    said += "not defined" if alpha is None else f"{alpha:.3f}"
    apart_words = ledger.of(apart, compared, label)
    if apart_words is not None and apart_words == f"{apart:,} of {compared:,}":
        return f"{said}; agencies were two or more steps apart in {apart_words} cases placed by two or more agencies."
    ledger.note(f"{label}: alpha", said, "(left out)", "computed from the cases the control counts as too few to show")
    said = f"{label}: agreement between agencies is not shown"
    if apart_words is None:
        return f"{said}: too few cases were placed by two or more agencies."
    return f"{said}; agencies were two or more steps apart in {apart_words} cases placed by two or more agencies."


def _self_assessment(facts: Facts) -> Section | None:
    results = facts.self_assessment
    if not results.agencies or not results.areas:
        return None
    head = ("Area", *(agency.name for agency in results.agencies), "Partnership")
    rows = tuple(
        (
            Cell(area),
            *(Cell(percent(agency.scores[index]), numeric=True) for agency in results.agencies),
            Cell(percent(results.partnership[index]), numeric=True),
        )
        for index, area in enumerate(results.areas)
    )
    table = Table("Self-assessment scores by operational area", head, rows)
    blocks: list[Block] = [
        paragraph(
            f"{len(results.agencies)} agencies rated the partnership’s arrangements against "
            f"{facts.audit.framework or 'the framework'}. An area’s score is the share of the most it could score."
        )
    ]
    if len(results.areas) >= 3:
        series = [Series("Partnership", results.partnership)]
        description = describe_radar(results.areas, series)
        title = "The partnership’s self-assessment by area"
        svg = radar_svg(axes=results.areas, series=series, title=title, description=description, chart_id="chart-radar")
        blocks.append(Chart(title, str(svg), description, table))
    else:
        blocks.append(table)
    if results.waiting:
        blocks.append(paragraph(f"Not yet submitted: {', '.join(results.waiting)}."))
    return Section("self-assessment", "Wider partnership self-assessment", tuple(blocks))


def _recommendations(facts: Facts) -> Section | None:
    by_group: dict[str, list[Paragraph]] = {}
    for item in facts.findings.recommendations:
        supported = f" (findings {', '.join(str(number) for number in item.findings)})" if item.findings else ""
        by_group.setdefault(item.governance_group, []).append(Paragraph((*paragraph(item.text).spans, Span(supported))))
    if not by_group:
        return None
    inner = tuple(
        Section(
            f"recommendations-{index}",
            f"To the {group}" if not group.startswith("The ") else f"To {group}",
            (Bullets(tuple(items)),),
        )
        for index, (group, items) in enumerate(sorted(by_group.items()), start=1)
    )
    return Section("recommendations", "Recommendations", (), inner)


def _tor_blocks(blocks: tuple[TorParagraph | TorBullets, ...]) -> tuple[Block, ...]:
    def spans(item: TorParagraph) -> tuple[Span, ...]:
        return tuple(Span(f"[{span.footnote.number}]" if span.footnote else span.text) for span in item.spans)

    out: list[Block] = []
    for block in blocks:
        if isinstance(block, TorBullets):
            out.append(Bullets(tuple(Paragraph(spans(item)) for item in block.items)))
        else:
            out.append(Paragraph(spans(block)))
    return tuple(out)


def _annex(facts: Facts) -> Section:
    tor = facts.tor
    inner: list[Section] = []
    for section in tor.sections:
        inner.append(_tor_section(section))
    if tor.footnotes:
        inner.append(
            Section(
                "annex-notes",
                "Notes",
                (Bullets(tuple(paragraph(f"[{note.number}] {note.text}") for note in tor.footnotes)),),
            )
        )
    intro = paragraph(f"{tor.document_title}, {tor.version_label}.")
    return Section("annex", "Annex: Terms of Reference", (intro,), tuple(inner))


def _tor_section(section: TorSection) -> Section:
    return Section(
        f"annex-{section.key}",
        section.heading,
        _tor_blocks(section.blocks),
        tuple(
            Section(f"annex-{section.key}-{index}", sub.heading, _tor_blocks(sub.blocks))
            for index, sub in enumerate(section.subsections, start=1)
        ),
    )


def report(facts: Facts, ledger: Ledger) -> Document:
    """The report for the governance group."""
    sections: list[Section | None] = [
        _summary(facts, ledger),
        _method(facts, ledger),
        _cohort(facts, ledger),
        Section("findings", "Findings", (), tuple(findings_sections(facts, ledger))),
        _grades(facts, ledger),
        *_agreement_and_sharing(facts, ledger),
        _self_assessment(facts),
        _recommendations(facts),
        _annex(facts),
    ]
    return Document(
        kind="report",
        layout="report",
        reference=facts.audit.reference,
        partnership_name=facts.partnership_name,
        group=facts.group,
        title=title_of(facts),
        subtitle="Report for the governance group",
        audience=ledger.audience,
        sections=tuple(section for section in sections if section is not None),
        footer=f"{facts.audit.short_title or facts.audit.title} · Report",
        draft=facts.draft,
        controlled=ledger.controlled,
        changes=tuple(ledger.changes),
        version_label=facts.version_label,
    )
