"""Checks on a rendered page that a browser or a screen reader would otherwise catch: maca has no browser in its tests.

`page_problems(response)` lists what is wrong in the page itself: not exactly one h1, duplicate ids, labels and ARIA
attributes that point at nothing, form controls without a label, images without alt text, inline scripts without the
request's nonce, and no GOV.UK markup at all. `csp_problems(response)` lists the inline scripts that the page's
Content-Security-Policy header would block.
"""

import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING, TypeAlias

from django.http import HttpResponse

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

    # What the test client returns: a response with .templates, .redirect_chain and so on.
    ClientResponse: TypeAlias = _MonkeyPatchedWSGIResponse
else:
    ClientResponse = HttpResponse

ARIA_REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls")
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "image", "reset"}


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1_count = 0
        self.ids: list[str] = []
        self.label_targets: list[str] = []
        self.aria_references: list[tuple[str, str]] = []
        self.controls: list[tuple[str, dict[str, str | None]]] = []
        self.images: list[dict[str, str | None]] = []
        self.inline_script_nonces: list[str | None] = []
        self._script_is_inline_code = False
        self._open_labels = 0
        self.controls_inside_labels: set[int] = set()
        self.class_names: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(str(attributes["id"]))
        if attributes.get("class"):
            self.class_names.extend(str(attributes["class"]).split())
        for name in ARIA_REFERENCES:
            for target in (attributes.get(name) or "").split():
                self.aria_references.append((name, target))
        if tag == "h1":
            self.h1_count += 1
        elif tag == "label":
            self._open_labels += 1
            if attributes.get("for"):
                self.label_targets.append(str(attributes["for"]))
        elif tag in {"input", "select", "textarea"}:
            if self._open_labels:
                self.controls_inside_labels.add(len(self.controls))
            self.controls.append((tag, attributes))
        elif tag == "img":
            self.images.append(attributes)
        elif tag == "script":
            kind = (attributes.get("type") or "text/javascript").lower()
            self._script_is_inline_code = "src" not in attributes and kind in {"text/javascript", "module"}
            if self._script_is_inline_code:
                self.inline_script_nonces.append(attributes.get("nonce"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._open_labels:
            self._open_labels -= 1


def page_problems(response: ClientResponse) -> list[str]:
    html = response.content.decode()
    parser = _PageParser()
    parser.feed(html)
    problems = []
    if parser.h1_count != 1:
        problems.append(f"{parser.h1_count} h1 elements, not 1")
    ids = set(parser.ids)
    duplicates = sorted({i for i in parser.ids if parser.ids.count(i) > 1})
    if duplicates:
        problems.append(f"duplicate ids: {duplicates}")
    for target in parser.label_targets:
        if target not in ids:
            problems.append(f"label for={target!r} points at nothing")
    for name, target in parser.aria_references:
        if target not in ids:
            problems.append(f"{name}={target!r} points at nothing")
    for index, (tag, attributes) in enumerate(parser.controls):
        if tag == "input" and (attributes.get("type") or "text") in UNLABELLED_INPUT_TYPES:
            continue
        if "hidden" in attributes:
            continue
        labelled = (
            attributes.get("id") in parser.label_targets
            or index in parser.controls_inside_labels
            or attributes.get("aria-label")
            or attributes.get("aria-labelledby")
        )
        if not labelled:
            problems.append(f"{tag} name={attributes.get('name')!r} has no label")
    for image in parser.images:
        if image.get("alt") is None:
            problems.append(f"img {str(image.get('src'))[:40]!r} has no alt attribute")
    nonces = set(parser.inline_script_nonces)
    if None in nonces or "" in nonces:
        problems.append("an inline script has no nonce: the CSP blocks it")
    elif len(nonces) > 1:
        problems.append(f"inline scripts carry different nonces: {sorted(str(n) for n in nonces)}")
    if not any(name.startswith("govuk-") for name in parser.class_names):
        problems.append("no GOV.UK markup")
    return problems


def csp_problems(response: ClientResponse) -> list[str]:
    """The inline scripts that the Content-Security-Policy header sent with the page would block."""
    parser = _PageParser()
    parser.feed(response.content.decode())
    policy = response.get("Content-Security-Policy", "")
    allowed = set(re.findall(r"'nonce-([^']+)'", policy))
    return [
        f"inline script with nonce {nonce!r} is blocked by {policy!r}"
        for nonce in parser.inline_script_nonces
        if not nonce or nonce not in allowed
    ]


def main_content(response: ClientResponse) -> str:
    """The page's <main> element: what the page itself says, without the header and footer."""
    html = response.content.decode()
    start = html.index("<main")
    return html[start : html.index("</main>", start)]
