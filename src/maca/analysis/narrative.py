"""The narrative: every answer in words of the submitted returns, grouped by theme and by kind (what went well, what
worried the agency, the child's voice, the difference made, then the theme's questions answered in free text), each
linked to its return, optionally for one agency."""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from django.urls import reverse

from maca.audits.schema import AnswerType

from .data import AnalysisData
from .words import blank

KINDS = (
    ("went_well", "What went well"),
    ("worried", "What worried the agency"),
    ("child_voice", "The child’s voice"),
    ("difference", "The difference the agency’s work made"),
)


@dataclass(frozen=True)
class NarrativeItem:
    theme: str
    kind: str  # a key of KINDS, or "question.<key>"
    kind_label: str
    text: str
    audit: str  # the audit's reference
    case: str
    agency: str
    code: str

    @property
    def url(self) -> str:
        """The page of the return it comes from."""
        return reverse("returns:detail", args=[self.audit, self.case, self.code])


def narrative(data: AnalysisData, *, agency: str = "") -> list[NarrativeItem]:
    """Every narrative answer (of the agency with short code `agency`, if given), by theme, then kind, then case and
    agency."""
    returns = [r for r in data.returns if not agency or r.agency.short_code == agency]
    reference = data.audit.reference
    items = []
    for theme in data.themes:
        theme_id = str(theme.pk)
        for kind, label in KINDS:
            for r in returns:
                text = (r.judgements.get(theme_id) or {}).get(kind)
                if not blank(text):
                    items.append(
                        NarrativeItem(
                            theme.name,
                            kind,
                            label,
                            str(text).strip(),
                            reference,
                            r.case.reference,
                            r.agency.name,
                            r.agency.short_code,
                        )
                    )
        for question in data.questions_by_theme.get(theme.pk, []):
            if question.answer_type != AnswerType.TEXT:
                continue
            for r in returns:
                text = r.answers.get(question.key)
                if not blank(text):
                    items.append(
                        NarrativeItem(
                            theme.name,
                            f"question.{question.key}",
                            question.text,
                            str(text).strip(),
                            reference,
                            r.case.reference,
                            r.agency.name,
                            r.agency.short_code,
                        )
                    )
    return items


@dataclass(frozen=True)
class KindGroup:
    label: str
    items: tuple[NarrativeItem, ...]


@dataclass(frozen=True)
class ThemeGroup:
    theme: str
    kinds: tuple[KindGroup, ...]


def grouped(items: Sequence[NarrativeItem]) -> list[ThemeGroup]:
    """Items (in the order `narrative` gives them) grouped by theme, then kind."""
    return [
        ThemeGroup(
            theme,
            tuple(
                KindGroup(kind_items[0].kind_label, tuple(kind_items))
                for kind_items in (list(group) for _kind, group in groupby(theme_items, key=lambda item: item.kind))
            ),
        )
        for theme, theme_items in groupby(items, key=lambda item: item.theme)
    ]
