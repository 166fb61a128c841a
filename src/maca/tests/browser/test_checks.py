"""The checks every page of the browser tests goes through, shown to fail on pages made to fail them.

Each page here is served to the real browser by the test itself (no server), as plain HTML under a made-up address.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Route

from maca.tests.browser.browsing import PageProblem, Visitor, visiting

SITE = "http://checks.maca.invalid"

GOOD = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>A page</title>{head}</head>
<body><main><h1>A page</h1>{body}</main></body></html>"""


@pytest.fixture
def pages(chromium: Browser, tmp_path: Path) -> Iterator[tuple[Visitor, dict[str, str]]]:
    """A visitor, and the pages the browser is served, by path."""
    served: dict[str, str] = {}
    with visiting(chromium, SITE, "checker", tmp_path) as visitor:

        def serve(route: Route) -> None:
            path = route.request.url.removeprefix(SITE)
            headers = {"Content-Security-Policy": "script-src 'self'"}
            route.fulfill(status=200, content_type="text/html", body=served[path], headers=headers)

        visitor.page.route(f"{SITE}/**", serve)
        yield visitor, served


def page(*, body: str = "", head: str = "") -> str:
    return GOOD.format(body=body, head=head)


def test_a_good_page_passes_every_check(pages: tuple[Visitor, dict[str, str]]) -> None:
    visitor, served = pages
    served["/good"] = page(body="<p>Nothing wrong here.</p>")
    assert visitor.goto("/good").heading == "A page"
    assert visitor.pages == [f"{SITE}/good"]
    assert len(list(visitor.shots.glob("*.png"))) == 1


def test_a_wcag_violation_fails(pages: tuple[Visitor, dict[str, str]]) -> None:
    visitor, served = pages
    served["/image"] = page(body='<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">')
    with pytest.raises(PageProblem, match=r"WCAG violations\n  image-alt \(critical\)"):
        visitor.goto("/image")


def test_a_field_without_a_label_fails(pages: tuple[Visitor, dict[str, str]]) -> None:
    visitor, served = pages
    served["/field"] = page(body='<form><input type="text" name="reference"></form>')
    with pytest.raises(PageProblem, match="label"):
        visitor.goto("/field")


def test_a_page_wider_than_320_pixels_fails(pages: tuple[Visitor, dict[str, str]]) -> None:
    visitor, served = pages
    served["/wide"] = page(body='<p id="long">' + "unbreakable" * 10 + "</p>")
    with pytest.raises(PageProblem, match=r"at 320 CSS pixels the page scrolls sideways:\n  p#long"):
        visitor.goto("/wide")


def test_a_wide_table_in_its_own_scrolling_region_passes(pages: tuple[Visitor, dict[str, str]]) -> None:
    visitor, served = pages
    cells = "".join(f"<td>{'figure' * 3}</td>" for _ in range(8))
    head = "<style>.scroll { overflow-x: auto; }</style>"
    table = f"<table><caption>Figures</caption><tr>{cells}</tr></table>"
    served["/table"] = page(
        head=head, body=f'<div class="scroll" role="region" aria-label="Figures" tabindex="0">{table}</div>'
    )
    visitor.goto("/table")
    assert visitor.pages == [f"{SITE}/table"]


def test_a_script_the_content_security_policy_refuses_fails(pages: tuple[Visitor, dict[str, str]]) -> None:
    visitor, served = pages
    served["/inline"] = page(body="<script>document.title = 'changed';</script>")
    with pytest.raises(PageProblem, match=r"the browser reported console error: .*Content Security Policy"):
        visitor.goto("/inline")


def test_a_keyboard_only_visitor_fails_when_a_pointer_is_used(chromium: Browser, tmp_path: Path) -> None:
    with visiting(chromium, SITE, "keyboard", tmp_path, keyboard_only=True) as visitor:
        visitor.page.route(
            f"{SITE}/**", lambda route: route.fulfill(content_type="text/html", body=page(body="<p>Text.</p>"))
        )
        visitor.goto("/one")
        visitor.page.mouse.click(10, 10)
        visitor.page.wait_for_timeout(200)  # the page reports the event on its own time
        with pytest.raises(PageProblem, match="a mouse or pointer was used by a keyboard-only visitor: pointerdown"):
            visitor.settle()


def test_tab_must_reach_what_a_keyboard_only_visitor_uses(chromium: Browser, tmp_path: Path) -> None:
    body = '<a href="/two">Reachable</a> <button type="button" tabindex="-1">Out of reach</button>'
    with visiting(chromium, SITE, "keyboard", tmp_path, keyboard_only=True) as visitor:
        visitor.page.route(f"{SITE}/**", lambda route: route.fulfill(content_type="text/html", body=page(body=body)))
        visitor.goto("/one").follow("Reachable")
        assert visitor.page.url == f"{SITE}/two"
        with pytest.raises(PageProblem, match="Tab never reached"):
            visitor.tab_to(visitor.page.get_by_role("button", name="Out of reach"), limit=20)
