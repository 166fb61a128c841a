"""The demo outputs: the learning briefing's own words for the demo audit (the seed briefing's purpose sentence,
with invented links), and the briefing published for the public as version 1 by the demo audit lead, so that its
public page can be opened without logging in.

The links go to invented pages on example.org; the questions for reflection and further reading are invented too.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.partnerships.models import GovernanceGroup

from .models import Audience, Layout, Publication
from .services import briefing_text_of, briefing_text_save, publication_publish

LEAD_EMAIL = "audit.lead@demo.maca.invalid"
ISSUED_BY = "Quality and Assurance Group"
PUBLISHED_AT = datetime.datetime(2021, 10, 11, 9, 0)

PURPOSE = (
    "The purpose of the MACA was to consider the effectiveness of frontline practice in protecting children and young "
    "people who are either perpetrating or experiencing HSB, and how well the learning from the previous "
    "[thematic review undertaken in 2019](https://www.example.org/tscp/thematic-review-peer-on-peer-abuse-2019) "
    "(click link for report) has been embedded and translated into practice."
)
WHY_IT_MATTERS = (
    "Harmful sexual behaviour harms the child who displays it as well as the children it is directed at. Early, "
    "consistent responses, in words that describe the behaviour without labelling the child, help both to recover."
)
REFLECTION = "\n".join(
    [
        "- How does your team describe a child’s sexual behaviour in its records, and would another agency read it "
        "the same way?",
        "- When did you last hear, in their own words, what a young person thinks about the help they get?",
        "- Who tells the GP when a child’s plan ends or steps down, and how do you know it happened?",
        "- Which assessment tools can you use, and where do you go when you are unsure?",
    ]
)
FURTHER_READING = "\n".join(
    [
        "- [Harmful sexual behaviour practice guidance](https://www.example.org/tscp/hsb-practice-guidance)",
        "- [Learning from the thematic review of peer on peer abuse, 2019]"
        "(https://www.example.org/tscp/thematic-review-peer-on-peer-abuse-2019)",
    ]
)


@transaction.atomic
def load_outputs_demo(audit: Audit) -> Publication:
    """The demo audit's briefing text, and its learning briefing published for the public (idempotent)."""
    lead = User.objects.get(email=LEAD_EMAIL)
    text = briefing_text_of(audit)
    briefing_text_save(
        actor=lead,
        audit=audit,
        issued_by=GovernanceGroup.objects.get(partnership=audit.partnership, name=ISSUED_BY),
        texts={
            "purpose": PURPOSE,
            "why_it_matters": WHY_IT_MATTERS,
            "reflection": REFLECTION,
            "further_reading": FURTHER_READING,
        },
        loaded_version=text.version,
    )
    existing = Publication.objects.filter(audit=audit).order_by("number").first()
    if existing is not None:
        return existing
    publication = publication_publish(actor=lead, audit=audit, layout=Layout.BRIEFING, audience=Audience.PUBLIC)
    publication.published_at = timezone.make_aware(PUBLISHED_AT)
    publication.save(update_fields=["published_at"])
    return publication
