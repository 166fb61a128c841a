"""The "working" state of the long operations that run inside the request (common/working.js): every page with one
loads the script under the page's CSP nonce; every long form names what it is doing in `data-maca-working` and holds
an empty `role="status"` element for the script to fill; every link that makes a document names what it prepares.

The script itself is exercised in a real browser elsewhere; these tests hold the hooks it relies on:
`form[data-maca-working]`, its `[data-maca-working-status]` element, and its submit button."""

import re
from collections.abc import Callable

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from maca.common.tests.htmltree import Element, parse
from maca.findings.tests.factories import sign_off
from maca.outputs import services
from maca.outputs.models import Audience, Layout, Publication, PublishedFile
from maca.tests.cast import Cast

ClientFor = Callable[[str], Client]
APPROVED = "anytown-approved-2025"
DRAFT = "anytown-neglect-2026"
SCRIPT = "/static/common/working.js"


def _page(response: object) -> Element:
    assert response.status_code in (200, 400), response.status_code  # type: ignore[attr-defined]
    return parse(response.content.decode())  # type: ignore[attr-defined]


def _working_form(root: Element) -> Element:
    """The page's one long form, with the hooks the script needs: an empty status element and a submit button."""
    form = _only(root.find_all("form"), "data-maca-working")
    status = _only(form.find_all(), "data-maca-working-status")
    assert status.get("role") == "status"
    assert status.text == ""
    assert "maca-working" in status.classes
    buttons = [b for b in form.find_all("button") if b.get("type") in (None, "submit")]
    assert len(buttons) == 1
    assert not buttons[0].has("disabled")
    assert not buttons[0].has("aria-disabled")  # only the script marks it, once the form is sent
    return form


def _only(elements: list[Element], attribute: str) -> Element:
    found = [element for element in elements if element.has(attribute)]
    assert len(found) == 1, f"expected one element with {attribute}, found {len(found)}"
    return found[0]


def _working_links(root: Element, href: str) -> dict[str, str | None]:
    """What each link whose address contains `href` says it prepares (None: it says nothing)."""
    links = [link for link in root.find_all("a") if href in (link.get("href") or "")]
    assert links, f"no link to {href}"
    return {str(link.get("href")): link.get("data-maca-working") for link in links}


# --- The script and its loading -------------------------------------------------------------------------------------


def test_the_script_is_a_static_file_that_is_served(client_for: ClientFor, cast: Cast) -> None:
    assert finders.find("common/working.js")
    response = client_for("coordinator").get(SCRIPT)
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    script = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    for hook in ("data-maca-working", "[data-maca-working-status]", "aria-disabled", "pageshow"):
        assert hook in script


def test_every_page_loads_the_script_as_a_module_under_its_csp_nonce(client_for: ClientFor, cast: Cast) -> None:
    pages = ((client_for("coordinator"), reverse("cases:list", args=[APPROVED])), (Client(), "/accounts/login/"))
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200
        (script,) = [s for s in parse(response.content.decode()).find_all("script") if s.get("src") == SCRIPT]
        assert script.get("type") == "module"
        nonce = script.get("nonce")
        assert nonce
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        assert script.text == ""


def test_the_styles_show_the_status_and_the_busy_button(client_for: ClientFor, cast: Cast) -> None:
    path = finders.find("common/maca.css")
    assert isinstance(path, str)
    with open(path, encoding="utf-8") as css:
        styles = css.read()
    assert ".maca-working" in styles
    assert ".govuk-button--disabled" in styles
    assert "prefers-reduced-motion" in styles


# --- The long forms -------------------------------------------------------------------------------------------------


def test_importing_a_case_list_shows_it_is_working_and_then_what_it_did(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    url = reverse("cases:import", args=[APPROVED])
    form = _working_form(_page(client.get(url)))
    assert form.get("data-maca-working") == "Importing the case list…"
    assert form.get("enctype") == "multipart/form-data"

    # A refused file: the page comes back with the problem by row and column, still ready to show it is working.
    header = "reference,nominated_by,birth_month,gender,send,concern_date,involved,neglect_type\n"
    bad = SimpleUploadedFile(
        "autumn.csv", (header + "NEG-05,AGA,2013-13,female,ehcp,2025-05-01,AGB,physical\n").encode()
    )
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    refused = _page(response)
    assert "row 2, birth_month" in refused.find(cls="govuk-error-summary").text
    assert _working_form(refused).get("data-maca-working") == "Importing the case list…"

    good = SimpleUploadedFile(
        "autumn.csv", (header + "NEG-05,AGA,2013-12,female,ehcp,2025-05-01,AGB,physical\n").encode()
    )
    done = client.post(url, {"file": good}, follow=True)
    assert done.redirect_chain == [(reverse("cases:list", args=[APPROVED]), 302)]
    banner = _page(done).find(cls="govuk-notification-banner--success")
    assert banner.get("role") == "alert"
    assert "1 case imported from autumn.csv." in banner.text


def test_importing_an_audit_definition_shows_it_is_working(client_for: ClientFor, cast: Cast) -> None:
    root = _page(client_for("coordinator").get(reverse("audits:import", args=["anytown"])))
    form = _working_form(root)
    assert form.get("data-maca-working") == "Importing the audit definition…"
    assert form.find("button").text == "Import"


def test_other_one_form_pages_are_not_marked_as_long(client_for: ClientFor, cast: Cast) -> None:
    root = _page(client_for("coordinator").get(reverse("cases:nominate", args=[APPROVED])))
    assert not [element for element in root.find_all() if element.has("data-maca-working")]
    assert not [element for element in root.find_all() if element.has("data-maca-working-status")]


def test_uploading_the_returns_workbook_shows_it_is_working(client_for: ClientFor, cast: Cast) -> None:
    url = reverse("returns:workbook_upload", args=[APPROVED, "AGA"])
    root = _page(client_for("agency_lead_a").get(url))
    assert _working_form(root).get("data-maca-working") == "Checking and saving the workbook…"
    workbook = reverse("returns:workbook", args=[APPROVED, "AGA"])
    assert _working_links(root, workbook) == {workbook: "Preparing Agency A’s workbook…"}


def test_publishing_shows_it_is_rendering_the_documents(client_for: ClientFor, cast: Cast) -> None:
    sign_off(cast)
    root = _page(client_for("audit_lead").get(reverse("outputs:publish", args=[APPROVED])))
    form = _working_form(root)
    assert form.get("method") == "post"
    assert form.get("data-maca-working") == "Publishing: rendering the documents…"
    # The form that only chooses what to preview is quick: it is not marked.
    (choose,) = [f for f in root.find_all("form") if f.get("method") == "get"]
    assert not choose.has("data-maca-working")


# --- The links that make a document ---------------------------------------------------------------------------------


def test_the_outputs_links_say_what_they_prepare(client_for: ClientFor, cast: Cast) -> None:
    sign_off(cast)
    client = client_for("coordinator")
    overview = _page(client.get(reverse("outputs:overview", args=[APPROVED])))
    report = reverse("outputs:document", args=[APPROVED, "report", "public"])
    assert _working_links(overview, report) == {
        report: "Preparing the report for the governance group for the public…",
        report + "?draft=1": "Preparing a draft of the report for the governance group for the public…",
    }
    page = _page(client.get(reverse("outputs:document", args=[APPROVED, "briefing", "professionals"])))
    downloads = _working_links(page, f"/audits/{APPROVED}/outputs/briefing/professionals/")
    assert downloads == {
        reverse("outputs:download", args=[APPROVED, "briefing", "professionals", "pdf"]): (
            "Preparing the learning briefing as PDF…"
        ),
        reverse("outputs:download", args=[APPROVED, "briefing", "professionals", "docx"]): (
            "Preparing the learning briefing as Word (DOCX)…"
        ),
        reverse("outputs:download", args=[APPROVED, "briefing", "professionals", "html"]): (
            "Preparing the learning briefing as Web page (HTML)…"
        ),
    }


@pytest.fixture
def publication(cast: Cast) -> Publication:
    """A published briefing, made directly: rendering its files is not what these tests are about."""
    assert cast.approved_audit is not None
    published = Publication.objects.create(
        audit=cast.approved_audit,
        number=1,
        layout=Layout.BRIEFING,
        audience=Audience.PUBLIC,
        title="Learning briefing",
        findings_version=1,
    )
    for name, content in ((services.PAGE, b"<p>The briefing.</p>"), ("briefing.pdf", b"%PDF-1.7\n")):
        PublishedFile.objects.create(
            publication=published, name=name, content_type="", content=content, sha256=PublishedFile.digest(content)
        )
    return published


def test_the_files_of_a_publication_say_they_are_downloading(
    client_for: ClientFor, cast: Cast, publication: Publication
) -> None:
    inside = _page(client_for("auditor_b").get(reverse("outputs:publication", args=[APPROVED, 1])))
    url = reverse("outputs:publication_file", args=[APPROVED, 1, "briefing.pdf"])
    assert _working_links(inside, url) == {url: "Downloading briefing.pdf…"}
    public = _page(client_for("anonymous").get(reverse("outputs:public", args=[APPROVED])))
    url = reverse("outputs:public_file", args=[APPROVED, 1, "briefing.pdf"])
    assert _working_links(public, url) == {url: "Downloading briefing.pdf…"}


def test_the_terms_of_reference_downloads_say_what_they_prepare(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("coordinator")
    tor = _page(client.get(reverse("audits:tor", args=[DRAFT])))
    assert _working_links(tor, f"/audits/{DRAFT}/terms-of-reference.") == {
        reverse("audits:tor_download", args=[DRAFT, fmt]): f"Preparing the Terms of Reference as {fmt.upper()}…"
        for fmt in ("html", "docx", "pdf")
    }
    draft = _page(client.get(reverse("audits:detail", args=[DRAFT])))
    assert _working_links(draft, f"/audits/{DRAFT}/terms-of-reference.") == {
        reverse("audits:tor_download", args=[DRAFT, fmt]): f"Preparing the Terms of Reference as {fmt.upper()}…"
        for fmt in ("html", "docx", "pdf")
    }
    approved = _page(client.get(reverse("audits:detail", args=[APPROVED])))
    versions = _working_links(approved, "?version=1")
    assert {href: text for href, text in versions.items() if "terms-of-reference." in href} == {
        reverse("audits:tor_download", args=[APPROVED, fmt])
        + "?version=1": f"Preparing version 1 of the Terms of Reference as {fmt.upper()}…"
        for fmt in ("html", "docx", "pdf")
    }


def test_the_analysis_download_says_it_is_preparing_the_workbook(client_for: ClientFor, cast: Cast) -> None:
    root = _page(client_for("coordinator").get(reverse("analysis:overview", args=[APPROVED])))
    url = reverse("analysis:download", args=[APPROVED])
    assert _working_links(root, url) == {url: "Preparing the analysis workbook…"}


def test_every_working_text_ends_with_an_ellipsis(client_for: ClientFor, cast: Cast) -> None:
    """The texts read as something under way, and none is left empty or unrendered."""
    sign_off(cast)
    client = client_for("coordinator")
    for url in (
        reverse("cases:import", args=[APPROVED]),
        reverse("audits:detail", args=[APPROVED]),
        reverse("outputs:overview", args=[APPROVED]),
        reverse("analysis:overview", args=[APPROVED]),
    ):
        markup = client.get(url).content.decode()
        texts = re.findall(r'data-maca-working="([^"]*)"', markup)
        assert texts, url
        assert all(len(text) > 12 and text.endswith("…") and "{" not in text for text in texts), texts
