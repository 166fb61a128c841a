"""The funnel (nominated, met the criteria, included) and the profile of the included children: ages at the day of
the audit, gender, ethnicity, special educational needs, disability, adverse childhood experiences and the audit's
topic fields, as counts and as the sentences a learning briefing uses ("The eight young people whose cases were
audited ranged in age from 10 to 19 years, and all were male.")."""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from maca.audits.models import CaseField
from maca.audits.schema import CaseFieldType
from maca.cases.codes import ETHNICITIES, Gender, SpecialNeeds, YesNoNotKnown
from maca.cases.criteria import Funnel, age_on, funnel, value_labels
from maca.cases.models import Case

from .data import AnalysisData
from .words import blank, capitalised, listed, number_word, of

NOT_RECORDED = "Not recorded"
# Below this age the cohort is "children"; from it, as the seed briefing says, "young people".
YOUNG_PEOPLE_FROM = 10


@dataclass(frozen=True)
class Count:
    """How many of the included children have one value of a field (`key` is the value, "" for not recorded)."""

    key: str
    label: str
    count: int
    total: int


@dataclass(frozen=True)
class ProfileField:
    """The counts of one profile field. `key`: "gender", "ethnicity", "send", "disability", "aces", "age" or
    "topic.<field key>"; `multiple`: a child may have several values, so counts add up to more than the total."""

    key: str
    label: str
    counts: tuple[Count, ...]
    multiple: bool = False

    def count_of(self, value: str) -> int:
        return next((count.count for count in self.counts if count.key == value), 0)


@dataclass(frozen=True)
class Cohort:
    funnel: Funnel
    size: int
    age_min: int | None
    age_max: int | None
    fields: tuple[ProfileField, ...]
    sentences: tuple[str, ...]

    def field(self, key: str) -> ProfileField:
        return next(field for field in self.fields if field.key == key)


def _counts(
    cases: Sequence[Case], value_of: Callable[[Case], str], labels: dict[str, str], *, keep_order: bool = True
) -> tuple[Count, ...]:
    """Counts of each value present, in the order of `labels` (then any other value); "" (not recorded) last."""
    found = Counter(value_of(case) for case in cases)
    order = [key for key in labels if key and found[key]] if keep_order else []
    order += sorted(key for key in found if key and key not in order)
    if found[""]:
        order.append("")
    return tuple(Count(key, labels.get(key, key) if key else NOT_RECORDED, found[key], len(cases)) for key in order)


def _topic_counts(cases: Sequence[Case], case_field: CaseField) -> ProfileField:
    labels = value_labels(case_field)
    key = f"topic.{case_field.key}"
    if case_field.field_type == CaseFieldType.TEXT:
        recorded = sum(1 for case in cases if not blank(case.topic_values.get(case_field.key)))
        counts = [Count("recorded", "Recorded", recorded, len(cases))]
        if len(cases) - recorded:
            counts.append(Count("", NOT_RECORDED, len(cases) - recorded, len(cases)))
        return ProfileField(key, case_field.label, tuple(counts))
    if case_field.field_type == CaseFieldType.MULTI_CHOICE:
        found: Counter[str] = Counter()
        for case in cases:
            value = case.topic_values.get(case_field.key)
            chosen = {item for item in value if not blank(item)} if isinstance(value, list) else set()
            if not chosen:
                found[""] += 1
            found.update(chosen)
        order = [value for value in labels if found[value]]
        order += sorted(value for value in found if value and value not in order)
        if found[""]:
            order.append("")
        chosen_counts = tuple(
            Count(value, labels.get(value, value) if value else NOT_RECORDED, found[value], len(cases))
            for value in order
        )
        return ProfileField(key, case_field.label, chosen_counts, multiple=True)

    def value_of(case: Case) -> str:
        value = case.topic_values.get(case_field.key)
        return "" if blank(value) else str(value)

    return ProfileField(key, case_field.label, _counts(cases, value_of, labels))


def profile_fields(cases: Sequence[Case], case_fields: Sequence[CaseField], ages: Sequence[int]) -> list[ProfileField]:
    """Every field of the profile of `cases` (with their `ages`), standard fields first, then the topic's."""
    age_counts = Counter(ages)
    fields = [
        ProfileField(
            "age",
            "Age at the day of the audit",
            tuple(Count(str(age), str(age), age_counts[age], len(cases)) for age in sorted(age_counts)),
        ),
        ProfileField("gender", "Gender", _counts(cases, lambda c: c.gender, dict(Gender.choices))),
        ProfileField("ethnicity", "Ethnicity", _counts(cases, lambda c: c.ethnicity, ETHNICITIES)),
        ProfileField("send", "Special educational needs", _counts(cases, lambda c: c.send, dict(SpecialNeeds.choices))),
        ProfileField("disability", "Disability", _counts(cases, lambda c: c.disability, dict(YesNoNotKnown.choices))),
        ProfileField(
            "aces", "Adverse childhood experiences", _counts(cases, lambda c: c.aces, dict(YesNoNotKnown.choices))
        ),
    ]
    for case_field in case_fields:
        # A field each agency answers in its return is shown here only when nominations recorded it too: the
        # agencies' answers are in the agreement and completeness sections.
        if case_field.per_agency and all(blank(case.topic_values.get(case_field.key)) for case in cases):
            continue
        fields.append(_topic_counts(cases, case_field))
    return fields


class Numbers(Protocol):
    """How the cohort's sentences say their numbers. `PLAIN` says them as they are; a public output says them
    through disclosure control (`maca.outputs`), which may band the ages or leave a clause out (None)."""

    def size(self, size: int, people: str) -> str:
        """The children, counted: "The eight young people"."""
        ...

    def ages(self, youngest: int, oldest: int) -> str:
        """The clause on their ages: "ranged in age from 10 to 19 years"."""
        ...

    def how_many(self, count: int, size: int) -> str | None:
        """ "all", "4 of 8"; None when the clause must be left out."""
        ...

    def breakdown(self, counts: Sequence[int], size: int) -> list[str] | None:
        """Each count of a breakdown of the children (adding up to `size`) as shown; None to leave it out."""
        ...

    def end_sentence(self) -> None:
        """Called after each sentence, so that what changed can be told sentence by sentence."""
        ...


class PlainNumbers:
    """The numbers as they are, for partnership professionals."""

    def size(self, size: int, people: str) -> str:
        return f"The {number_word(size)} {people}"

    def ages(self, youngest: int, oldest: int) -> str:
        if youngest == oldest:
            return f"were all aged {youngest}"
        return f"ranged in age from {youngest} to {oldest} years"

    def how_many(self, count: int, size: int) -> str | None:
        if count == size:
            return "all" if size > 1 else "the child"
        return of(count, size)

    def breakdown(self, counts: Sequence[int], size: int) -> list[str] | None:
        return [f"{count:,}" for count in counts]

    def end_sentence(self) -> None:
        return None


PLAIN = PlainNumbers()
GENDER_WORDS: dict[str, str] = {
    Gender.MALE: "male",
    Gender.FEMALE: "female",
    Gender.OTHER: "of another gender",
    Gender.NOT_KNOWN: "not known",
}


def _gender_clause(gender: ProfileField, size: int, numbers: Numbers) -> str | None:
    """ "all were male", or "5 were male, 2 female and 1 not known"; None when the numbers may not be said."""
    if len(gender.counts) == 1:
        only = gender.counts[0]
        who = numbers.how_many(size, size)
        if who is None:
            return None
        if only.key == Gender.NOT_KNOWN:
            return "their gender was not known"
        if only.key == Gender.OTHER:
            return "all were of another gender"
        return f"{'all were' if size > 1 else 'was'} {only.label.lower()}"
    # The largest group first, "not known" last.
    ordered = sorted(gender.counts, key=lambda count: (count.key == Gender.NOT_KNOWN, -count.count))
    shown = numbers.breakdown([count.count for count in ordered], size)
    if shown is None:
        return None
    words = [GENDER_WORDS.get(count.key, count.label.lower()) for count in ordered]
    parts = [f"{text} {word}" for text, word in zip(shown, words, strict=True)]
    parts[0] = f"{shown[0]} {'was' if shown[0] == '1' else 'were'} {words[0]}"
    return listed(parts)


def _first_sentence(size: int, age_min: int, age_max: int, gender: ProfileField, numbers: Numbers) -> str:
    people = "young people" if age_min >= YOUNG_PEOPLE_FROM else "children"
    clause = _gender_clause(gender, size, numbers)
    if size == 1 and numbers is PLAIN:
        person = "young person" if age_min >= YOUNG_PEOPLE_FROM else "child"
        return f"The {person} whose case was audited was aged {age_min}, and {clause}."
    opening = f"{numbers.size(size, people)} whose cases were audited {numbers.ages(age_min, age_max)}"
    if clause is None:
        return f"{opening}."
    joiner = ", and " if len(gender.counts) == 1 else "; "
    return f"{opening}{joiner}{clause}."


def _second_sentence(cohort_fields: dict[str, ProfileField], size: int, numbers: Numbers) -> str:
    clauses = []

    def add(count: int, singular: str, plural: str) -> None:
        who = numbers.how_many(count, size) if count else None
        if who is not None:
            clauses.append(f"{who} {singular if count == 1 else plural}")

    add(
        cohort_fields["send"].count_of(SpecialNeeds.EHCP),
        "has an education, health and care plan (EHCP)",
        "have an education, health and care plan (EHCP)",
    )
    add(cohort_fields["send"].count_of(SpecialNeeds.SEN_SUPPORT), "receives SEN support", "receive SEN support")
    add(cohort_fields["disability"].count_of(YesNoNotKnown.YES), "has a disability", "have a disability")
    add(
        cohort_fields["aces"].count_of(YesNoNotKnown.YES),
        "was noted to have experienced adverse childhood experiences",
        "were noted to have experienced adverse childhood experiences",
    )
    if not clauses:
        return ""
    # As the seed briefing writes it: "4 out of 8 have an EHCP, and all were noted to have experienced …".
    joined = clauses[0] if len(clauses) == 1 else f"{', '.join(clauses[:-1])}, and {clauses[-1]}"
    return capitalised(joined) + "."


def _shared_values(fields: Sequence[ProfileField], size: int, numbers: Numbers) -> list[str]:
    """A sentence for each topic value that every included child has."""
    sentences: list[str] = []
    if numbers.how_many(size, size) is None:
        return sentences
    for field in fields:
        if not field.key.startswith("topic."):
            continue
        for count in field.counts:
            if count.key and count.key != "recorded" and count.count == size:
                who = "All were" if size > 1 else "The child was"
                sentences.append(f"{who} recorded with “{count.label}” under “{field.label}”.")
    return sentences


def cohort_sentences(cohort: "Cohort", numbers: Numbers = PLAIN) -> tuple[str, ...]:
    """The briefing's sentences on the included children, their numbers said by `numbers`."""
    if not cohort.size or cohort.age_min is None or cohort.age_max is None:
        return ("No case has been included in the audit yet.",)
    by_key = {field.key: field for field in cohort.fields}
    sentences = [_first_sentence(cohort.size, cohort.age_min, cohort.age_max, by_key["gender"], numbers)]
    numbers.end_sentence()
    second = _second_sentence(by_key, cohort.size, numbers)
    numbers.end_sentence()
    if second:
        sentences.append(second)
    sentences += _shared_values(cohort.fields, cohort.size, numbers)
    numbers.end_sentence()
    return tuple(sentences)


def cohort(data: AnalysisData) -> Cohort:
    """The funnel and the profile of the included children, with the briefing's sentences."""
    included = data.included
    ages = [age_on(case.birth_month, data.day) for case in included]
    fields = profile_fields(included, data.case_fields, ages)
    found = Cohort(
        funnel=funnel(data.cases, data.audit),
        size=len(included),
        age_min=min(ages) if ages else None,
        age_max=max(ages) if ages else None,
        fields=tuple(fields),
        sentences=(),
    )
    return replace(found, sentences=cohort_sentences(found))
