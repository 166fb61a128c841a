"""A person using maca in a real browser: every page they reach is checked as they reach it.

The browser is the machine's own Chromium (Debian's `chromium` package), driven by Playwright: nothing is downloaded.
Each page a visitor lands on (after a link, a form, a redirect) is checked before the test goes on:

- **axe-core** (from `node_modules`, injected before any of the page's scripts, so the page's Content-Security-Policy
  does not block it) finds no violation of the WCAG 2.0, 2.1 or 2.2 A and AA rules;
- the page **reflows** at 320 CSS pixels: nothing but a table in its own scrolling region is wider than the window;
- the browser logged **no error**: no refused script or style (CSP), no failed JavaScript, no missing file;
- a **screenshot** is saved under `build/screenshots/` for a reviewer to look at.
"""

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, ConsoleMessage, Frame, Locator, Page, Playwright, Route, ViewportSize

ROOT = Path(__file__).resolve().parents[4]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"

# The flags the system Chromium runs with: headless, and nothing that reaches for the network on its own.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# axe-core's tags for the success criteria of WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

WIDE: ViewportSize = {"width": 1280, "height": 900}
NARROW = 320

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\\s+/g, " ")),
  }));
}"""

# What sticks out to the right of a 320-pixel window, unless it is inside a region that scrolls on its own (a wide
# table in a focusable scrolling container is allowed: WCAG 1.4.10 excepts two-dimensional content).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const scrolls = e => { const o = getComputedStyle(e).overflowX; return o === "auto" || o === "scroll"; };
  const inScroller = e => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (scrolls(p) && p.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const out = [];
  // How far right an element reaches: its box, or its content when that spills out of the box.
  const reach = e => {
    const box = e.getBoundingClientRect();
    const spill = scrolls(e) ? 0 : Math.max(0, e.scrollWidth - e.clientWidth);
    return box.width === 0 ? 0 : box.right + spill;
  };
  for (const e of document.body.querySelectorAll("*")) {
    if (reach(e) <= width + 1 || inScroller(e)) continue;
    if ([...e.children].some(c => reach(c) > width + 1)) continue;
    const box = { right: reach(e) };
    const id = e.id ? "#" + e.id : "";
    const cls = typeof e.className === "string" && e.className ? "." + e.className.trim().split(/\\s+/).join(".") : "";
    out.push(e.tagName.toLowerCase() + id + cls + " (right edge " + Math.round(box.right) + "px): "
      + (e.textContent || "").trim().slice(0, 60));
    if (out.length >= 8) break;
  }
  return out.length ? out : ["the page is " + document.documentElement.scrollWidth + "px wide"];
}"""


# Write down what the form's status says, and whether its button is marked busy, each time the status changes.
WATCH_WORKING = """() => {
  const form = document.querySelector("form[data-maca-working]");
  const status = form.querySelector("[data-maca-working-status]");
  new MutationObserver(() => {
    const button = form.querySelector("[aria-disabled]");
    sessionStorage.setItem("maca-working", JSON.stringify(
      {text: status.textContent, busy: button ? button.getAttribute("aria-disabled") : null}));
  }).observe(status, {childList: true, characterData: true, subtree: true});
}"""


def chromium_path() -> str:
    """The system's Chromium (MACA_CHROMIUM may name another binary)."""
    path = os.environ.get("MACA_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Chromium is not installed: `make test` installs Debian's chromium package.")
    return path


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True)


class PageProblem(AssertionError):
    """A page a visitor reached fails a check: what, where, and the details."""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "page"


@dataclass
class Visitor:
    """One person in their own browser context (their own cookies), on one tab."""

    page: Page
    base_url: str
    who: str
    shots: Path
    keyboard_only: bool = False
    pages: list[str] = field(default_factory=list)
    pointer_events: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _navigations: int = 0
    _checked: int = -1

    def __post_init__(self) -> None:
        self.page.on("framenavigated", self._navigated)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"JavaScript error: {error}"))
        self.page.set_default_timeout(15_000)

    def _navigated(self, frame: Frame) -> None:
        if frame == self.page.main_frame:
            self._navigations += 1

    def _console(self, message: ConsoleMessage) -> None:
        # A page that answers a form with its errors has the status 400 by design: only the page's own files count.
        document = message.text.startswith("Failed to load resource") and message.location.get("url") == self.page.url
        if message.type == "error" and not document:
            self.errors.append(f"console error: {message.text} ({message.location.get('url')})")

    # Moving about --------------------------------------------------------------------------------------------------

    def goto(self, path: str) -> "Visitor":
        """Open a page by its address, as someone typing it or following a bookmark."""
        response = self.page.goto(self.base_url + path)
        assert response is not None
        return self.settle()

    def follow(self, name: str, *, exact: bool = False) -> "Visitor":
        """Follow the link (or press the button) with this accessible name: the first, when several have it."""
        page = self.page
        target = page.get_by_role("link", name=name, exact=exact).or_(
            page.get_by_role("button", name=name, exact=exact)
        )
        self.activate(self.find(target, f"link or button {name!r}").first)
        return self

    press = follow

    def press_and_watch(self, name: str) -> str:
        """Press a button whose work takes a while, holding the request back to see the page while it works: the
        form says what it is doing, its button is marked busy, and a second press sends nothing. Then the request
        goes on; the text the page showed is returned.

        While a form's request is on its way the page cannot be asked anything, so the page itself writes down what
        it showed (in its session storage, which outlives the page) and the test reads it on the next page."""
        button = self.find(self.page.get_by_role("button", name=name, exact=True), f"button {name!r}").first
        self.page.evaluate(WATCH_WORKING)
        held: list[Route] = []
        self.page.route(
            "**/*", lambda route: held.append(route) if route.request.method == "POST" else route.fallback()
        )
        try:
            self.activate_without_waiting(button)
            self.page.wait_for_timeout(300)
            self.page.keyboard.press("Enter")  # the button keeps the focus: a second press, as an impatient person
            self.page.wait_for_timeout(300)
            assert len(held) == 1, f"{len(held)} requests were sent by pressing twice"
            with self.page.expect_navigation():
                held[0].fallback()
        finally:
            self.page.unroute("**/*")
        self.page.wait_for_load_state("load")
        seen = self.page.evaluate("() => JSON.parse(sessionStorage.getItem('maca-working') || '{}')")
        self.page.evaluate("() => sessionStorage.removeItem('maca-working')")
        self.settle()
        assert seen.get("busy") == "true", f"the busy button was not marked as such: {seen}"
        return " ".join(str(seen.get("text", "")).split())

    def activate_without_waiting(self, target: Locator) -> None:
        if self.keyboard_only:
            self.tab_to(target)
            self.page.keyboard.press("Enter")
        else:
            target.click(no_wait_after=True)

    def download(self, name: str, folder: Path) -> Path:
        """Follow the link with this accessible name to a file; the file, saved in the folder under its own name."""
        target = self.find(self.page.get_by_role("link", name=name, exact=True), f"download link {name!r}").first
        with self.page.expect_download() as info:
            self.activate(target, navigates=False)
        download = info.value
        assert download.failure() is None, download.failure()
        path = folder / download.suggested_filename
        download.save_as(path)
        return path

    def activate(self, target: Locator, *, navigates: bool = True) -> "Visitor":
        """Click a link or button: with the mouse, or for a keyboard-only visitor by tabbing to it, then Enter."""
        if self.keyboard_only:
            self.tab_to(target)
            if navigates:
                with self.page.expect_navigation():
                    self.page.keyboard.press("Enter")
            else:
                self.page.keyboard.press("Enter")
        else:
            target.click()
        self.page.wait_for_load_state("load")
        return self.settle()

    def fill(self, label: str, value: str, *, exact: bool = True) -> "Visitor":
        """Type into the field with this label."""
        target = self.find(self.page.get_by_label(label, exact=exact), f"field {label!r}")
        if self.keyboard_only:
            self.tab_to(target)
            self.page.keyboard.press("ControlOrMeta+a")
            self.page.keyboard.press("Delete")
            self.page.keyboard.type(value)
        else:
            target.fill(value)
        return self

    def choose(self, label: str, *, exact: bool = True, within: Locator | None = None) -> "Visitor":
        """Choose the radio button or tick the checkbox with this label (left ticked if it already is)."""
        target = self.find((within or self.page).get_by_label(label, exact=exact), f"choice {label!r}")
        if target.is_checked():
            return self
        if self.keyboard_only:
            kind = target.get_attribute("type")
            if kind == "radio":
                self._arrow_to(target)
            else:
                self.tab_to(target)
                self.page.keyboard.press("Space")
        else:
            target.check()
        assert target.is_checked(), f"{label!r} could not be chosen"
        return self

    def answer_everything(self, words: str) -> "Visitor":
        """Answer every question of the form left unanswered: the first choice of each group of radio buttons or
        checkboxes, these words in each empty text box, and 2 in each empty number box (fields marked optional, and
        dates, are left alone)."""
        form = self.page.locator("main form:has(button)").last
        names: list[str] = form.locator("input[type=radio], input[type=checkbox]").evaluate_all(
            "inputs => [...new Set(inputs.map(i => i.name))].filter("
            "n => !document.querySelector(`input[name='${n}']:checked`))"
        )
        for name in names:
            first = form.locator(f'input[name="{name}"]').first
            if self.keyboard_only:
                self.tab_to(first)
                self.page.keyboard.press("Space")
            else:
                first.check()
        for box in form.locator("textarea, input[type=text], input:not([type])").all():
            if box.input_value() or box.get_attribute("autocomplete") == "off":
                continue
            label = box.evaluate("e => e.labels && e.labels[0] ? e.labels[0].innerText : ''")
            if "optional" in label or "date" in label.lower() or box.evaluate("e => !!e.closest('.govuk-date-input')"):
                continue
            value = "2" if box.get_attribute("inputmode") == "numeric" else words
            if self.keyboard_only:
                self.tab_to(box)
                self.page.keyboard.type(value)
            else:
                box.fill(value)
        return self

    def group(self, legend: str) -> Locator:
        """The fieldset with this legend (radio buttons or checkboxes that share labels with others)."""
        return self.find(self.page.get_by_role("group", name=legend), f"group {legend!r}")

    def select(self, label: str, option: str) -> "Visitor":
        """Pick the option of the drop-down list with this label that starts with these words."""
        target = self.find(self.page.get_by_label(label, exact=True), f"list {label!r}")
        options: list[str] = target.evaluate("s => [...s.options].map(o => o.label)")
        matching = [text for text in options if text.startswith(option)]
        assert matching, f"{label!r} has no option {option!r}: {options}"
        if self.keyboard_only:
            self.tab_to(target)
            # A closed <select> takes its options from the arrow keys: go to the top, then down to the one wanted.
            self.page.keyboard.press("Home")
            for _ in range(options.index(matching[0])):
                self.page.keyboard.press("ArrowDown")
            chosen = target.evaluate("s => s.options[s.selectedIndex].label")
            assert chosen == matching[0], f"{label!r}: the keyboard chose {chosen!r}, not {matching[0]!r}"
        else:
            target.select_option(label=matching[0])
        return self

    def upload(self, label: str, path: Path) -> "Visitor":
        """Choose a file for the file field with this label.

        Choosing the file happens in the operating system's file dialogue, outside the page; the keyboard-only
        visitor still reaches the field with Tab first."""
        target = self.find(self.page.get_by_label(label, exact=True), f"file field {label!r}")
        if self.keyboard_only:
            self.tab_to(target)
        target.set_input_files(path)
        return self

    def find(self, locator: Locator, what: str) -> Locator:
        """The locator, when the page has what it looks for; otherwise a failure that shows what the page has."""
        if not locator.count():
            raise PageProblem(f"{self.who} on {self.page.url}: no {what}. The page has:\n{self.outline()}")
        return locator

    # The keyboard ----------------------------------------------------------------------------------------------------

    def tab_to(self, target: Locator, *, limit: int = 250) -> None:
        """Press Tab (from where the focus is) until the target has the focus; fail if it never does."""
        handle = target.element_handle()
        assert handle is not None
        for _ in range(limit):
            if self.page.evaluate("e => document.activeElement === e", handle):
                return
            self.page.keyboard.press("Tab")
        raise PageProblem(f"{self.who} on {self.page.url}: Tab never reached {target}")

    def _arrow_to(self, radio: Locator) -> None:
        """Tab into the radio group, then move the choice with the arrow keys, as a keyboard user does."""
        handle = radio.element_handle()
        assert handle is not None
        name = radio.get_attribute("name")
        for _ in range(250):
            if self.page.evaluate("n => document.activeElement && document.activeElement.name === n", name):
                break
            self.page.keyboard.press("Tab")
        else:
            raise PageProblem(f"{self.who} on {self.page.url}: Tab never reached the radio group {name!r}")
        if self.page.evaluate("e => document.activeElement === e", handle):
            self.page.keyboard.press("Space")
        size = self.page.locator(f'input[type="radio"][name="{name}"]').count()
        for _ in range(2 * size):
            if self.page.evaluate("e => e.checked", handle):
                return
            self.page.keyboard.press("ArrowDown")
        raise PageProblem(f"{self.who} on {self.page.url}: the arrow keys never chose {radio}")

    # What the page says ----------------------------------------------------------------------------------------------

    @property
    def heading(self) -> str:
        return self.page.locator("h1").first.inner_text().strip()

    @property
    def main(self) -> str:
        return self.page.locator("main").inner_text()

    def says(self, *texts: str) -> "Visitor":
        """Assert that the main part of the page says each of these (whitespace is normalised)."""
        main = " ".join(self.main.split())
        for text in texts:
            assert " ".join(text.split()) in main, f"{self.who} on {self.page.url}: {text!r} is not on the page"
        return self

    def success(self) -> str:
        """The success banner's message (fails when there is none)."""
        banner = self.page.locator(".govuk-notification-banner--success")
        assert banner.count(), f"{self.who} on {self.page.url}: no success message; the page says {self.main[:500]!r}"
        return " ".join(banner.first.inner_text().split())

    def outline(self) -> str:
        """The page in brief, for a failing test's message: its headings, fields, buttons and links."""
        return str(
            self.page.evaluate(
                """() => [...document.querySelectorAll("main h1, main h2, main h3, main label, main legend, """
                """main button, main a, main .govuk-error-summary")].map(e => e.tagName + ": " + """
                """e.innerText.replace(/\\s+/g, " ").trim()).join("\\n")"""
            )
        )

    # The checks of every page ----------------------------------------------------------------------------------------

    def settle(self) -> "Visitor":
        """Check the page the visitor is on, once for each new page (a navigation since the last check)."""
        if self._checked == self._navigations:
            self._fail_on_errors()
            return self
        self._checked = self._navigations
        self.pages.append(self.page.url)
        self._check_accessibility()
        self._check_reflow()
        self._screenshot()
        self._fail_on_errors()
        return self

    def _fail_on_errors(self) -> None:
        if self.keyboard_only and self.pointer_events:
            self.errors.append(
                "a mouse or pointer was used by a keyboard-only visitor: " + ", ".join(self.pointer_events)
            )
            self.pointer_events.clear()
        if self.errors:
            errors, self.errors = self.errors, []
            raise PageProblem(f"{self.who} on {self.page.url}: the browser reported " + "; ".join(errors))

    def _check_accessibility(self) -> None:
        violations: list[dict[str, Any]] = self.page.evaluate(RUN_AXE, WCAG_AA)
        if violations:
            lines = [f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in violations]
            raise PageProblem(f"{self.who} on {self.page.url}: WCAG violations\n  " + "\n  ".join(lines))

    def _check_reflow(self) -> None:
        self.page.set_viewport_size({"width": NARROW, "height": WIDE["height"]})
        try:
            overflow: list[str] = self.page.evaluate(OVERFLOW)
        finally:
            self.page.set_viewport_size(WIDE)
        if overflow:
            raise PageProblem(
                f"{self.who} on {self.page.url}: at {NARROW} CSS pixels the page scrolls sideways:\n  "
                + "\n  ".join(overflow)
            )

    def _screenshot(self) -> None:
        self.shots.mkdir(parents=True, exist_ok=True)
        title = self.page.title().split(" – ")[0]
        name = f"{len(list(self.shots.iterdir())) + 1:03d}-{_slug(self.who)}-{_slug(title)}.png"
        self.page.screenshot(path=self.shots / name, full_page=True)

    def screenshot_as(self, path: Path) -> None:
        """Save the top of the page as it stands (for the README)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=path, full_page=False)


@contextmanager
def visiting(
    browser: Browser, base_url: str, who: str, shots: Path, *, keyboard_only: bool = False
) -> Iterator[Visitor]:
    """A fresh browser context for one person (no cookies), with axe-core loaded into every page before it runs."""
    context = browser.new_context(viewport=WIDE, locale="en-GB", timezone_id="Europe/London", accept_downloads=True)
    context.add_init_script(path=AXE)
    visitor = Visitor(page=context.new_page(), base_url=base_url, who=who, shots=shots, keyboard_only=keyboard_only)
    if keyboard_only:
        # Any pointer event on any page (a keyboard's Enter on a link fires `click`, never `pointerdown`) is reported.
        context.expose_function("macaPointerUsed", lambda where: visitor.pointer_events.append(where))
        context.add_init_script(
            script="for (const kind of ['pointerdown', 'mousedown', 'touchstart']) "
            "window.addEventListener(kind, e => window.macaPointerUsed(kind + ' on ' + location.pathname), true);"
        )
    try:
        yield visitor
    finally:
        context.close()
