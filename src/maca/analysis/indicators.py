"""The one place where the analysis names questions of an audit definition.

The analysis works for any audit: themes, questions and case fields are data. Two of its sections, the child's voice
and the transition to adult services, are read from generic parts of every return first (the narrative "the
child's voice" under each theme; the children's ages), and, where the audit asks them, from questions found here by
their key. An audit definition that wants these sections to read its own questions uses one of these keys (the
template library's audits do: `voice_recorded`, `transition_planning`); one that has none gets the generic part
alone, and the page says which question, if any, it read.

- `VOICE`: a question answered by a choice (or yes / no) saying how the child's voice is recorded. An answer in
  `not_recorded` means it is not; `own_words` means the child's own words are recorded; any other answer means it
  is recorded in some way (summarised, observed, yes). Without the question, a return records the child's voice when
  it has written the narrative "the child's voice" under at least one theme.
- `TRANSITION`: a question answered by a choice (or yes / no) saying whether the young person's transition to adult
  services was planned. Answers are sorted into planned, not planned and not applicable; anything else (blank, not
  known, a value not listed) is "not known". The children it concerns are those aged `age` or more at some point of
  the audit's scope (on its last day; the day of the audit when the audit has no scope).
- `NOT_KNOWN`: the answers that say "not known" rather than answering, counted by data completeness beside blanks.
  "Not recorded" is an answer (the record does not say), not missing data, so it is not among them.
"""

from dataclasses import dataclass

from maca.audits.models import Question


@dataclass(frozen=True)
class VoiceQuestion:
    keys: tuple[str, ...]
    not_recorded: frozenset[str]
    own_words: frozenset[str]


@dataclass(frozen=True)
class TransitionQuestion:
    keys: tuple[str, ...]
    planned: frozenset[str]
    not_planned: frozenset[str]
    not_applicable: frozenset[str]
    age: int


VOICE = VoiceQuestion(
    keys=("voice_recorded", "child_voice_recorded"),
    not_recorded=frozenset({"not_recorded", "no", "not_known"}),
    own_words=frozenset({"own_words"}),
)
TRANSITION = TransitionQuestion(
    keys=("transition_planning", "transition_planned"),
    planned=frozenset({"yes", "planned", "planned_early", "planned_late", "below_threshold"}),
    not_planned=frozenset({"no", "not_planned"}),
    not_applicable=frozenset({"not_applicable"}),
    age=17,
)
NOT_KNOWN = frozenset({"not_known"})
# Ethnicity codes that record that the ethnicity is not known (refused, or not yet obtained).
ETHNICITY_NOT_KNOWN = frozenset({"REFU", "NOBT"})


def find_question(questions: list[Question], keys: tuple[str, ...]) -> Question | None:
    """The first of the audit's questions (in the order of the themes) whose key is one of `keys`."""
    return next((question for question in questions if question.key in keys), None)
