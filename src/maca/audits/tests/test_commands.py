"""`maca audits`, `maca import_audit`, `maca export_audit` and `maca render`, as a coordinator uses them."""

import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from maca.audits.models import Audit
from maca.tests.cast import Cast


def test_audits_lists_reference_tab_title(cast: Cast, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("audits")
    assert capsys.readouterr().out.splitlines() == [
        "anytown-approved-2025\tMulti-Agency Case Audit on Neglect",
        "anytown-neglect-2026\tMulti-Agency Case Audit on Neglect",
    ]


def test_export_then_import_under_another_reference(cast: Cast, tmp_path: Path) -> None:
    exported = tmp_path / "audit.yaml"
    call_command("export_audit", "anytown-neglect-2026", str(exported))
    text = exported.read_text(encoding="utf-8")
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(text.replace("anytown-neglect-2026", "imported-2026"), encoding="utf-8")
    call_command("import_audit", str(renamed), "--partnership", "anytown")
    assert Audit.objects.get(reference="imported-2026").partnership == cast.partnership
    again = tmp_path / "again.yaml"
    call_command("export_audit", "imported-2026", str(again))
    assert again.read_text(encoding="utf-8") == text.replace("anytown-neglect-2026", "imported-2026")


def test_import_errors_name_the_line_and_nothing_is_saved(cast: Cast, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: maca-audit/1\nreference: Bad Reference\ntitle: T\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_audit", str(bad), "--partnership", "anytown")
    message = str(error.value)
    assert "line 2: reference: 'Bad Reference' is not in the expected form" in message
    assert "short_title: is required" in message
    assert Audit.objects.count() == 2


def test_unknown_partnership_audit_and_file_are_explained(cast: Cast, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no partnership 'nowhere'"):
        call_command("import_audit", str(tmp_path / "x.yaml"), "--partnership", "nowhere")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_audit", str(tmp_path / "missing.yaml"), "--partnership", "anytown")
    with pytest.raises(CommandError, match="There is no audit 'nope'"):
        call_command("export_audit", "nope", "-")


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_render_writes_the_terms_of_reference(cast: Cast, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"tor.{fmt}"
    call_command("render", "anytown-approved-2025", "tor", "--format", fmt, "--out", str(out))
    content = out.read_bytes()
    if fmt == "docx":
        assert zipfile.is_zipfile(out)
        assert "Multi-Agency Case Audit on Neglect" in zipfile.ZipFile(out).read("word/document.xml").decode()
    elif fmt == "pdf":
        assert content.startswith(b"%PDF")
    else:
        assert "Multi-Agency Case Audit on Neglect" in content.decode()


def test_render_an_approved_version_that_does_not_exist(cast: Cast, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="has no approved version 7"):
        call_command(
            "render",
            "anytown-approved-2025",
            "tor",
            "--format",
            "html",
            "--out",
            str(tmp_path / "x"),
            "--tor-version",
            "7",
        )


def _exported(tmp_path: Path, reference: str) -> Path:
    """The draft audit's definition, under another reference, ready to import."""
    exported = tmp_path / "audit.yaml"
    call_command("export_audit", "anytown-neglect-2026", str(exported))
    renamed = tmp_path / f"{reference}.yaml"
    renamed.write_text(exported.read_text(encoding="utf-8").replace("anytown-neglect-2026", reference), "utf-8")
    return renamed


def test_import_says_what_it_is_doing_on_stderr_and_the_result_on_stdout(cast: Cast, tmp_path: Path) -> None:
    file = _exported(tmp_path, "imported-2026")
    out, err = StringIO(), StringIO()
    call_command("import_audit", str(file), "--partnership", "anytown", stdout=out, stderr=err)
    assert err.getvalue().splitlines() == [
        f"Reading {file}…",
        "Checking the audit definition…",
        "The definition is complete: saving the audit imported-2026 in Anytown Safeguarding Children Partnership…",
    ]
    assert out.getvalue() == "Imported imported-2026: Multi-Agency Case Audit on Neglect\n"

    quiet = _exported(tmp_path, "quiet-2026")
    out, err = StringIO(), StringIO()
    call_command("import_audit", str(quiet), "--partnership", "anytown", verbosity=0, stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert out.getvalue() == "Imported quiet-2026: Multi-Agency Case Audit on Neglect\n"


def test_render_says_what_it_is_doing_on_stderr(cast: Cast, tmp_path: Path) -> None:
    out_file = tmp_path / "tor.html"
    args = ("render", "anytown-approved-2025", "tor", "--format", "html", "--out", str(out_file), "--tor-version", "1")
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    assert err.getvalue().splitlines() == [
        "Rendering version 1 of the Terms of Reference of anytown-approved-2025 as HTML…",
        f"Writing {out_file}…",
    ]
    assert out.getvalue().startswith(f"Wrote {out_file} (")
    out, err = StringIO(), StringIO()
    call_command(*args, verbosity=0, stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert out.getvalue().startswith(f"Wrote {out_file} (")
