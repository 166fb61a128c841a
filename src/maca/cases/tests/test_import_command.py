"""`maca import_cases AUDIT FILE --as EMAIL [--agency CODE]`: all or nothing, every problem listed."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from maca.cases.models import Case
from maca.cases.tests.factories import open_for_cases
from maca.cases.tests.test_importing import GOOD, HEADER, csv_bytes, xlsx_bytes
from maca.partnerships.models import AccessLogEntry
from maca.tests.cast import Cast

AUDIT = "anytown-neglect-2026"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_cases", *args, stdout=out)
    return out.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as raised:
        run(*args)
    return str(raised.value)


@pytest.fixture(autouse=True)
def _approved(cast: Cast) -> None:
    """Cases are nominated once the audit's Terms of Reference is approved."""
    open_for_cases(cast)


@pytest.fixture
def good_csv(tmp_path: Path) -> Path:
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes([HEADER, *GOOD]))
    return path


def test_the_coordinator_imports_a_case_list(cast: Cast, good_csv: Path) -> None:
    assert cast.audit is not None
    assert cast.audit.reference == AUDIT
    output = run(AUDIT, str(good_csv), "--as", "coordinator@example.org")
    assert output.strip() == f"Imported 2 cases into {AUDIT}."
    assert list(Case.objects.filter(audit__reference="anytown-neglect-2026").values_list("reference", flat=True)) == [
        "HSB-01",
        "HSB-02",
    ]
    logged = AccessLogEntry.objects.filter(
        content_type__model="case", action="created", actor_email="coordinator@example.org"
    )
    assert sorted(logged.values_list("object_repr", "actor_email")) == [
        ("HSB-01", "coordinator@example.org"),
        ("HSB-02", "coordinator@example.org"),
    ]


def test_an_xlsx_case_list(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "cases.xlsx"
    path.write_bytes(xlsx_bytes([HEADER, GOOD[0]]))
    assert run(AUDIT, str(path), "--as", "COORDINATOR@example.org").strip() == f"Imported 1 case into {AUDIT}."


def test_the_same_file_twice_lists_every_duplicate_and_imports_nothing(cast: Cast, good_csv: Path) -> None:
    run(AUDIT, str(good_csv), "--as", "coordinator@example.org")
    message = refused(AUDIT, str(good_csv), "--as", "coordinator@example.org")
    assert message.splitlines() == [
        f"{good_csv} was not imported:",
        "  row 2, reference: HSB-01 already exists in this audit",
        "  row 3, reference: HSB-02 already exists in this audit",
    ]
    assert Case.objects.filter(audit__reference="anytown-neglect-2026").count() == 2


def test_every_problem_is_listed_and_nothing_is_saved(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    bad = ["HSB-03", "AGZ", "2012-04", "", "", "", "", "", "2025-02-30", "", "", ""]
    path.write_bytes(csv_bytes([HEADER, *GOOD, bad]))
    lines = refused(AUDIT, str(path), "--as", "coordinator@example.org").splitlines()
    assert lines[1:] == [
        "  row 4, nominated_by: AGZ is not an identifying agency of this audit (they are: Agency A (AGA))",
        "  row 4, concern_date: 2025-02-30 is not a date that exists, written YYYY-MM-DD, for example 2025-03-14",
    ]
    assert not Case.objects.filter(audit__reference="anytown-neglect-2026").exists()


def test_the_agency_lead_imports_for_their_agency(cast: Cast, good_csv: Path) -> None:
    assert run(AUDIT, str(good_csv), "--as", "lead.a@example.org", "--agency", "aga").startswith("Imported 2 cases")
    assert set(
        Case.objects.filter(audit__reference="anytown-neglect-2026").values_list("nominated_by_user__email", flat=True)
    ) == {"lead.a@example.org"}


def test_a_coordinators_import_scoped_to_another_agency_is_refused_by_row(cast: Cast, good_csv: Path) -> None:
    message = refused(AUDIT, str(good_csv), "--as", "coordinator@example.org", "--agency", "AGB")
    assert "  row 2, nominated_by: is Agency A, but this import is for Agency B's cases only" in message
    assert not Case.objects.filter(audit__reference="anytown-neglect-2026").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Say who is importing with --as EMAIL"),
        (("--as", "nobody@example.org"), "There is no active account 'nobody@example.org'."),
        (("--as", "lead.a@example.org"), "lead.a@example.org is an agency lead: add --agency CODE for their agency."),
        (
            ("--as", "lead.a@example.org", "--agency", "AGB"),
            "lead.a@example.org is neither the coordinator of Anytown Safeguarding Children Partnership "
            "nor the agency lead of Agency B.",
        ),
        (("--as", "auditor.a@example.org"), "auditor.a@example.org is neither the coordinator"),
        (("--as", "outsider@example.org"), "outsider@example.org is neither the coordinator"),  # another partnership's
        (("--as", "coordinator@example.org", "--agency", "AGX"), "There is no agency 'AGX' in Anytown"),
    ],
)
def test_who_may_import(cast: Cast, good_csv: Path, args: tuple[str, ...], message: str) -> None:
    assert refused(AUDIT, str(good_csv), *args).startswith(message)
    assert not Case.objects.filter(audit__reference="anytown-neglect-2026").exists()


def test_an_unknown_audit_or_an_unreadable_file(cast: Cast, good_csv: Path, tmp_path: Path) -> None:
    assert refused("no-such-audit", str(good_csv), "--as", "coordinator@example.org") == (
        "There is no audit 'no-such-audit'."
    )
    missing = tmp_path / "missing.csv"
    assert refused(AUDIT, str(missing), "--as", "coordinator@example.org").startswith(f"Cannot read {missing}")


def test_a_file_that_is_neither_csv_nor_xlsx(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "cases.pdf"
    path.write_bytes(b"%PDF-1.4")
    assert refused(AUDIT, str(path), "--as", "coordinator@example.org").splitlines() == [
        f"{path} was not imported:",
        "  cases.pdf is neither a CSV nor an XLSX file: upload the case list as .csv or .xlsx.",
    ]


@pytest.mark.parametrize(
    ("args", "nominating"),
    [
        (("--as", "coordinator@example.org"), "2 cases checked: nominating them…"),
        (("--as", "lead.a@example.org", "--agency", "AGA"), "2 cases checked: nominating them for Agency A…"),
    ],
)
def test_the_import_says_what_it_is_doing_on_stderr(
    cast: Cast, good_csv: Path, args: tuple[str, ...], nominating: str
) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_cases", AUDIT, str(good_csv), *args, stdout=out, stderr=err)
    assert err.getvalue().splitlines() == [
        f"Reading {good_csv}…",
        f"Checking every row against the case list columns of {AUDIT}…",
        nominating,
    ]
    assert out.getvalue() == f"Imported 2 cases into {AUDIT}.\n"  # stdout holds the result only


def test_verbosity_0_keeps_only_the_result(cast: Cast, good_csv: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_cases", AUDIT, str(good_csv), "--as", "coordinator@example.org", verbosity=0, stdout=out, stderr=err
    )
    assert err.getvalue() == ""
    assert out.getvalue() == f"Imported 2 cases into {AUDIT}.\n"
