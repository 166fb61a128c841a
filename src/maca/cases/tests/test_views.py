"""The case pages as people use them. Who may open each page at all is in maca/tests/url_expectations.py."""

from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from maca.cases.models import Case, Decision, Involvement
from maca.partnerships.models import AccessAction, AccessLogEntry
from maca.tests.cast import Cast

ClientFor = Callable[[str], Client]
URL = "/audits/anytown-approved-2025/cases/"
HEADER = "reference,nominated_by,birth_month,gender,send,concern_date,involved,neglect_type\n"


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("cases.csv", (HEADER + text).encode("utf-8"), content_type="text/csv")


def _cases() -> list[str]:
    return sorted(Case.objects.filter(audit__reference="anytown-approved-2025").values_list("reference", flat=True))


def test_an_agency_lead_imports_a_list_with_mistakes_then_fixed(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("agency_lead_a")
    assert "Import a case list" in client.get(URL).content.decode()
    template = client.get(URL + "template.csv")
    assert template.content.decode("utf-8-sig").startswith("reference,nominated_by,birth_month")
    wrong = (
        "NEG-02,AGA,2013-13,female,ehcp,2025-05-01,AGB,physical\n"
        "NEG-03,Nowhere,2014-02,female,none,2025-06-31,,emotional\n"
        "NEG-04,AGA,2014-02,maybe,none,2025-06-03,,physical\n"
    )
    response = client.post(URL + "import/", {"file": _csv(wrong)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "row 2, birth_month" in page
    assert "row 3, nominated_by" in page
    assert "row 3, concern_date" in page
    assert "row 4, gender" in page
    assert _cases() == ["NEG-01"]
    fixed = (
        "NEG-02,AGA,2013-12,female,ehcp,2025-05-01,AGB,physical\n"
        "NEG-03,AGA,2014-02,female,none,2025-06-30,,emotional\n"
        "NEG-04,AGA,2014-02,male,none,2019-06-03,,physical\n"
    )
    response = client.post(URL + "import/", {"file": _csv(fixed)}, follow=True)
    assert "3 cases imported from cases.csv." in response.content.decode()
    assert _cases() == ["NEG-01", "NEG-02", "NEG-03", "NEG-04"]
    again = client.post(URL + "import/", {"file": _csv(fixed)})
    assert "NEG-02 already exists in this audit" in again.content.decode()


def test_the_coordinator_sees_the_funnel_and_decides(client_for: ClientFor, cast: Cast) -> None:
    assert cast.case is not None
    client = client_for("coordinator")
    page = client.get(URL).content.decode()
    assert "The funnel" in page
    assert "Nominated" in page
    response = client.post(URL + "NEG-01/decision/", {"decision": "included", "reason": ""})
    assert response.status_code == 400
    assert "Give the reason for the decision" in response.content.decode()
    response = client.post(URL + "NEG-01/decision/", {"decision": "included", "reason": "Meets the criteria."})
    assert response.status_code == 302
    cast.case.refresh_from_db()
    assert (cast.case.decision, cast.case.decision_reason) == (Decision.INCLUDED, "Meets the criteria.")
    assert "No included case is of a child of primary school age" in client.get(URL).content.decode()


def test_nominating_one_case_in_the_browser(client_for: ClientFor, cast: Cast) -> None:
    client = client_for("agency_lead_a")
    data = {
        "reference": "NEG-09",
        "nominated_by": cast.agency_a.pk,
        "birth_month": "2011-07",
        "gender": "male",
        "ethnicity": "BAFR",
        "send": "none",
        "disability": "no",
        "aces": "not_known",
        "concern_date_day": "3",
        "concern_date_month": "3",
        "concern_date_year": "2025",
        "involved": [cast.agency_b.pk],
        "record_number": "A-999",
        "topic_neglect_type": "emotional",
    }
    response = client.post(URL + "new/", {**data, "birth_month": "summer 2011", "reference": "Jo Bloggs"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the month and year of birth like 2012-04 or April 2012" in page
    assert "Use letters, digits and hyphens only" in page
    assert client.post(URL + "new/", {**data, "birth_month": "July 2011"}).status_code == 302
    case = Case.objects.get(reference="NEG-09")
    assert case.birth_month.isoformat() == "2011-07-01"
    assert case.topic_values == {"neglect_type": "emotional"}
    assert {i.agency for i in case.involvements.all()} == {cast.agency_a, cast.agency_b}
    # Agency B now sees the profile, but not agency A's record number.
    page = client_for("auditor_b").get(URL + "NEG-09/").content.decode()
    assert "Black African (BAFR)" in page
    assert "A-999" not in page
    assert "A-999" in client_for("auditor_a").get(URL + "NEG-09/").content.decode()


def test_every_view_of_a_case_is_logged(client_for: ClientFor, cast: Cast) -> None:
    client_for("auditor_a").get(URL)
    listed = AccessLogEntry.objects.get(action=AccessAction.VIEWED, content_type__model="audit")
    assert listed.changes == {"cases listed": [None, "NEG-01"]}
    client_for("auditor_a").get(URL + "NEG-01/")
    entry = AccessLogEntry.objects.get(action=AccessAction.VIEWED, object_repr="NEG-01")
    assert (entry.actor_email, entry.agency) == ("auditor.a@example.org", cast.agency_a)


def test_the_agency_lead_confirms_involvement(client_for: ClientFor, cast: Cast) -> None:
    team = cast.agency_a.services.get()
    client = client_for("agency_lead_a")
    response = client.post(URL + "NEG-01/involvement/AGA/", {"services": [team.pk]})
    assert response.status_code == 302
    involvement = Involvement.objects.get(case=cast.case, agency=cast.agency_a)
    assert involvement.is_confirmed
    assert list(involvement.services.all()) == [team]


def test_cases_wait_for_an_approved_terms_of_reference(client_for: ClientFor, cast: Cast) -> None:
    response = client_for("coordinator").get("/audits/anytown-neglect-2026/cases/new/", follow=True)
    assert "Cases are nominated once the Terms of Reference has been approved." in response.content.decode()


def test_months_are_read_as_people_write_them() -> None:
    import datetime

    from maca.cases.forms import read_month

    for text in ("2012-04", "04/2012", "April 2012", "apr 2012", " April   2012 "):
        assert read_month(text) == datetime.date(2012, 4, 1), text
    for text in ("2012-13", "13/2012", "Spring 2012", "2012", ""):
        assert read_month(text) is None, text


def test_an_agency_involved_is_added_after_nomination_and_confirms(client_for: ClientFor, cast: Cast) -> None:
    coordinator = client_for("coordinator")
    page = coordinator.get(URL + "NEG-01/involvement/new/").content.decode()
    assert "Agency B" in page
    assert ">Agency A<" not in page  # already involved
    assert coordinator.post(URL + "NEG-01/involvement/new/", {"agency": ""}).status_code == 400
    assert coordinator.post(URL + "NEG-01/involvement/new/", {"agency": cast.agency_b.pk}).status_code == 302
    involvement = Involvement.objects.get(case=cast.case, agency=cast.agency_b)
    assert not involvement.is_confirmed
    # Agency B now sees the case; its lead would confirm (agency B has no lead in the cast: the auditor may not).
    assert client_for("auditor_b").get(URL + "NEG-01/").status_code == 200
    assert client_for("auditor_b").post(URL + "NEG-01/involvement/AGB/", {}).status_code == 403
    again = coordinator.post(URL + "NEG-01/involvement/new/", {"agency": cast.agency_b.pk})
    assert again.status_code == 400


def test_a_nomination_is_corrected_or_withdrawn_until_it_is_decided(client_for: ClientFor, cast: Cast) -> None:
    from maca.cases.services import case_decide

    lead = client_for("agency_lead_a")
    form = lead.get(URL + "NEG-01/change/").content.decode()
    assert 'value="2012-03"' in form
    data = {
        "reference": "NEG-01",
        "birth_month": "2012-05",
        "gender": "male",
        "ethnicity": "WBRI",
        "send": "ehcp",
        "disability": "no",
        "aces": "yes",
        "concern_date_day": "2",
        "concern_date_month": "4",
        "concern_date_year": "2025",
        "topic_neglect_type": "emotional",
    }
    bad = lead.post(URL + "NEG-01/change/", {**data, "birth_month": "2026-01"})
    assert bad.status_code == 400
    assert "The month of birth must be before the date the concern was first recorded" in bad.content.decode()
    assert lead.post(URL + "NEG-01/change/", data).status_code == 302
    assert cast.case is not None
    cast.case.refresh_from_db()
    assert (cast.case.birth_month.month, cast.case.send, cast.case.topic_values) == (
        5,
        "ehcp",
        {"neglect_type": "emotional"},
    )
    entry = AccessLogEntry.objects.filter(action=AccessAction.CHANGED, object_repr="NEG-01").latest("at")
    assert entry.changes["send"] == ["sen_support", "ehcp"]

    case_decide(actor=cast.coordinator, case=cast.case, decision=Decision.INCLUDED, reason="Meets the criteria.")
    response = lead.get(URL + "NEG-01/change/", follow=True)
    assert "its nomination is settled" in response.content.decode()
    response = lead.post(URL + "NEG-01/withdraw/", follow=True)
    assert "its nomination is settled" in response.content.decode()
    assert _cases() == ["NEG-01"]


def test_withdrawing_a_nomination_is_logged(client_for: ClientFor, cast: Cast) -> None:
    lead = client_for("agency_lead_a")
    assert "Withdraw the nomination of NEG-01?" in lead.get(URL + "NEG-01/withdraw/").content.decode()
    assert lead.post(URL + "NEG-01/withdraw/").status_code == 302
    assert _cases() == []
    entry = AccessLogEntry.objects.get(action=AccessAction.REMOVED, object_repr="NEG-01")
    assert entry.actor_email == "lead.a@example.org"


def test_an_agency_recorded_as_involved_by_mistake_is_removed_with_a_reason(client_for: ClientFor, cast: Cast) -> None:
    coordinator = client_for("coordinator")
    # The only agency involved cannot be removed: the right one is added first.
    only = coordinator.post(URL + "NEG-01/involvement/AGA/remove/", {"reason": "Wrong agency."})
    assert only.status_code == 400
    assert "is the only agency involved with NEG-01" in only.content.decode()
    assert "/involvement/AGA/remove/" not in coordinator.get(URL + "NEG-01/").content.decode()

    coordinator.post(URL + "NEG-01/involvement/new/", {"agency": cast.agency_b.pk})
    assert "/involvement/AGB/remove/" in coordinator.get(URL + "NEG-01/").content.decode()
    assert client_for("auditor_b").get(URL + "NEG-01/involvement/AGB/remove/").status_code == 403
    no_reason = coordinator.post(URL + "NEG-01/involvement/AGB/remove/", {"reason": "  "})
    assert no_reason.status_code == 400
    assert "Give the reason for removing the agency" in no_reason.content.decode()

    lead = client_for("agency_lead_a")  # the nominating agency's lead
    assert lead.post(URL + "NEG-01/involvement/AGB/remove/", {"reason": "No contact in the scope."}).status_code == 302
    assert list(Involvement.objects.filter(case=cast.case).values_list("agency__short_code", flat=True)) == ["AGA"]
    entry = AccessLogEntry.objects.filter(action=AccessAction.REMOVED, object_repr="NEG-01").get()
    assert entry.changes == {"involved": ["Agency B", None], "reason": [None, "No contact in the scope."]}
    # Agency B no longer sees the case.
    assert client_for("auditor_b").get(URL + "NEG-01/").status_code == 404
