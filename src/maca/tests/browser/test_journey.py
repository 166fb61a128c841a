"""One audit from start to finish in a real browser, one test per person, each carrying on from the one before.

The partnership is the demo's (its agencies, groups and people); each person signs in on the real pages with their
password and the code from their authenticator app. Every page anyone reaches is checked as they reach it (see
`browsing`): no WCAG 2.2 A or AA violation, reflow at 320 pixels, no browser error, and a screenshot.
"""

import csv
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from maca.accounts.forms import CODE_LABEL
from maca.accounts.models import User
from maca.accounts.tests.factories import enrol_totp
from maca.accounts.tests.signing_in import totp_code
from maca.partnerships import demo
from maca.partnerships.models import Agency, Membership, Role
from maca.tests.browser.browsing import SCREENSHOTS, Visitor, visiting

pytestmark = pytest.mark.django_db(transaction=True)

AUDIT = "hsb-2026"
TITLE = "Harmful sexual behaviour: a second look"
# The coordinator and the auditor do everything with the keyboard alone: Tab to each link, field and button, type,
# Space and the arrow keys to choose, Enter to go on. A pointer event on any of their pages fails the test.
KEYBOARD_ONLY = {"coordinator", "auditor"}
FINDING = "Youth workers named the behaviour plainly and early, and the child’s plan followed from it."


@dataclass
class Journey:
    """The people of the journey, each signed in once in their own browser and staying signed in, as people do."""

    server: LiveServer
    browser: Browser
    secrets: dict[str, str]
    windows: ExitStack
    people: dict[str, Visitor] = field(default_factory=dict)
    done: list[str] = field(default_factory=list)
    shots: Path = SCREENSHOTS / "journey"

    def after(self, step: str) -> None:
        """Carry on only if the step before this one went through (the tests run in order)."""
        if step not in self.done:
            pytest.skip(f"the journey broke before this step: {step!r} did not finish")

    def person(self, email_name: str) -> Visitor:
        """Someone at their home page: signed in with their password and the code from their app the first time."""
        if email_name in self.people:
            return self.people[email_name].goto("/")
        email = f"{email_name}@{demo.DEMO_EMAIL_DOMAIN}"
        keyboard = email_name in KEYBOARD_ONLY
        window = visiting(self.browser, self.server.url, email_name, self.shots, keyboard_only=keyboard)
        visitor = self.windows.enter_context(window)
        visitor.goto("/accounts/login/")
        visitor.fill("E-mail address", email).fill("Password", demo.DEMO_PASSWORD).press("Continue")
        visitor.fill(CODE_LABEL, totp_code(self.secrets[email])).press("Continue")
        assert visitor.page.url == self.server.url + "/", visitor.main[:500]
        self.people[email_name] = visitor
        return visitor

    def readme(self, visitor: Visitor, name: str) -> None:
        """Save the page as it stands for the README (`make screenshots` makes it small and commits it to docs/)."""
        visitor.screenshot_as(SCREENSHOTS / "readme" / f"{name}.png")

    def anonymous(self) -> Visitor:
        """Someone from the public, not signed in."""
        if "anonymous" not in self.people:
            window = visiting(self.browser, self.server.url, "anonymous", self.shots)
            self.people["anonymous"] = self.windows.enter_context(window)
        return self.people["anonymous"]

    def open_audit(self, email_name: str) -> Visitor:
        """Someone goes from their home page to the journey's audit."""
        visitor = self.person(email_name)
        visitor.follow("Torbay Safeguarding Children Partnership").follow("Audits").follow(TITLE)
        return visitor


def complete_workbook(path: Path, words: str) -> None:
    """Answer every question of every case's sheet, as someone offline in Excel does: the first choice of each list,
    2 for each number, the first of several choices, these words for each text; dates and optional answers blank."""
    book = load_workbook(path)
    lists = book["_lists"]
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible" or sheet.title == "Instructions":
            continue
        rules = {str(cell): rule for rule in sheet.data_validations.dataValidation for cell in rule.sqref.ranges}
        for row in sheet.iter_rows(min_row=1):
            key, answer, hint = row[0].value, row[3], str(row[4].value or "")
            if not key or answer.protection.locked or answer.value not in (None, ""):
                continue
            rule = rules.get(answer.coordinate)
            if rule is not None and rule.type == "list":
                first = str(rule.formula1).split("!")[1].split(":")[0].replace("$", "")
                answer.value = lists[first].value
            elif rule is not None and rule.type == "whole":
                answer.value = 2
            elif rule is not None or "Optional" in hint:
                continue
            elif "One or more of: " in hint:
                answer.value = hint.split("One or more of: ")[1].split(";")[0]
            else:
                answer.value = words
    book.save(path)


@pytest.fixture(scope="module")
def journey(live: LiveServer, chromium: Browser) -> Iterator[Journey]:
    partnership = demo.load_partnership_demo()
    health_lead = User.objects.create_user(
        f"health.lead@{demo.DEMO_EMAIL_DOMAIN}", demo.DEMO_PASSWORD, full_name="Jesse Carew", is_demo=True
    )
    Membership.objects.create(
        user=health_lead,
        partnership=partnership,
        role=Role.AGENCY_LEAD,
        agency=Agency.objects.get(partnership=partnership, short_code="HEALTH"),
    )
    secrets = {user.email: enrol_totp(user) for user in User.objects.filter(email__endswith=demo.DEMO_EMAIL_DOMAIN)}
    with ExitStack() as windows:
        yield Journey(server=live, browser=chromium, secrets=secrets, windows=windows)


def test_the_coordinator_creates_an_audit_from_a_template_and_the_audit_lead_approves_it(journey: Journey) -> None:
    coordinator = journey.person("coordinator")
    coordinator.follow("Torbay Safeguarding Children Partnership").follow("Audits").press("Create an audit")
    coordinator.fill("Title", TITLE).fill("Reference", AUDIT)
    coordinator.choose("From the template: Harmful sexual behaviour").press("Save")
    assert coordinator.success() == f"Success {TITLE} has been created as a draft."
    coordinator.follow("Choose the audit lead").select("Audit lead", "Avery Lindqvist").press("Save")
    coordinator.press("Send for review")
    coordinator.press("Send for review")
    assert coordinator.success() == "Success The Terms of Reference has been sent to the audit lead for review."
    lead = journey.open_audit("audit.lead")
    lead.says("waiting for the audit lead’s approval")
    lead.press("Approve")
    lead.press("Approve")
    assert lead.success() == "Success Version 1 of the Terms of Reference has been approved."
    journey.done.append("approved")


def test_the_agency_lead_nominates_a_case_and_imports_the_case_list(journey: Journey, tmp_path: Path) -> None:
    journey.after("approved")
    lead = journey.open_audit("agency.lead")
    lead.follow("The cases of this audit").follow("Nominate a case")
    lead.fill("Case reference", "HSB-01").fill("Month and year of birth", "May 2008")
    lead.choose("Male").select("Ethnicity", "White British")
    lead.choose("SEN support").choose("No", within=lead.group("Disability"))
    lead.choose("Yes", within=lead.group("Adverse childhood experiences"))
    lead.fill("Day", "14").fill("Month", "6").fill("Year", "2019")
    lead.choose("Health").choose("Police").choose("Displayed harmful sexual behaviour")
    lead.choose("Problematic", exact=False).choose("Low self-esteem").press("Save")
    assert lead.success() == "Success Case HSB-01 has been nominated."
    template = lead.download("CSV template", tmp_path)
    header = template.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    row = {
        "reference": "HSB-02",
        "nominated_by": "YOT",
        "birth_month": "2011-09",
        "gender": "female",
        "ethnicity": "WBRI",
        "send": "sen support",
        "disability": "no",
        "aces": "not known",
        "concern_date": "2020-01-20",
        "involved": "HEALTH",
        "involvement": "experienced",
    }
    case_list = tmp_path / "cases.csv"
    with case_list.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=header)
        writer.writeheader()
        writer.writerow(row)
    lead.follow("Import a case list").upload("Case list", case_list)
    working = lead.press_and_watch("Import")
    assert working == "Importing the case list… This can take a minute. Keep this page open."
    assert lead.success() == "Success 1 case imported from cases.csv."
    lead.says("HSB-01", "HSB-02")
    for case in ("HSB-01", "HSB-02"):
        lead.follow(case, exact=True).follow("Confirm Youth Offending Team’s involvement")
        lead.press("Confirm")
        assert lead.success() == f"Success Youth Offending Team’s involvement with {case} is confirmed."
        lead.follow("Cases", exact=True)
    journey.done.append("nominated")


def test_the_coordinator_includes_the_cases(journey: Journey) -> None:
    journey.after("nominated")
    coordinator = journey.open_audit("coordinator")
    coordinator.follow("The cases of this audit")
    for case in ("HSB-01", "HSB-02"):
        coordinator.follow(case, exact=True).follow("Include or exclude")
        coordinator.choose("Include the case").fill("Reason", "Meets every criterion of the Terms of Reference.")
        coordinator.press("Save")
        assert coordinator.success() == f"Success Case {case} is included."
    journey.done.append("included")


def test_an_auditor_completes_a_return_theme_by_theme_and_submits_it(journey: Journey) -> None:
    journey.after("included")
    lead = journey.open_audit("agency.lead")
    lead.follow("The agencies’ returns").follow("HSB-01")
    lead.follow("Assign an auditor").select("Auditor", "Morgan Tregear").press("Assign")
    assert lead.success() == "Success The return is now with auditor@demo.maca.invalid."

    auditor = journey.open_audit("auditor")
    auditor.follow("The agencies’ returns").follow("HSB-01")
    themes = ["Responses", "Prevention", "Assessment and referral pathways", "Approach to intervention"]
    themes += ["Workforce development", "Information sharing", "The child as your agency sees it"]
    auditor.follow("Responses")
    journey.readme(auditor, "return")
    for theme in themes:
        assert auditor.heading == theme
        auditor.answer_everything(f"What the records show about {theme.lower()}.").press("Save and continue")
    assert auditor.heading == "Check your answers before submitting the return"
    auditor.says("What the records show about workforce development.")
    auditor.press("Submit the return")
    assert auditor.success() == "Success The return for HSB-01 has been submitted to Youth Offending Team’s lead."
    journey.done.append("submitted")


def test_the_agency_lead_accepts_the_return(journey: Journey) -> None:
    journey.after("submitted")
    lead = journey.open_audit("agency.lead")
    lead.follow("The agencies’ returns").follow("HSB-01").follow("Accept or return for amendment")
    lead.choose("Accept the return").press("Save the decision")
    assert lead.success() == "Success The return for HSB-01 has been accepted."
    lead.says("Accepted", "What the records show about prevention.")
    journey.done.append("accepted")


def test_another_agency_uploads_its_completed_workbook(journey: Journey, tmp_path: Path) -> None:
    journey.after("accepted")
    lead = journey.open_audit("health.lead")
    lead.follow("The cases of this audit")
    for case in ("HSB-01", "HSB-02"):
        lead.follow(case, exact=True).follow("Confirm Health’s involvement").press("Confirm")
        assert lead.success() == f"Success Health’s involvement with {case} is confirmed."
        lead.follow("Cases", exact=True)
    lead.follow(TITLE).follow("The agencies’ returns")
    workbook = lead.download("Download Health’s workbook (XLSX)", tmp_path)
    complete_workbook(workbook, "From Health’s records.")
    lead.follow("Upload Health’s completed workbook")
    lead.upload("The completed workbook", workbook)
    assert lead.press_and_watch("Upload the workbook").startswith("Checking and saving the workbook…")
    assert lead.success() == "Success 2 returns updated from the workbook (HSB-01, HSB-02)."
    journey.done.append("uploaded")


def test_the_panel_moderates_and_adds_findings(journey: Journey) -> None:
    journey.after("uploaded")
    coordinator = journey.open_audit("coordinator")
    coordinator.follow("The agencies’ returns").follow("Open moderation").press("Open moderation")
    assert coordinator.success() == "Success Moderation is open: panel members can now read every submitted return."
    panel = journey.open_audit("panel.member")
    panel.follow("Moderation: grades, findings and recommendations")
    panel.follow("Moderate the grade of Responses in HSB-01 – Youth Offending Team")
    panel.choose("Good").fill(
        "Why the panel’s grade differs from the agency’s", "The record names the behaviour clearly."
    )
    panel.press("Save the grade")
    assert panel.success() == "Success HSB-01 – Youth Offending Team, Responses: the panel’s grade is Good."
    panel.says("Change the grade of Responses in HSB-01")
    panel.follow("Add a finding under “What good practice did we see?”")
    panel.fill("Finding", FINDING).press("Add the finding")
    assert panel.success() == "Success The finding has been added. Now link the evidence behind it."
    panel.follow("Moderation", exact=True)
    journey.readme(panel, "moderation")
    journey.done.append("moderated")


def test_the_audit_lead_signs_off_and_publishes_the_briefing(journey: Journey) -> None:
    journey.after("moderated")
    lead = journey.open_audit("audit.lead")
    lead.follow("Moderation: grades, findings and recommendations").follow("Sign off the findings")
    lead.says(FINDING).press("Sign off the findings")
    assert lead.success() == "Success Version 1 of the findings is signed off and locked."
    lead.follow(TITLE).follow("Report and briefings").follow("Read the learning briefing for the public")
    lead.says(FINDING)
    lead.follow("Report and briefings").follow("Publish a briefing")
    lead.choose("Learning briefing").choose("The public").press("Show what will be published")
    lead.says("What disclosure control changed").press("Publish the learning briefing for the public")
    assert lead.success().endswith(": Learning briefing is published as version 1.")
    journey.done.append("published")


def test_an_anonymous_reader_opens_the_published_briefing(journey: Journey) -> None:
    journey.after("published")
    reader = journey.anonymous()
    reader.goto(f"/published/{AUDIT}/")
    assert reader.heading == "Multi-Agency Case Audit: Harmful Sexual Behaviour"
    journey.readme(reader, "briefing")
    reader.says("What good practice did we see?", FINDING)
    href = reader.page.get_by_role("link", name="briefing.pdf").get_attribute("href")
    briefing = reader.page.request.get(reader.base_url + str(href))
    assert briefing.ok
    assert briefing.body().startswith(b"%PDF-")
    reader.follow("Accessibility statement")
    assert reader.heading == "Accessibility statement for maca"
