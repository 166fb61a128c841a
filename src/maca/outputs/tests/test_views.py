"""The outputs as people use them in the browser: the overview says what is missing before sign-off and lets the
moderators preview a watermarked draft; after sign-off the governance reader reads and downloads the report, which
holds the panel's findings and no agency's narrative; the coordinator and the audit lead write the briefing's own
words; the audit lead publishes the public briefing, which anyone then reads without logging in; the coordinator
sets the partnership's disclosure control. Every page showing an output's content is logged.

PDFs and LibreOffice are slow: each test renders as few files as it needs."""

import html
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.http import HttpResponseBase
from django.test import Client

from maca.audits.tests.tor_helpers import libreoffice_convert, normalise, pdf_text
from maca.cases.models import Case
from maca.findings.services import recommendation_add
from maca.findings.tests.factories import approved, make_finding, sign_off, submitted_return
from maca.findings.tests.factories import lead as lead_user
from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.returns.models import AgencyReturn
from maca.tests.cast import Cast

from ..models import BriefingText, Publication

ClientFor = Callable[[str], Client]
REFERENCE = "anytown-approved-2025"
OUTPUTS = f"/audits/{REFERENCE}/outputs/"
PUBLIC = f"/published/{REFERENCE}/"
FINDING = "Neglect was recognised late."
NOT_SIGNED_OFF = "The panel’s findings have not been signed off by the audit lead."
NO_REASON = "Give the reason for publishing without disclosure control"
PUBLISHED_FILES = {"page.html", "briefing.html", "briefing.docx", "briefing.pdf", "terms-of-reference.pdf"}


def _page(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def _errors(page: str) -> list[str]:
    summary = page.split('govuk-error-summary__list">', 1)[-1].split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary, re.DOTALL)]


def _logged(action: AccessAction, email: str) -> list[str]:
    """What was logged as `action` by `email`, newest first: what each entry says was viewed or exported."""
    entries = AccessLogEntry.objects.filter(action=action, actor_email=email)
    return [str(entry.changes.get(action.value, [None, ""])[1]) for entry in entries]


def _changes_of(obj: Model, action: AccessAction = AccessAction.CHANGED) -> list[tuple[str, dict[str, object]]]:
    """Who logged `action` on `obj` and the changes they logged, newest first."""
    entries = AccessLogEntry.objects.filter(
        action=action, content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )
    return [(entry.actor_email, entry.changes) for entry in entries]


def _docx_headers(data: bytes) -> str:
    """The XML of every page header of a DOCX, joined."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = [name for name in package.namelist() if re.fullmatch(r"word/header\d*\.xml", name)]
        return "".join(package.read(name).decode("utf-8") for name in names)


def _watermarked(page: str) -> bool:
    """Whether a PDF page (as pdftotext reads it) carries the "DRAFT" watermark: drawn across the page, it is read
    as its letters, each on a line of its own."""
    letters = {line.strip() for line in page.splitlines() if len(line.strip()) == 1}
    return set("DRAFT") <= letters


def _narrative(cast: Cast) -> list[str]:
    """Every narrative answer written in the approved audit's returns (the agencies' own words)."""
    answers: list[str] = []
    for agency_return in AgencyReturn.objects.filter(audit=approved(cast)):
        for judgement in agency_return.judgements.values():
            answers.extend(
                text for key, text in judgement.items() if key != "grade" and isinstance(text, str) and text.strip()
            )
    return answers


def test_before_sign_off_the_overview_says_what_is_missing_and_only_moderators_preview_a_draft(
    cast: Cast, client_for: ClientFor, tmp_path: Path
) -> None:
    make_finding(cast, FINDING)
    coordinator, reader = client_for("coordinator"), client_for("governance_reader")

    # Everyone who reads the outputs is told what is missing; only the moderators are offered a draft.
    coordinator_page = _page(coordinator.get(OUTPUTS))
    assert NOT_SIGNED_OFF in coordinator_page
    assert "Preview a draft" in coordinator_page
    assert f'href="{OUTPUTS}report/professionals/"' not in coordinator_page
    reader_page = _page(reader.get(OUTPUTS))
    assert NOT_SIGNED_OFF in reader_page
    assert "Preview a draft" not in reader_page
    assert "?draft=1" not in reader_page

    # The governance reader may not ask for a draft, and a final output is not ready: back to the overview.
    assert reader.get(f"{OUTPUTS}report/professionals/?draft=1").status_code == 403
    assert reader.get(f"{OUTPUTS}report/professionals/docx/?draft=1").status_code == 403
    final = reader.get(f"{OUTPUTS}report/professionals/")
    assert final.status_code == 302
    assert final["Location"] == OUTPUTS
    assert f"The outputs are not ready: {NOT_SIGNED_OFF}" in _page(reader.get(final["Location"]))
    assert reader.get(f"{OUTPUTS}report/professionals/pdf/")["Location"] == OUTPUTS

    # The coordinator previews a draft: marked as one in the page and in both files.
    draft = coordinator.get(f"{OUTPUTS}briefing/professionals/?draft=1")
    assert draft.status_code == 200
    draft_page = _page(draft)
    assert "A draft: it shows the findings as they stand, not signed off." in draft_page
    assert '<p class="maca-output-watermark" aria-hidden="true">Draft</p>' in draft_page
    assert FINDING in draft_page
    assert f'href="{OUTPUTS}briefing/professionals/docx/?draft=1"' in draft_page
    docx = coordinator.get(f"{OUTPUTS}briefing/professionals/docx/?draft=1")
    assert docx.status_code == 200
    assert docx["Content-Disposition"] == f'attachment; filename="{REFERENCE}-briefing-professionals-draft.docx"'
    assert "Draft" in _docx_headers(docx.content)
    pdf = coordinator.get(f"{OUTPUTS}briefing/professionals/pdf/?draft=1")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content, tmp_path / "pdf")
    assert "Draft of version 1 of the findings" in text
    assert all(_watermarked(page) for page in text.split("\f") if page.strip())
    assert normalise(FINDING) in normalise(text)

    assert _logged(AccessAction.VIEWED, "coordinator@example.org") == [
        "briefing for professionals (draft)",
        "outputs",
    ]
    assert _logged(AccessAction.VIEWED, "reader@example.org") == ["outputs", "outputs"]
    assert sorted(_logged(AccessAction.EXPORTED, "coordinator@example.org")) == [
        f"{REFERENCE}-briefing-professionals-draft.docx",
        f"{REFERENCE}-briefing-professionals-draft.pdf",
    ]
    assert not AccessLogEntry.objects.filter(actor_email="reader@example.org", action=AccessAction.EXPORTED).exists()


def test_agencies_do_not_read_the_outputs(cast: Cast, client_for: ClientFor) -> None:
    sign_off(cast)
    for member in ("agency_lead_a", "auditor_a", "auditor_b"):
        assert client_for(member).get(OUTPUTS).status_code == 403
        assert client_for(member).get(f"{OUTPUTS}report/professionals/").status_code == 403
    assert client_for("outsider").get(OUTPUTS).status_code == 404
    assert client_for("anonymous").get(OUTPUTS)["Location"].startswith("/accounts/login/")
    assert not AccessLogEntry.objects.filter(action=AccessAction.VIEWED).exists()


def test_after_sign_off_the_report_holds_the_findings_and_no_narrative_or_case_reference(
    cast: Cast, client_for: ClientFor, tmp_path: Path
) -> None:
    submitted_return(cast)
    make_finding(cast, FINDING)
    make_finding(cast, "Plans rarely said what would change for the child.", evidence=False)
    sign_off(cast)
    narrative = _narrative(cast)
    assert "The neglect was named late." in narrative  # the returns do hold narrative to leave out
    cases = list(Case.objects.filter(audit=approved(cast)).values_list("reference", flat=True))
    assert cases
    reader = client_for("governance_reader")

    overview = _page(reader.get(OUTPUTS))
    assert NOT_SIGNED_OFF not in overview
    assert f'href="{OUTPUTS}report/professionals/"' in overview
    assert "Preview a draft" not in overview

    page = reader.get(f"{OUTPUTS}report/professionals/")
    assert page.status_code == 200
    content = _page(page)
    assert "Report for the governance group" in content
    assert FINDING in content
    assert "Findings version 1, signed off" in content
    for words in narrative:
        assert words not in content
    for reference in cases:
        assert reference not in content

    docx = reader.get(f"{OUTPUTS}report/professionals/docx/")
    assert docx.status_code == 200
    assert docx["Content-Disposition"] == f'attachment; filename="{REFERENCE}-report-professionals.docx"'
    assert "Draft" not in _docx_headers(docx.content)
    text = normalise(
        libreoffice_convert(docx.content, "docx", "txt:Text", tmp_path / "lo", tmp_path / "profile").decode()
    )
    assert normalise(FINDING) in text
    assert normalise("Plans rarely said what would change for the child.") in text
    for words in narrative:
        assert normalise(words) not in text
    for reference in cases:
        assert reference not in text

    assert _logged(AccessAction.VIEWED, "reader@example.org") == ["report for professionals", "outputs"]
    assert _logged(AccessAction.EXPORTED, "reader@example.org") == [f"{REFERENCE}-report-professionals.docx"]


def _text_form(version: int, **texts: str) -> dict[str, object]:
    return {
        "version": version,
        "issued_by": "",
        "purpose": "",
        "why_it_matters": "",
        "reflection": "",
        "further_reading": "",
        **texts,
    }


def _loaded_version(response: object) -> int:
    """The version the form on the page was loaded with (its hidden field)."""
    match = re.search(r'name="version" value="(\d+)"', _page(response))
    assert match is not None, "no version on the page"
    return int(match.group(1))


def test_the_briefing_text_is_saved_logged_checked_and_never_overwritten(cast: Cast, client_for: ClientFor) -> None:
    url = f"{OUTPUTS}briefing-text/"
    coordinator, lead = client_for("coordinator"), client_for("audit_lead")
    assert client_for("governance_reader").get(url).status_code == 403
    assert client_for("agency_lead_a").post(url, _text_form(1, purpose="Not theirs.")).status_code == 403

    page = coordinator.get(url)
    assert page.status_code == 200
    saved = coordinator.post(url, _text_form(_loaded_version(page), purpose="To learn how neglect is recognised."))
    assert saved.status_code == 302
    assert saved["Location"] == OUTPUTS
    text = BriefingText.objects.get(audit=approved(cast))
    assert (text.purpose, text.updated_by) == ("To learn how neglect is recognised.", cast.coordinator)
    first_change = ("coordinator@example.org", {"purpose": ["", "To learn how neglect is recognised."]})
    assert _changes_of(text) == [first_change]

    # The audit lead writes too; a field over 5,000 characters is refused, naming the field, and nothing is saved.
    lead_page = lead.get(url)
    assert "To learn how neglect is recognised." in _page(lead_page)
    too_long = lead.post(url, _text_form(_loaded_version(lead_page), purpose="Short.", reflection="x" * 5001))
    assert too_long.status_code == 400
    assert _errors(_page(too_long)) == ["Questions for reflection must be 5,000 characters or fewer"]
    text.refresh_from_db()
    assert (text.purpose, text.reflection) == ("To learn how neglect is recognised.", "")

    # The coordinator opens the page again; the audit lead saves first: the coordinator's save is refused (409),
    # the page shows the lead's words, and nothing is overwritten.
    coordinator_page = coordinator.get(url)
    assert lead.post(url, _text_form(_loaded_version(lead_page), purpose="The lead's purpose.")).status_code == 302
    stale = coordinator.post(url, _text_form(_loaded_version(coordinator_page), purpose="The coordinator's."))
    assert stale.status_code == 409
    stale_page = _page(stale)
    assert "Someone else changed this briefing text after you opened this page." in stale_page
    assert "The lead's purpose." in stale_page
    text.refresh_from_db()
    assert text.purpose == "The lead's purpose."
    assert _loaded_version(stale) == text.version > _loaded_version(coordinator_page)
    assert _changes_of(text) == [
        ("audit.lead@example.org", {"purpose": ["To learn how neglect is recognised.", "The lead's purpose."]}),
        first_change,
    ]


def test_the_first_save_of_the_briefing_text_does_not_overwrite_a_page_loaded_blank(
    cast: Cast, client_for: ClientFor
) -> None:
    """Two people open the blank page; the first saves; the second, whose page was loaded before, is refused."""
    url = f"{OUTPUTS}briefing-text/"
    coordinator, lead = client_for("coordinator"), client_for("audit_lead")
    coordinator_page, lead_page = coordinator.get(url), lead.get(url)
    assert coordinator.post(url, _text_form(_loaded_version(coordinator_page), purpose="First.")).status_code == 302
    stale = lead.post(url, _text_form(_loaded_version(lead_page), purpose="Second."))
    assert stale.status_code == 409
    assert BriefingText.objects.get(audit=approved(cast)).purpose == "First."


def _write_purpose(client: Client, purpose: str) -> None:
    """Write the briefing's purpose through its page, as loaded now."""
    url = f"{OUTPUTS}briefing-text/"
    assert client.post(url, _text_form(_loaded_version(client.get(url)), purpose=purpose)).status_code == 302


def _publish(client: Client, **fields: str) -> HttpResponseBase:
    return client.post(f"{OUTPUTS}publish/", {"layout": "briefing", "audience": "public", **fields})


def test_the_audit_lead_publishes_the_public_briefing_which_anyone_reads(cast: Cast, client_for: ClientFor) -> None:
    submitted_return(cast)
    sign_off(cast)
    lead, anonymous = client_for("audit_lead"), client_for("anonymous")
    assert client_for("coordinator").get(f"{OUTPUTS}publish/").status_code == 403
    assert anonymous.get(PUBLIC).status_code == 404  # nothing is published yet
    _write_purpose(lead, "To learn how early neglect is recognised.")

    # What will be published, with what disclosure control changes (one case: a small count).
    page = _page(lead.get(f"{OUTPUTS}publish/"))
    assert "What disclosure control changed" in page
    assert "Publish the learning briefing for the public" in page

    # Without the control, a reason is needed: refused, nothing published.
    refused = _publish(lead, without_control="on", reason="  ")
    assert refused.status_code == 400
    assert NO_REASON in _errors(_page(refused))
    assert not Publication.objects.exists()

    published = _publish(lead)
    assert published.status_code == 302
    assert published["Location"] == f"{OUTPUTS.replace('outputs/', 'publications/1/')}"
    first = Publication.objects.get()
    assert (first.number, first.audience, first.controlled, first.reason) == (1, "public", True, "")
    assert set(first.files.values_list("name", flat=True)) == PUBLISHED_FILES
    assert _changes_of(first, AccessAction.CREATED) == [
        ("audit.lead@example.org", {"published": [None, "Learning briefing for the public"], "version": [None, 1]})
    ]
    assert first.published_by == lead_user(cast)
    version_one = {item.name: bytes(item.content) for item in first.files.all()}

    # Anyone reads the public page, without logging in: the briefing, with the small count hidden.
    public = anonymous.get(PUBLIC)
    assert public.status_code == 200
    public_page = _page(public)
    assert "Multi-Agency Case Audit" in public_page
    assert FINDING in public_page
    assert "To learn how early neglect is recognised." in public_page
    assert "reviewed the records of fewer than 6 who met the criteria" in public_page
    for words in _narrative(cast):
        assert words not in public_page
    assert "NEG-0" not in public_page
    assert anonymous.get(f"{PUBLIC}1/page.html").status_code == 404
    assert anonymous.get(f"{PUBLIC}1/secret.pdf").status_code == 404
    pdf = anonymous.get(f"{PUBLIC}1/briefing.pdf")
    assert (pdf.status_code, pdf.content) == (200, version_one["briefing.pdf"])
    assert pdf["Content-Disposition"] == 'inline; filename="briefing.pdf"'

    # Everything else stays behind the log-in: this audit's other pages, and the draft audit has no public page.
    for url in (OUTPUTS, f"{OUTPUTS}report/public/", f"{OUTPUTS}briefing/public/pdf/", f"/audits/{REFERENCE}/"):
        assert anonymous.get(url)["Location"].startswith("/accounts/login/"), url
    assert anonymous.get(f"/audits/{REFERENCE}/publications/1/")["Location"].startswith("/accounts/login/")
    assert anonymous.get(f"/published/{cast.audit.reference}/").status_code == 404  # type: ignore[union-attr]

    # Everyone who sees the audit reads the published version, logged.
    auditor = client_for("auditor_b")
    publication_page = auditor.get(f"/audits/{REFERENCE}/publications/1/")
    assert publication_page.status_code == 200
    assert FINDING in _page(publication_page)
    docx = auditor.get(f"/audits/{REFERENCE}/publications/1/briefing.docx")
    assert docx.content == version_one["briefing.docx"]
    assert _logged(AccessAction.VIEWED, "auditor.b@example.org") == ["publication 1"]
    assert _logged(AccessAction.EXPORTED, "auditor.b@example.org") == ["briefing.docx"]

    # With a reason, without the control: version 2, the reason logged; the public page shows it, version 1 stays.
    reason = "The partnership agreed that one case cannot identify a child."
    _write_purpose(lead, "To learn how quickly agencies respond to neglect.")
    second = _publish(lead, without_control="on", reason=reason)
    assert second.status_code == 302
    latest = Publication.objects.get(number=2)
    assert (latest.controlled, latest.reason) == (False, reason)
    assert _changes_of(latest, AccessAction.CREATED) == [
        (
            "audit.lead@example.org",
            {
                "published": [None, "Learning briefing for the public"],
                "version": [None, 2],
                "disclosure control": [None, "not applied"],
                "reason": [None, reason],
            },
        )
    ]

    now = _page(anonymous.get(PUBLIC))
    assert "reviewed the records of 1 who met the criteria" in now
    assert "To learn how quickly agencies respond to neglect." in now
    assert re.search(r"Version</dt>\s*<dd[^>]*>2", now)
    before = _page(anonymous.get(f"{PUBLIC}1/"))
    assert "reviewed the records of fewer than 6 who met the criteria" in before
    assert "To learn how early neglect is recognised." in before
    assert re.search(r"Version</dt>\s*<dd[^>]*>1 \(a later version is", before)
    for name, content in version_one.items():
        if name != "page.html":
            assert anonymous.get(f"{PUBLIC}1/{name}").content == content, name
    assert anonymous.get(f"{PUBLIC}3/").status_code == 404


FREE_TEXT = "Disclosure control does not check free text."


def test_the_publish_page_shows_the_audit_lead_the_numbers_in_the_free_text(cast: Cast, client_for: ClientFor) -> None:
    """Every sentence of the findings, the recommendations and the briefing's own words that the chosen public
    briefing prints, with a number or number word in it, is quoted with the words highlighted, under the plain
    statement that disclosure control does not check free text. Not for professionals, whose counts are shown."""
    finding = make_finding(cast, "Plans were reviewed late. One child was not seen by a nurse.")
    recommendation_add(
        actor=cast.coordinator,
        audit=approved(cast),
        text="Review both plans within 10 days.",
        governance_group=cast.group,
        findings=[finding],
    )
    sign_off(cast)
    lead = client_for("audit_lead")
    url = f"{OUTPUTS}briefing-text/"
    texts = _text_form(_loaded_version(lead.get(url)), reflection="- Would all of you have asked again?")
    assert lead.post(url, texts).status_code == 302

    page = _page(lead.get(f"{OUTPUTS}publish/"))
    assert FREE_TEXT in page
    assert '<mark class="maca-flagged">One</mark> child was not seen by a nurse.</td>' in page
    assert "Plans were reviewed late." not in page  # a sentence without a number is not listed
    assert "within" not in page  # the learning briefing prints no recommendation, nor the questions for reflection
    assert "asked again" not in page

    seven = _page(lead.get(f"{OUTPUTS}publish/?layout=seven-minute&audience=public"))
    assert FREE_TEXT in seven
    assert re.search(r">Finding 1</th>\s*<td[^>]*><mark class=\"maca-flagged\">One</mark> child", seven)
    assert (
        'Review <mark class="maca-flagged">both</mark> plans within <mark class="maca-flagged">10</mark> days.</td>'
        '<td class="govuk-table__cell">both, 10</td>'
    ) in seven
    assert ">Recommendation 1 (Business Group)</th>" in seven
    assert 'Would <mark class="maca-flagged">all</mark> of you have asked again?' in seven

    professionals = _page(lead.get(f"{OUTPUTS}publish/?layout=briefing&audience=professionals"))
    assert FREE_TEXT not in professionals
    assert "maca-flagged" not in professionals


def test_a_briefing_published_for_professionals_has_no_public_page(cast: Cast, client_for: ClientFor) -> None:
    sign_off(cast)
    lead = client_for("audit_lead")
    assert _publish(lead, audience="professionals", without_control="on").status_code == 302
    publication = Publication.objects.get()
    # Counts for professionals are shown as they are; the ticked box means nothing for them, and no reason is kept.
    assert (publication.audience, publication.reason) == ("professionals", "")
    anonymous = client_for("anonymous")
    assert anonymous.get(PUBLIC).status_code == 404
    assert anonymous.get(f"{PUBLIC}1/").status_code == 404
    assert anonymous.get(f"{PUBLIC}1/briefing.pdf").status_code == 404
    assert client_for("governance_reader").get(f"/audits/{REFERENCE}/publications/1/").status_code == 200
    assert client_for("outsider").get(f"/audits/{REFERENCE}/publications/1/").status_code == 404


def test_the_coordinator_sets_disclosure_control_and_public_outputs_follow_it(
    cast: Cast, client_for: ClientFor
) -> None:
    url = f"/p/{cast.partnership.slug}/disclosure/"
    coordinator = client_for("coordinator")
    assert client_for("audit_lead").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404
    sign_off(cast)
    public_briefing = f"{OUTPUTS}briefing/public/"
    assert "reviewed the records of fewer than 6 who met the criteria" in _page(coordinator.get(public_briefing))

    assert coordinator.get(url).status_code == 200
    refusals = {
        ("0", "fewer than {limit}"): "The largest count that is not shown must be 1 or more",
        ("21", "fewer than {limit}"): "The largest count that is not shown must be 20 or less",
        ("3", "fewer than 4"): "Write the number as “{limit}”, so that it follows the threshold",
        (
            "3",
            "fewer than {n}",
        ): "The wording may contain “{limit}” and no other braces, for example “fewer than {limit}”",
        ("3", "fewer than {limit} {"): (
            "The wording may contain “{limit}” and no other braces, for example “fewer than {limit}”"
        ),
    }
    for (threshold, wording), error in refusals.items():
        refused = coordinator.post(url, {"disclosure_threshold": threshold, "disclosure_wording": wording})
        assert refused.status_code == 400, (threshold, wording)
        assert _errors(_page(refused)) == [error]
    cast.partnership.refresh_from_db()
    assert (cast.partnership.disclosure_threshold, cast.partnership.disclosure_wording) == (5, "fewer than {limit}")
    assert _changes_of(cast.partnership) == []

    saved = coordinator.post(url, {"disclosure_threshold": "3", "disclosure_wording": "fewer than {limit}"})
    assert saved.status_code == 302
    cast.partnership.refresh_from_db()
    assert cast.partnership.disclosure_threshold == 3
    assert _changes_of(cast.partnership) == [("coordinator@example.org", {"disclosure_threshold": [5, 3]})]

    page = _page(coordinator.get(public_briefing))
    assert "reviewed the records of fewer than 4 who met the criteria" in page
    assert "fewer than 6" not in page


def test_every_page_showing_an_output_is_logged(cast: Cast, client_for: ClientFor) -> None:
    """The overview, an output read in the page, a download, and the publish page, which shows what disclosure
    control changed in the public briefing (the counts before it too): each logged as viewed or exported.
    (The published versions' pages and files are checked in the publishing test; the public pages are anyone's.)"""
    sign_off(cast)
    pages = [
        ("governance_reader", OUTPUTS, AccessAction.VIEWED),
        ("governance_reader", f"{OUTPUTS}seven-minute/public/", AccessAction.VIEWED),
        ("governance_reader", f"{OUTPUTS}seven-minute/public/html/", AccessAction.EXPORTED),
        ("audit_lead", f"{OUTPUTS}publish/", AccessAction.VIEWED),
    ]
    unlogged = []
    for member, url, action in pages:
        client = client_for(member)
        before = AccessLogEntry.objects.filter(action=action).count()
        assert client.get(url).status_code == 200, url
        if AccessLogEntry.objects.filter(action=action).count() != before + 1:
            unlogged.append(url)
    assert unlogged == []
