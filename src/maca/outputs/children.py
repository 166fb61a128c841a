"""What a public output says about the children: the cohort's sentences, written through disclosure control.

The professionals read the sentences of `maca.analysis.cohort`, whose words follow the true counts ("1 has a
disability", "5 were male, 2 female"). A public sentence must not: "fewer than 6 of 9 has a disability" tells the
reader the hidden count is 1 as surely as the number would. Here every word of a sentence follows only what the
control prints, so that every count of one suppression class (all the counts the control prints the same way) gives
the same sentence, word for word:

- verbs and nouns are plural ("have", "were", "children", "young people") whatever a count is, and the children are
  "young people" or "children" by the age band, not by the youngest child's age;
- "all" is said only of a group that is not small; "none", "only", "both" and "a single" are never said;
- a clause left out (a small group, a count the control withholds, a breakdown it cannot show) is left out for every
  count of its class;
- a breakdown ("fewer than 6 were male and 7 female") names its kinds in a fixed order, never by their size, and is
  protected knowing that a kind is named only when some child has it.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from maca.analysis.cohort import GENDER_WORDS, YOUNG_PEOPLE_FROM, Cohort, Count, ProfileField
from maca.analysis.words import capitalised, number_word
from maca.cases.codes import Gender, SpecialNeeds, YesNoNotKnown

from .disclosure import Control, Status, age_band, protect_line, protect_of

NO_CASE = "No case has been included in the audit yet."
GENDER_ORDER: tuple[str, ...] = tuple(Gender.values)
# The second sentence's clauses, in the professionals' order: the field, its value, and what the children have.
CLAUSES: tuple[tuple[str, str, str], ...] = (
    ("send", SpecialNeeds.EHCP.value, "have an education, health and care plan (EHCP)"),
    ("send", SpecialNeeds.SEN_SUPPORT.value, "receive SEN support"),
    ("disability", YesNoNotKnown.YES.value, "have a disability"),
    ("aces", YesNoNotKnown.YES.value, "were noted to have experienced adverse childhood experiences"),
)
SMALL_GROUP = "a group too small to say anything of every child in it"
BAND = "ages shown as a band"


@dataclass(frozen=True)
class Said:
    """One sentence as a public output says it: `text` ("" when it is left out), and why it differs from the
    sentence the professionals read."""

    text: str
    reasons: tuple[str, ...]


@dataclass
class _Reasons:
    found: list[str] = field(default_factory=list)

    def add(self, reason: str) -> None:
        if reason and reason not in self.found:
            self.found.append(reason)

    def said(self, text: str) -> Said:
        return Said(text, tuple(self.found))


def public_sentences(cohort: Cohort, control: Control) -> tuple[Said, ...]:
    """The cohort's sentences for the public: one for each sentence the professionals read
    (`maca.analysis.cohort.cohort_sentences`), in the same order, with "" for one the public do not read.

    Guarantees: no count from 1 to the threshold, nor one whose complement is, is printed as a number; every word
    depends only on the group's size (when it is not small), the age band and the words the control prints for each
    count, so every count of a suppression class gives the same sentences."""
    if not cohort.size or cohort.age_min is None or cohort.age_max is None:
        return (Said(NO_CASE, ()),)
    by_key = {profile.key: profile for profile in cohort.fields}
    said = [_first(cohort.size, cohort.age_min, cohort.age_max, by_key["gender"], control)]
    counts = [by_key[key].count_of(value) for key, value, _ in CLAUSES]
    if any(counts):
        said.append(_second(counts, cohort.size, control))
    said.extend(_shared_values(cohort.fields, cohort.size, control))
    return tuple(said)


def _first(size: int, age_min: int, age_max: int, gender: ProfileField, control: Control) -> Said:
    """ "The eight young people whose cases were audited were aged between 10 and 19, and all were male." """
    reasons = _Reasons()
    low, high = age_band(age_min, age_max)
    reasons.add(BAND)
    people = "young people" if low >= YOUNG_PEOPLE_FROM else "children"
    if control.is_small(size):
        reasons.add(f"the count is from 1 to {control.threshold}")
        opening = f"The {people} ({control.small_text})"
    else:
        opening = f"The {number_word(size)} {people}"
    opening += f" whose cases were audited were aged between {low} and {high}"
    present = [count for count in gender.counts if count.count]
    if len(present) == 1:
        clause = _one_gender(present[0], size, control, reasons)
        joiner = ", and "
    else:
        clause = _genders(gender, size, control, reasons)
        joiner = "; "
    return reasons.said(f"{opening}{joiner}{clause}." if clause else f"{opening}.")


def _one_gender(only: Count, size: int, control: Control, reasons: _Reasons) -> str | None:
    """ "all were male", said only of a group that is not small."""
    if not control.allows_universal(size):
        reasons.add(SMALL_GROUP)
        return None
    if only.key == Gender.NOT_KNOWN:
        return "their gender was not known"
    if not only.key:
        return "their gender was not recorded"
    return f"all were {_gender_words(only)}"


def _gender_words(count: Count) -> str:
    return GENDER_WORDS.get(count.key, count.label.lower())


def _genders(gender: ProfileField, size: int, control: Control, reasons: _Reasons) -> str | None:
    """ "7 were male, fewer than 6 female and fewer than 6 not known": the kinds present, in a fixed order; None
    when the group is small or the breakdown needs a count withheld or withdrawn (words such as "not shown were male"
    would tell the reader nothing)."""
    if control.is_small(size):
        reasons.add(SMALL_GROUP)
        return None
    ordered = sorted(
        (count for count in gender.counts if count.count),
        key=lambda count: (
            GENDER_ORDER.index(count.key) if count.key in GENDER_ORDER else len(GENDER_ORDER),
            count.key,
        ),
    )
    line = protect_line([count.count for count in ordered], size, control, present=True)
    if line.withdrawn or any(cell.status is Status.WITHHELD for cell in line.cells):
        reasons.add("a breakdown too small to show")
        return None
    if line.changed:
        reasons.add(f"the count is from 1 to {control.threshold}")
    by_size = sorted(ordered, key=lambda count: (count.key == Gender.NOT_KNOWN, -count.count))
    if by_size != ordered:
        reasons.add("the kinds named in a fixed order, not by how many there are")
    words = [_gender_words(count) for count in ordered]
    parts = [f"{cell.text} {word}" for cell, word in zip(line.cells, words, strict=True)]
    parts[0] = f"{line.cells[0].text} were {words[0]}"
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _second(counts: Sequence[int], size: int, control: Control) -> Said:
    """ "Fewer than 6 of 8 have an education, health and care plan (EHCP), and all were noted to have …"; "" when
    every clause is left out."""
    reasons = _Reasons()
    clauses = []
    for count, (_, _, words) in zip(counts, CLAUSES, strict=True):
        if not count:
            continue  # as for the professionals: "none" is never said, and 0 is not a count the control hides
        phrase = protect_of(count, size, control)
        reasons.add(phrase.reason)
        if phrase.text == control.withheld:
            continue  # the whole group is too small: left out whatever the count
        who = "all" if count == size else phrase.text
        clauses.append(f"{who} {words}")
    if not clauses:
        return reasons.said("")
    joined = clauses[0] if len(clauses) == 1 else f"{', '.join(clauses[:-1])}, and {clauses[-1]}"
    return reasons.said(capitalised(joined) + ".")


def _shared_values(fields: Sequence[ProfileField], size: int, control: Control) -> list[Said]:
    """ "All were recorded with “Low self-esteem” under “Needs identified”." for each topic value every child has;
    left out, for a small group."""
    said = []
    for profile in fields:
        if not profile.key.startswith("topic."):
            continue
        for count in profile.counts:
            if count.key and count.key != "recorded" and count.count == size:
                if control.allows_universal(size):
                    said.append(Said(f"All were recorded with “{count.label}” under “{profile.label}”.", ()))
                else:
                    said.append(Said("", ("“all” said of a small group",)))
    return said
