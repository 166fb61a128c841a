"""An output of an audit, built: the facts gathered, a layout applied, disclosure control for the public.

`build(audit, layout, audience)` is what the pages, the downloads, publishing and `maca render` all call.
"""

from collections.abc import Callable

from maca.audits.models import Audit

from .briefing import briefing, seven_minute
from .context import Facts, Ledger, NotReady, control_for, gather
from .document import AUDIENCES, Audience, Document
from .report import report

__all__ = ["LAYOUTS", "NotReady", "build", "build_from", "check_audience", "check_layout"]

LAYOUTS: dict[str, Callable[[Facts, Ledger], Document]] = {
    "briefing": briefing,
    "seven-minute": seven_minute,
    "report": report,
}


def check_layout(layout: str) -> str:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown output {layout!r}: choose one of {', '.join(LAYOUTS)}")
    return layout


def check_audience(audience: str) -> Audience:
    for known in AUDIENCES:
        if known == audience:
            return known
    raise ValueError(f"unknown audience {audience!r}: choose one of {', '.join(AUDIENCES)}")


def build_from(facts: Facts, layout: str, audience: str, *, controlled: bool = True) -> Document:
    """The output `layout` of the gathered facts, for `audience`; a public output passes disclosure control unless
    `controlled` is False (which only publishing with a recorded reason may ask for)."""
    chosen = check_audience(audience)
    ledger = Ledger(chosen, control_for(facts.audit, chosen, controlled=controlled))
    return LAYOUTS[check_layout(layout)](facts, ledger)


def build(
    audit: Audit,
    layout: str,
    audience: str,
    *,
    draft: bool = False,
    controlled: bool = True,
    tor_url: str = "",
) -> Document:
    """The output `layout` of `audit` for `audience`. NotReady (saying what is missing) when the findings are not
    signed off and `draft` is not asked for; a draft is watermarked."""
    check_layout(layout)
    check_audience(audience)
    return build_from(gather(audit, draft=draft, tor_url=tor_url), layout, audience, controlled=controlled)
