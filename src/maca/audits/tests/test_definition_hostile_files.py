"""Audit definitions that are damaged, hostile or simply strange never crash the import: `parse_definition` refuses
them with a `DefinitionError` naming the key and the line (never another exception), the import page answers 400
with the problems, `maca import_audit` exits with a `CommandError`, and no audit is saved.

Hypothesis makes the files from a valid definition (text inserted, deleted or repeated, YAML's own syntax dropped in,
values replaced by strange ones); a fixed set adds the known attacks.
"""

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from maca.audits.definition import MAX_BYTES, DefinitionError, dump_definition, parse_definition
from maca.audits.models import Audit, Theme
from maca.audits.schema import AuditDefinition
from maca.audits.services import audit_import
from maca.audits.tests.factories import small_definition
from maca.common.characters import unshowable_character
from maca.common.tests.hostile import ENCODINGS, FUZZ, HOSTILE_TEXT, HUGE, yaml_alias_bomb
from maca.partnerships.models import AccessLogEntry
from maca.tests.cast import Cast

ClientFor = Callable[[str], Client]
URL = "/p/anytown/audits/import/"
VALID = dump_definition(small_definition()).replace("anytown-neglect-2026", "anytown-fuzz-2026")


def read_or_refuse(text: str) -> AuditDefinition | DefinitionError:
    """The definition, or the refusal, which must say what is wrong. Any other exception fails the test."""
    try:
        return parse_definition(text)
    except DefinitionError as error:
        refusal = error
    assert refusal.problems
    assert all(str(problem).strip() for problem in refusal.problems)
    assert len(refusal.problems) <= 101
    return refusal


def refused(text: str) -> list[str]:
    outcome = read_or_refuse(text)
    assert isinstance(outcome, DefinitionError), "the definition was accepted"
    return [str(problem) for problem in outcome.problems]


@pytest.fixture
def nothing_saved(cast: Cast) -> Any:
    before = (Audit.objects.count(), Theme.objects.count(), AccessLogEntry.objects.count())
    yield
    assert (Audit.objects.count(), Theme.objects.count(), AccessLogEntry.objects.count()) == before


# --- Generated files -------------------------------------------------------------------------------------------

# YAML's own syntax, and values a definition never has.
_SYNTAX = [
    "&a ",
    "*a",
    "<<: *a",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!float",
    "? ",
    "- ",
    ": ",
    "[",
    "]",
    "{",
    "}",
    "|",
    ">-",
    "'",
    '"',
    '"\\ud800"',
    '"\\0"',
    '"\\x1b"',
    "\t",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "#",
    "~",
    ".nan",
    "-.inf",
    "0x" + "f" * 40,
    "1" + "0" * 5000,
    "1:" * 50 + "1",
    "2026-02-30",
    "2001-12-14t21:59:43.10+99:00",
    "\ufeff",
    "\u2028",
]
_LINES = VALID.splitlines(keepends=True)


def _inserted(parts: tuple[int, str]) -> str:
    position, text = parts
    return VALID[:position] + text + VALID[position:]


def _line_replaced(parts: tuple[int, str]) -> str:
    """A value of one line replaced: what comes after the line's colon, or the whole line."""
    number, value = parts
    lines = list(_LINES)
    key, colon, _ = lines[number].partition(": ")
    lines[number] = f"{key}{colon}{value}\n" if colon else f"{value}\n"
    return "".join(lines)


def _cut(parts: tuple[int, int]) -> str:
    start, length = parts
    return VALID[:start] + VALID[start + length :]


def _repeated(parts: tuple[int, int]) -> str:
    start, length = parts
    return VALID[: start + length] + VALID[start : start + length] + VALID[start + length :]


_strange = st.one_of(st.sampled_from(_SYNTAX), st.text(max_size=20), st.sampled_from(list(HOSTILE_TEXT.values())))
definitions = st.one_of(
    st.tuples(st.integers(0, len(VALID)), _strange).map(_inserted),
    st.tuples(st.integers(0, len(_LINES) - 1), _strange).map(_line_replaced),
    st.tuples(st.integers(0, len(VALID) - 1), st.integers(1, 200)).map(_cut),
    st.tuples(st.integers(0, len(VALID) - 1), st.integers(1, 200)).map(_repeated),
    st.text(max_size=500),
)


def strings(value: Any) -> Iterator[str]:
    """Every text in plain data, however deep."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


@FUZZ
@given(text=definitions)
def test_a_damaged_definition_is_read_or_refused(cast: Cast, nothing_saved: None, text: str) -> None:
    outcome = read_or_refuse(text)
    if isinstance(outcome, AuditDefinition):
        # What the schema accepts can be stored and shown: import it, then undo the import.
        assert all(unshowable_character(text) is None for text in strings(outcome.model_dump()))
        with transaction.atomic(), contextlib.suppress(DefinitionError):
            audit_import(actor=None, partnership=cast.partnership, definition=outcome)
            transaction.set_rollback(True)


# --- The known attacks ---------------------------------------------------------------------------------------------


def test_a_billion_laughs_is_refused(nothing_saved: None) -> None:
    assert refused(yaml_alias_bomb()) == ["line 1: anchors and aliases (& and *) are not allowed"]


def test_a_whole_number_of_thousands_of_digits_is_named(nothing_saved: None) -> None:
    text = VALID.replace("target_cases: 6", "target_cases: 1" + "0" * 5000)
    line = VALID.splitlines().index("  target_cases: 6") + 1
    assert refused(text) == [f"line {line}: identification.target_cases: must be a whole number"]


def test_a_file_with_far_more_keys_than_a_definition_is_refused_before_it_is_built(nothing_saved: None) -> None:
    text = "background:\n" + "- a\n" * 100_000
    assert refused(text) == ["the file has far more keys and values than any audit definition: check it is one"]


def test_a_file_larger_than_a_definition_can_be_is_refused(nothing_saved: None) -> None:
    assert refused("a: " + "x" * MAX_BYTES) == ["the file is larger than 2 MB: it is not a definition"]


def test_a_file_of_thousands_of_problems_lists_the_first_hundred(nothing_saved: None) -> None:
    problems = refused("".join(f"k{number}: 1\n" for number in range(1000)))
    assert problems[0] == "the file has 1,010 problems: the first 100 are listed"
    assert len(problems) == 101


@pytest.mark.parametrize("kind", sorted(HOSTILE_TEXT))
def test_hostile_text_in_prose_is_refused_by_its_key_and_line_or_kept_as_it_is(nothing_saved: None, kind: str) -> None:
    text = HOSTILE_TEXT[kind]
    quoted = '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    outcome = read_or_refuse(VALID.replace("title: Multi-Agency Case Audit on Neglect", f"title: {quoted}"))
    line = VALID.splitlines().index("title: Multi-Agency Case Audit on Neglect") + 1
    if isinstance(outcome, DefinitionError):
        problems = [str(problem) for problem in outcome.problems]
        assert len(problems) == 1
        assert problems[0].startswith(f"line {line}: title: ")
        assert HUGE not in problems[0]
    else:
        assert outcome.title == text.strip()


@pytest.mark.parametrize(
    ("character", "said"),
    [
        ("\\0", "a control character (U+0000)"),
        ("\\e", "a control character (U+001B)"),
        ("\\u202e", "a direction control (U+202E)"),
        ("\\u2066", "a direction control (U+2066)"),
    ],
)
def test_a_character_that_does_not_show_is_refused_by_its_key_and_line(
    nothing_saved: None, character: str, said: str
) -> None:
    text = VALID.replace("title: Multi-Agency Case Audit on Neglect", f'title: "Neglect{character} audit"')
    line = VALID.splitlines().index("title: Multi-Agency Case Audit on Neglect") + 1
    assert refused(text) == [
        f"line {line}: title: contains {said}, which does not show on screen: type the text again without it"
    ]


def test_a_control_character_yaml_itself_refuses_is_named_by_its_line(nothing_saved: None) -> None:
    text = VALID.replace("title: Multi-Agency", "title: Multi\x00Agency")
    line = VALID.splitlines().index("title: Multi-Agency Case Audit on Neglect") + 1
    assert refused(text) == [
        f"line {line}: this is not valid YAML: it contains a character YAML does not allow (U+0000): type the text "
        "again without it"
    ]


def test_a_long_value_is_quoted_cut_short(nothing_saved: None) -> None:
    problems = refused(VALID.replace("- key: neglect_type", f"- key: Neglect{'x' * 100_000}"))
    line = VALID.splitlines().index("- key: neglect_type") + 1
    assert problems[0].startswith(f"line {line}: case_fields[0].key: 'Neglectxxxx")
    assert problems[0].endswith("…' is not in the expected form (^[a-z][a-z0-9_]{0,39}$)")
    assert len(problems[0]) < 200


# --- Through the page and the command ------------------------------------------------------------------------------


def hostile_files() -> dict[str, bytes]:
    return {
        "a billion laughs": yaml_alias_bomb().encode(),
        "UTF-16": ENCODINGS["UTF-16 with its byte order mark"](VALID),
        "Latin-1": ENCODINGS["Latin-1 with an accented letter"](VALID),
        "a null byte": VALID.replace("title: Multi-Agency", "title: Multi\x00Agency").encode(),
        "a direction override": VALID.replace("title: Multi-Agency", 'title: "Multi\\u202eAgency"').encode(),
        "nesting without end": b"a: " + b"[" * 10_000,
        "markup in the reference": VALID.replace(
            "reference: anytown-fuzz-2026", "reference: <script>x</script>"
        ).encode(),
    }


@pytest.mark.parametrize("kind", sorted(hostile_files()))
def test_the_import_page_answers_a_hostile_file_with_its_problems(
    client_for: ClientFor, nothing_saved: None, kind: str
) -> None:
    upload = SimpleUploadedFile("audit.yaml", hostile_files()[kind])
    response = client_for("coordinator").post(URL, {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "<script>x" not in page


@pytest.mark.parametrize("kind", sorted(hostile_files()))
def test_the_command_refuses_a_hostile_file_with_its_problems(nothing_saved: None, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "audit.yaml"
    path.write_bytes(hostile_files()[kind])
    with pytest.raises(CommandError) as raised:
        call_command("import_audit", str(path), "--partnership", "anytown")
    assert str(raised.value).startswith(f"{path} was not imported:")


def test_the_command_refuses_a_file_larger_than_a_definition_before_reading_it(
    nothing_saved: None, tmp_path: Path
) -> None:
    path = tmp_path / "audit.yaml"
    path.write_bytes(b"a: " + b"x" * MAX_BYTES)
    with pytest.raises(CommandError, match="was not imported: it is larger than 2 MB"):
        call_command("import_audit", str(path), "--partnership", "anytown")


def test_the_command_reads_a_file_with_a_byte_order_mark(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "audit.yaml"
    path.write_bytes(VALID.encode("utf-8-sig"))
    call_command("import_audit", str(path), "--partnership", "anytown")
    assert Audit.objects.get(reference="anytown-fuzz-2026").partnership == cast.partnership
