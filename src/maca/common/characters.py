"""Characters that no value typed by a person holds, which files can carry: refused wherever a file is read.

Control characters (other than tab and line breaks) show nothing, and Word and PDF documents cannot hold most of
them; the bidirectional embeddings, overrides and isolates change how the text around them displays, so that a value
reads as another ("Trojan Source"); a lone surrogate or a non-character is not text at all.
"""

import re

_UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def unshowable_character(text: str) -> str | None:
    """What the first character of `text` that does not show on screen is, in words with its code point ("a control
    character (U+0000)"), or None when every character shows."""
    found = _UNSHOWABLE.search(text)
    if found is None:
        return None
    character = found[0]
    if "\u202a" <= character <= "\u2069":
        kind = "a direction control"
    elif "\ud800" <= character <= "\udfff":
        kind = "half of a character (a lone surrogate)"
    elif character in "\ufffe\uffff":
        kind = "a character that is not text"
    else:
        kind = "a control character"
    return f"{kind} (U+{ord(character):04X})"
