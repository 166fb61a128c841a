"""Who may do what with an audit's outputs (django-rules), on the audit.

- Read the outputs (the report and the briefings, final): the coordinator, the audit lead, the panel once
  moderation is open, and the governance readers of the groups the audit reports to. The outputs carry no
  case-level narrative, only the panel's findings and computed counts.
- Preview a draft (the findings as they stand, watermarked): those who moderate.
- Write the briefing's own words: the coordinator and the audit lead.
- Publish a briefing: the audit lead.
"""

import rules

from maca.findings.rules import is_under_way, leads, on_the_panel, oversees, reads_for_governance

moderates = is_under_way & (oversees | on_the_panel)

rules.add_perm("outputs.read", moderates | (is_under_way & reads_for_governance))
rules.add_perm("outputs.preview_draft", moderates)
rules.add_perm("outputs.change_text", is_under_way & oversees)
rules.add_perm("outputs.publish", is_under_way & leads)
