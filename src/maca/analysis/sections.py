"""The analysis as sections of sentences, tables and charts (`maca.analysis.tables`), from the computed figures.

Each section is a part of the page (its `id` is the anchor that `maca.analysis.figures` cites) and a sheet of the
download. Charts are drawn only for the page; their numbers are in the table they follow."""

from collections.abc import Sequence

from django.utils.formats import date_format

from .agreement import FieldAgreement, describe_alpha
from .chart import Bar, BarGroup, bar_chart_svg, describe
from .completeness import PROFILE_SECTION, Completeness
from .indicators import TRANSITION
from .report import Analysis
from .sharing import (
    DID_NOT_HAPPEN,
    HAPPENED_NOT_KNOWN,
    NOT_TOLD,
    STATES,
    TOLD,
    TOLD_NOT_KNOWN,
    EventSharing,
)
from .tables import Cell, Chart, Section, Table, decimal, number, share, text
from .words import listed, of, percent
from .words import share as share_of

GAP_TAG = "Gap"
APART_TAG = "2 or more steps apart"


def _chart(groups: Sequence[BarGroup], title: str, chart_id: str, maximum: float | None = None) -> Chart | None:
    if not any(group.bars for group in groups):
        return None
    svg = bar_chart_svg(groups=groups, title=title, description=describe(groups), chart_id=chart_id, maximum=maximum)
    return Chart(title, svg)


def _day(analysis: Analysis) -> str:
    return date_format(analysis.data.day, "j F Y")


# --- Cohort ---------------------------------------------------------------------------------------------------


def cohort_section(analysis: Analysis) -> Section:
    cohort = analysis.cohort
    funnel = cohort.funnel
    target = analysis.data.audit.target_cases
    funnel_table = Table(
        "funnel",
        "The funnel: cases nominated, meeting the criteria and included",
        ("Stage", "Cases"),
        (
            (text("Nominated"), number(funnel.nominated)),
            (text("Met the criteria"), number(funnel.met_criteria)),
            (text("Included"), number(funnel.included)),
            (text("Excluded"), number(funnel.excluded)),
            (text("Not decided yet"), number(funnel.undecided)),
        ),
        intro=(f"The Terms of Reference asks for {target} cases.",) if target else (),
    )
    rows = []
    for profile_field in cohort.fields:
        for count in profile_field.counts:
            rows.append(
                (
                    text(profile_field.label),
                    text(count.label),
                    number(count.count),
                    share(share_of(count.count, count.total)),
                )
            )
    profile_table = Table(
        "cohort-profile",
        f"The profile of the {cohort.size} included children, ages at the day of the audit ({_day(analysis)})",
        ("Field", "Value", "Children", "Share of the children"),
        tuple(rows),
        intro=(
            "A child may have several values of a field with several answers (such as needs), so those add up "
            "to more than the number of children.",
        ),
    )
    return Section(
        "cohort",
        "The children",
        "Cohort",
        summary=cohort.sentences,
        tables=(funnel_table, profile_table),
    )


# --- Completeness ---------------------------------------------------------------------------------------------


def _completeness_tables(table: Completeness, key: str, caption: str, unit: str) -> list[Table]:
    head = ("Field or question", *(agency.name for agency in table.agencies), "All")
    rows = []
    for row in table.rows:
        label = f"{row.label} (optional)" if row.optional else row.label
        if row.section and row.section != PROFILE_SECTION:
            label = f"{row.section}: {label}"
        cells = [text(label)]
        for tally in [*row.by_agency, row.overall]:
            cells.append(Cell(tally.missing, of(tally.missing, tally.total) if tally.total else "–", numeric=True))
        rows.append(tuple(cells))
    long_rows = []
    for row in table.rows:
        for agency, tally in zip([*table.agencies, None], [*row.by_agency, row.overall], strict=True):
            long_rows.append(
                (
                    text(row.section),
                    text(row.label),
                    text(agency.name if agency else "All agencies"),
                    number(tally.total),
                    number(tally.blank),
                    number(tally.not_known),
                    share(tally.share_known),
                )
            )
    totals = table.agency_totals()
    agency_rows = [
        (text(agency.name), number(t.total), number(t.blank), number(t.not_known), share(t.share_known))
        for agency, t in zip(table.agencies, totals, strict=True)
    ]
    overall = table.overall
    agency_rows.append(
        (
            text("All agencies"),
            number(overall.total),
            number(overall.blank),
            number(overall.not_known),
            share(overall.share_known),
        )
    )
    bars = [
        Bar(agency.name, t.share_known or 0.0, percent(t.share_known))
        for agency, t in zip(table.agencies, totals, strict=True)
    ]
    return [
        Table(
            f"{key}-agencies",
            f"{caption}: values given, by agency",
            ("Agency", unit, "Blank", "Not known", "Known"),
            tuple(agency_rows),
            chart=_chart([BarGroup("", bars)], f"{caption}: share of values known, by agency", f"chart-{key}", 1.0),
        ),
        Table(
            key,
            f"{caption}: values blank or not known, of the values asked, by field and agency",
            head,
            tuple(rows),
        ),
        Table(
            f"{key}-long",
            f"{caption}: every field and agency",
            ("Section", "Field or question", "Agency", "Values", "Blank", "Not known", "Known"),
            tuple(long_rows),
            on_page=False,
        ),
    ]


def completeness_section(analysis: Analysis) -> Section:
    profile = analysis.profile_completeness.overall
    answers = analysis.answer_completeness.overall
    summary = (
        f"Of the {answers.total:,} answers asked in the submitted returns, {percent(answers.share_known)} were given: "
        f"{answers.blank:,} were left blank and {answers.not_known:,} said “not known”.",
        f"Of the {profile.total:,} values of the included children’s profiles, {percent(profile.share_known)} were "
        f"recorded: {profile.blank:,} were blank and {profile.not_known:,} “not known”.",
    )
    tables = [
        *_completeness_tables(analysis.answer_completeness, "completeness-answers", "Returns", "Values asked"),
        *_completeness_tables(analysis.profile_completeness, "completeness-profile", "Case profiles", "Values"),
    ]
    return Section(
        "completeness",
        "Data completeness",
        "Completeness",
        summary=summary,
        paragraphs=(
            "Does the data give an accurate picture? How often a value is blank or “not known”: the returns by the "
            "agency that wrote them, the case profiles by the agency that nominated the case. “Not recorded” is an "
            "answer (the record does not say) and counts as given.",
        ),
        tables=tuple(tables),
    )


# --- Grades ---------------------------------------------------------------------------------------------------


def grades_section(analysis: Analysis) -> Section:
    result = analysis.grades
    scale = result.scale
    head = (*scale, "Not graded", "Judgements")

    def row_cells(row_label: str, counts: Sequence[int], ungraded: int) -> tuple[Cell, ...]:
        return (text(row_label), *(number(c) for c in counts), number(ungraded), number(sum(counts) + ungraded))

    def groups(rows: Sequence[tuple[str, Sequence[int]]]) -> list[BarGroup]:
        return [
            BarGroup(label, [Bar(g, c, str(c)) for g, c in zip(scale, counts, strict=True)]) for label, counts in rows
        ]

    theme_rows = [row_cells(r.label, r.counts, r.ungraded) for r in result.by_theme]
    theme_rows.append(row_cells(result.overall.label, result.overall.counts, result.overall.ungraded))
    agency_rows = [row_cells(r.label, r.counts, r.ungraded) for r in result.by_agency]
    tables = [
        Table(
            "grades-themes",
            "The agencies’ grades by theme",
            ("Theme", *head),
            tuple(theme_rows),
            chart=_chart(
                groups([(r.label, r.counts) for r in result.by_theme]),
                "The agencies’ grades by theme",
                "chart-grades-themes",
            ),
        ),
        Table(
            "grades-agencies",
            "The grades each agency gave, all themes",
            ("Agency", *head),
            tuple(agency_rows),
            chart=_chart(
                groups([(r.label, r.counts) for r in result.by_agency]),
                "The grades each agency gave",
                "chart-grades-agencies",
            ),
        ),
    ]
    paragraphs: tuple[str, ...] = ()
    if result.panel is None:
        paragraphs = (
            "There are no moderated grades yet: once moderation is open, the grades after moderation appear here "
            "beside the agencies’.",
        )
    else:
        panel_rows = []
        compare_rows = []
        for comparison in result.panel:
            for grade, mine, after in zip(scale, comparison.agencies, comparison.moderated, strict=True):
                panel_rows.append((text(comparison.theme), text(grade), number(mine), number(after)))
            compare_rows.append(
                (
                    text(comparison.theme),
                    number(comparison.compared),
                    number(comparison.kept),
                    number(comparison.raised),
                    number(comparison.lowered),
                )
            )
        tables += [
            Table(
                "grades-panel",
                "The agencies’ grades beside the grades after moderation",
                ("Theme", "Grade", "Agencies’ grades", "After moderation"),
                tuple(panel_rows),
                heading="The agencies’ grades and the panel’s",
                intro=(
                    "After moderation: the panel’s grade where it changed an agency’s grade, the agency’s where the "
                    "panel kept it.",
                ),
            ),
            Table(
                "grades-panel-compared",
                "The agencies’ grades the panel kept, raised to a better grade or lowered, by theme",
                ("Theme", "Grades moderated", "Kept", "Raised by the panel", "Lowered by the panel"),
                tuple(compare_rows),
            ),
        ]
    graded = result.overall.graded
    summary = tuple(
        f"{grade}: {of(count, graded)} graded judgements."
        for grade, count in zip(scale, result.overall.counts, strict=True)
        if count
    )
    return Section("grades", "Grades", "Grades", summary=summary, paragraphs=paragraphs, tables=tuple(tables))


# --- Agreement ------------------------------------------------------------------------------------------------


def _agreement_tables(found: FieldAgreement) -> list[Table]:
    rows = []
    for case in found.cases:
        placements = "; ".join(f"{p.agency}: {p.label}" for p in case.placements) or "No placement"
        rows.append(
            (
                text(case.reference, tag=APART_TAG if case.apart else ""),
                text(placements),
                text(case.lowest or "–"),
                text(case.highest or "–"),
                Cell(case.spread, "–" if case.spread is None else str(case.spread), numeric=True),
                text(listed(list(case.not_placed), empty="–")),
            )
        )
    scale_rows = tuple((text(point), number(count)) for point, count in zip(found.scale, found.counts, strict=True))
    bars = [Bar(point, count, str(count)) for point, count in zip(found.scale, found.counts, strict=True)]
    intro = (
        f"Krippendorff’s alpha (ordinal), over the {found.compared} cases placed by two or more agencies: "
        f"{describe_alpha(found.alpha)}",
        f"Cases where the agencies are two or more steps apart: {found.apart}. Cases where every agency agrees: "
        f"{found.agreed}.",
    )
    return [
        Table(
            f"agreement-{found.key}",
            f"{found.label}: each agency’s placement of each child, the widest spread first",
            ("Case", "Placements", "Lowest", "Highest", "Spread (steps)", "No placement from"),
            tuple(rows),
            heading=found.label,
            intro=intro,
        ),
        Table(
            f"agreement-{found.key}-scale",
            f"{found.label}: placements on each point of the scale",
            ("Point of the scale", "Placements"),
            scale_rows,
            chart=_chart(
                [BarGroup("", bars)],
                f"{found.label}: placements on each point of the scale",
                f"chart-agreement-{found.key}",
            ),
        ),
    ]


def agreement_section(analysis: Analysis) -> Section:
    tables = [table for found in analysis.agreement for table in _agreement_tables(found)]
    summary = tuple(
        f"{found.label}: Krippendorff’s alpha {describe_alpha(found.alpha)}; agencies two or more steps apart on "
        f"{of(found.apart, found.compared)} cases."
        for found in analysis.agreement
    )
    paragraphs = (
        "Where each agency places the child on the audit’s ordinal scale. Krippendorff’s alpha measures agreement "
        "between several raters on an ordinal scale: 1 when every agency agrees on every child, 0 when agreement is "
        "no better than chance, below 0 when agencies disagree systematically. Krippendorff treats 0.800 or more "
        "as reliable and 0.667 or more as enough for tentative conclusions. A child placed by fewer than two "
        "agencies is left out of it.",
    )
    if not analysis.agreement:
        paragraphs = ("The audit has no case field that each agency answers on an ordinal scale.",)
    else:
        overview = Table(
            "agreement-overview",
            "Agreement on each scale: Krippendorff’s alpha (ordinal) and the cases compared",
            ("Scale", "Cases compared", "Krippendorff’s alpha", "Two or more steps apart", "Every agency agrees"),
            tuple(
                (
                    text(found.label),
                    number(found.compared),
                    decimal(found.alpha),
                    number(found.apart),
                    number(found.agreed),
                )
                for found in analysis.agreement
            ),
        )
        tables.insert(0, overview)
    return Section("agreement", "Agreement between agencies", "Agreement", summary, paragraphs, tuple(tables))


# --- Information sharing --------------------------------------------------------------------------------------


def _sharing_tables(event: EventSharing) -> list[Table]:
    states = (TOLD, NOT_TOLD, TOLD_NOT_KNOWN, DID_NOT_HAPPEN, HAPPENED_NOT_KNOWN)
    agency_rows = [
        (
            text(agency.name, tag=GAP_TAG if agency.count(NOT_TOLD) else ""),
            number(agency.happened),
            *(number(agency.count(state)) for state in states),
        )
        for agency in (*event.agencies, event.total)
    ]
    case_rows = [
        (
            text(case.reference, tag=GAP_TAG if case.names(NOT_TOLD) else ""),
            *(text(listed(list(case.names(state)), empty="–")) for state in states[:4]),
        )
        for case in event.cases
    ]
    if not event.cases:
        return [
            Table(
                f"sharing-{event.key}",
                f"{event.text}: which agencies were told",
                ("Agency", "Said it happened", *(STATES[state] for state in states)),
                (),
                heading=event.text,
                empty="No agency said this happened in any case.",
            )
        ]
    if event.gaps:
        intro = tuple(
            f"{agency.name} was not told in {of(agency.count(NOT_TOLD), agency.happened)} cases where it said it "
            f"happened."
            for agency in event.gaps
        )
    else:
        intro = ("Every agency that said it happened was told, or did not say whether it was.",)
    groups = [
        BarGroup(
            agency.name,
            [
                Bar("Told", agency.count(TOLD), str(agency.count(TOLD))),
                Bar("Not told", agency.count(NOT_TOLD), str(agency.count(NOT_TOLD))),
            ],
        )
        for agency in event.agencies
        if agency.happened
    ]
    return [
        Table(
            f"sharing-{event.key}",
            f"{event.text}: which agencies were told, in the {len(event.cases)} cases where an agency said it happened",
            ("Agency", "Said it happened", *(STATES[state] for state in states)),
            tuple(agency_rows),
            heading=event.text,
            intro=intro,
            chart=_chart(groups, f"{event.text}: agencies told and not told", f"chart-sharing-{event.key}"),
        ),
        Table(
            f"sharing-{event.key}-cases",
            f"{event.text}: the agencies of each case",
            ("Case", *(STATES[state] for state in states[:4])),
            tuple(case_rows),
        ),
    ]


def sharing_section(analysis: Analysis) -> Section:
    tables = [table for event in analysis.sharing for table in _sharing_tables(event)]
    summary = tuple(
        f"{event.text}: {agency.name} was not told in {of(agency.count(NOT_TOLD), agency.happened)} cases."
        for event in analysis.sharing
        for agency in event.gaps
    ) or ("No agency said it was not told of an event.",)
    return Section(
        "sharing",
        "Information sharing",
        "Information sharing",
        summary=summary,
        paragraphs=(
            "For each event every return asks about: which agencies said it happened, and whether they were told.",
        ),
        tables=tuple(tables),
    )


# --- The child's voice ----------------------------------------------------------------------------------------


def voice_section(analysis: Analysis) -> Section:
    result = analysis.voice
    question = result.question
    answer_head = tuple(f"Answer: {label}" for _value, label in result.choices)
    head = ("Agency", "Returns", "Narrative written", "Voice recorded", "In the child’s own words", *answer_head)
    rows = [
        (
            text(row.name),
            number(row.returns),
            number(row.narrative),
            number(row.recorded),
            number(row.own_words),
            *(number(count) for count in row.answers),
        )
        for row in (*result.rows, result.total)
    ]
    groups = [
        BarGroup(
            row.name,
            [
                Bar(
                    "Voice recorded",
                    share_of(row.recorded, row.returns) or 0.0,
                    percent(share_of(row.recorded, row.returns)),
                ),
                Bar(
                    "In the child’s own words",
                    share_of(row.own_words, row.returns) or 0.0,
                    percent(share_of(row.own_words, row.returns)),
                ),
            ],
        )
        for row in result.rows
    ]
    total = result.total
    if question is not None:
        how = (
            f"Whether the voice was recorded is the answer to the audit’s question “{question.text}”. The narrative "
            f"column counts the returns that wrote “the child’s voice” under at least one theme."
        )
        summary: tuple[str, ...] = (
            f"The child’s voice was recorded in {of(total.recorded, total.returns)} returns, in the child’s own "
            f"words in {of(total.own_words, total.returns)}.",
        )
    else:
        how = (
            "The audit asks no question about how the child’s voice is recorded: a return records it when it wrote "
            "“the child’s voice” under at least one theme."
        )
        summary = (f"The child’s voice was recorded in {of(total.recorded, total.returns)} returns.",)
    table = Table(
        "voice-agencies",
        "The child’s voice in the returns, by agency",
        head,
        tuple(rows),
        chart=_chart(groups, "Share of returns recording the child’s voice, by agency", "chart-voice", 1.0),
    )
    return Section("voice", "The child’s voice", "Voice of the child", summary, (how,), (table,))


# --- Transition -----------------------------------------------------------------------------------------------


def transition_section(analysis: Analysis) -> Section:
    result = analysis.transition
    scope_end = date_format(analysis.data.scope_end, "j F Y")
    rows = [
        (
            text(case.reference),
            number(case.age_at_scope_end),
            number(case.age_at_audit),
            text("; ".join(f"{a.agency}: {a.answer}" for a in case.answers) or "–"),
            text(case.state_text, tag=GAP_TAG if case.state != "planned" else ""),
        )
        for case in result.cases
    ]
    older = len(result.cases)
    who = f"{older} child was" if older == 1 else f"{older} children were"
    if result.question is None:
        summary: tuple[str, ...] = (
            f"{who} {result.age} or older during the scope (on {scope_end}). The audit asks no question about "
            f"transition to adult services.",
        )
    else:
        summary = (
            f"{who} {result.age} or older during the scope (on {scope_end}); a transition plan was recorded for "
            f"{of(result.planned, older)}.",
        )
    paragraphs = (
        f"The children aged {TRANSITION.age} or more on the last day of the scope"
        + (f", with each agency’s answer to “{result.question.text}”." if result.question else "."),
    )
    table = Table(
        "transition-cases",
        f"The children aged {result.age} or more during the scope",
        ("Case", "Age at the end of the scope", "Age at the audit", "The agencies’ answers", "Transition plan"),
        tuple(rows),
    )
    return Section("transition", "Transition to adult services", "Transition", summary, paragraphs, (table,))


def sections(analysis: Analysis) -> list[Section]:
    """Every section of the analysis but the narrative, in the order of the page."""
    return [
        cohort_section(analysis),
        completeness_section(analysis),
        grades_section(analysis),
        agreement_section(analysis),
        sharing_section(analysis),
        voice_section(analysis),
        transition_section(analysis),
    ]
