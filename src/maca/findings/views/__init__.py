"""Pages of moderation: the moderation page, sign-off and the signed-off versions (`overview`), a finding and its
evidence (`findings`), the panel's grades, the recommendations and the briefing's headings (`moderating`)."""
