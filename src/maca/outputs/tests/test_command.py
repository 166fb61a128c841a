"""`maca render`: an output as a file from the command line, opened in real readers; `maca bench_outputs` runs."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from maca.audits.models import Audit
from maca.audits.tests.tor_helpers import libreoffice_convert, normalise, pdf_text
from maca.outputs.management.commands import bench_outputs

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> Audit:
    call_command("load_demo", verbosity=0, stdout=StringIO())
    return Audit.objects.get(reference="torbay-hsb-2021")


def test_the_public_briefing_as_docx_opens_in_libreoffice_and_hides_small_counts(demo: Audit, tmp_path: Path) -> None:
    out = tmp_path / "briefing.docx"
    stdout = StringIO()
    call_command(
        "render",
        demo.reference,
        "briefing",
        "--format",
        "docx",
        "--out",
        str(out),
        "--audience",
        "public",
        stdout=stdout,
        stderr=StringIO(),
    )
    assert "disclosure control changed 2 places" in stdout.getvalue()
    text = normalise(
        libreoffice_convert(out.read_bytes(), "docx", "txt:Text", tmp_path / "lo", tmp_path / "profile").decode(
            "utf-8-sig"
        )
    )
    assert "TSCP Quality and Assurance Group" in text
    assert "Fewer than 6 of 8 have an education, health and care plan (EHCP)" in text
    assert "4 of 8" not in text
    assert "GP's were not receiving notification when children were removed or stepped down from CPP/CIN plans" in text


def test_the_report_as_pdf_reads_in_pdftotext(demo: Audit, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    call_command(
        "render", demo.reference, "report", "--format", "pdf", "--out", str(out), stdout=StringIO(), stderr=StringIO()
    )
    text = normalise(pdf_text(out.read_bytes(), tmp_path))
    assert "Report for the governance group" in text
    assert "Annex: Terms of Reference" in text
    assert "Agencies' grades by theme" in text


def test_an_unsigned_audit_is_refused_with_what_is_missing_unless_a_draft(demo: Audit, tmp_path: Path) -> None:
    demo.findings_versions.all().delete()
    out = tmp_path / "briefing.html"
    with pytest.raises(CommandError, match=r"findings have not been signed off by the audit lead\. Use --draft"):
        call_command("render", demo.reference, "briefing", "--format", "html", "--out", str(out), stderr=StringIO())
    assert not out.exists()
    call_command(
        "render",
        demo.reference,
        "briefing",
        "--format",
        "html",
        "--out",
        str(out),
        "--draft",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert "maca-output-watermark" in out.read_text(encoding="utf-8")


def test_an_unknown_audit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="nope"):
        call_command("render", "nope", "report", "--format", "pdf", "--out", str(tmp_path / "x.pdf"), stderr=StringIO())


class Ticking:
    """A clock that moves on by a fixed step each time it is read, whatever the machine is doing."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def _bench(step: float) -> tuple[StringIO, bench_outputs.Command]:
    command = bench_outputs.Command()
    command.clock = Ticking(step)
    return StringIO(), command


def test_the_benchmark_reports_each_format_within_its_budget(demo: Audit) -> None:
    stdout, command = _bench(0.25)
    call_command(command, "--runs", "2", stdout=stdout)
    assert stdout.getvalue().splitlines() == [
        "report as DOCX  median 0.250 s over 2 runs (fastest 0.250 s)  within the budget of 1 s",
        "report as PDF   median 0.250 s over 2 runs (fastest 0.250 s)  within the budget of 5 s",
    ]


def test_the_benchmark_fails_when_a_budget_is_missed(demo: Audit) -> None:
    stdout, command = _bench(2.0)
    with pytest.raises(CommandError, match=r"^Over budget: docx\.$"):
        call_command(command, "--runs", "1", stdout=stdout)
    assert "OVER the budget of 1 s" in stdout.getvalue()
    assert "within the budget of 5 s" in stdout.getvalue()


def test_render_says_what_it_is_doing_on_stderr_and_nothing_at_verbosity_0(demo: Audit, tmp_path: Path) -> None:
    out = tmp_path / "briefing.html"
    args = ("render", demo.reference, "briefing", "--format", "html", "--out", str(out), "--audience", "public")
    stdout, stderr = StringIO(), StringIO()
    call_command(*args, "--draft", stdout=stdout, stderr=stderr)
    assert stderr.getvalue().splitlines() == [
        f"Building the learning briefing (the public, draft) from the data of {demo.reference}…",
        "Rendering the learning briefing (the public, draft) as HTML…",
        f"Writing {out}…",
    ]
    assert stdout.getvalue().startswith(f"Wrote {out} (")
    stdout, stderr = StringIO(), StringIO()
    call_command(*args, verbosity=0, stdout=stdout, stderr=stderr)
    assert stderr.getvalue() == ""
    assert stdout.getvalue().startswith(f"Wrote {out} (")
    assert "disclosure control changed" in stdout.getvalue()
