"""Small pieces of English that pages, messages and commands share."""


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """ "1 row", "12 rows": a count with its noun."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"
