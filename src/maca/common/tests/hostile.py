"""Hostile files for the imports' fuzz tests: mutations of a valid file, generated with Hypothesis, and a fixed set
of known attacks (huge cells, null bytes, unusual Unicode, wrong encodings, zip bombs, markup and formulas).

Every import uses them the same way: the reading function may refuse a file only with its own error and a message,
never with any other exception; the page answers with the message, never a server error; the command exits with
a `CommandError`; and nothing is saved.
"""

import functools
import io
import re
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

# The same examples on every run (CI is deterministic), no example database, no deadline on a slow shared machine.
# The tests reuse one audit (a function-scoped fixture) for every example: reading saves nothing, so that is safe.
FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "maca-hypothesis")

CSV_FIELD_LIMIT = 131_072  # Python's csv module refuses a longer field unless told otherwise
HUGE = "x" * (CSV_FIELD_LIMIT + 1_000)

# Text a person could never mean but a file can hold: each must be refused or kept as plain text, never run.
HOSTILE_TEXT = {
    "a cell longer than the csv module's limit": HUGE,
    "a null byte": "HSB\x00-01",
    "a right-to-left override": "HSB-\u202e10-ABC",
    "stacked combining accents": "H" + "\u0301\u0308\u0327" * 40,
    "emoji with modifiers": "\U0001f9d2\U0001f3fd\u200d\U0001f9b1",
    "zero-width and bidi marks": "\u200b\u200f\u2066HSB-01\u2069",
    "a byte order mark inside": "HSB\ufeff-01",
    "line and paragraph separators": "one\u2028two\u2029three",
    "a terminal escape": "\x1b[31mred\x1b[0m",
    "markup": "<script>alert('maca')</script>",
    "a formula": "=1+1",
    "a formula starting with plus": '+HYPERLINK("http://example.invalid")',
    "a formula starting with at": "@SUM(1+1)",
    "a dynamic data exchange call": "=cmd|' /C calc'!A0",
}

# The text of an example file in other encodings than UTF-8, and UTF-8 that is not well formed.
ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "UTF-16 with its byte order mark": lambda text: text.encode("utf-16"),
    "UTF-16 big-endian without a byte order mark": lambda text: text.encode("utf-16-be"),
    "UTF-32": lambda text: text.encode("utf-32"),
    "Latin-1 with an accented letter": lambda text: (text + "\nZoë,Ængus").encode("latin-1"),
    "Windows-1252 curly quotes": lambda text: (text + "\n“quoted”").encode("cp1252"),
    "a lone surrogate in UTF-8": lambda text: (text + "\ud800").encode("utf-8", "surrogatepass"),
    "UTF-8 cut inside a character": lambda text: (text + "é").encode("utf-8")[:-1],
}

# UTF-8 as some programs write it, which should be read as it is.
BYTE_ORDER_MARKS: dict[str, Callable[[str], bytes]] = {
    "one byte order mark": lambda text: text.encode("utf-8-sig"),
    "two byte order marks": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8-sig"),
}

BOMB_BYTES = 200 * 1024 * 1024  # what a bomb's part unpacks to: far more than any file maca reads


def zip_replacing(content: bytes, parts: dict[str, bytes], *, drop: tuple[str, ...] = ()) -> bytes:
    """The zip archive (an XLSX, a DOCX) with some parts replaced or added, and some left out."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in drop or info.filename in parts:
                continue
            target.writestr(info, source.read(info.filename))
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


@functools.cache
def _deflated_zeros(size: int) -> tuple[bytes, int]:
    """`size` zero bytes, deflated in chunks (never held in memory whole), and their CRC."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1024 * 1024)
    parts, crc = [], 0
    for _ in range(size // len(chunk)):
        parts.append(compressor.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    parts.append(compressor.flush())
    return b"".join(parts), crc


def _stored_entry(name: str, compressed: bytes, crc: int, size: int, declared: int, offset: int) -> tuple[bytes, bytes]:
    """A deflated member's local header with its data, and its central directory record."""
    encoded = name.encode()
    local = (
        struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(compressed), declared, len(encoded), 0)
        + encoded
        + compressed
    )
    central = (
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0x21,
            crc,
            len(compressed),
            declared,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        + encoded
    )
    return local, central


def zip_bomb(content: bytes, part: str, *, understate: bool = False) -> bytes:
    """The archive with `part` replaced by one that unpacks to `BOMB_BYTES` of zeros from a few hundred kilobytes.

    With `understate`, the archive also lies: it declares the part's unpacked size as 1 kB, so that adding up the
    sizes an archive declares cannot see the bomb."""
    compressed, crc = _deflated_zeros(BOMB_BYTES)
    declared = 1024 if understate else BOMB_BYTES
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        members = [(info.filename, source.read(info.filename)) for info in source.infolist() if info.filename != part]
    body, directory = b"", b""
    for name, data in members:
        deflater = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = deflater.compress(data) + deflater.flush()
        local, central = _stored_entry(name, packed, zlib.crc32(data), len(data), len(data), len(body))
        body, directory = body + local, directory + central
    local, central = _stored_entry(part, compressed, crc, BOMB_BYTES, declared, len(body))
    body, directory = body + local, directory + central
    count = len(members) + 1
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), len(body), 0)
    return body + directory + end


def xml_entity_bomb(root: str = "worksheet") -> bytes:
    """An XML document whose entities expand a billion times over ("billion laughs")."""
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE '
        + root
        + " ["
        + "".join(entities)
        + "]>\n<"
        + root
        + ">&lol9;</"
        + root
        + ">"
    ).encode()


def yaml_alias_bomb() -> str:
    """A YAML document whose aliases expand a billion times over."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]")
    return "\n".join(lines) + "\n"


def _flipped(content: bytes, changes: list[tuple[int, int]]) -> bytes:
    data = bytearray(content)
    for position, value in changes:
        data[position % len(data)] = value
    return bytes(data)


def mutations(valid: bytes) -> st.SearchStrategy[bytes]:
    """Files made from a valid one: bytes changed, cut short, inserted or repeated, or random bytes altogether."""
    if not valid:
        return st.binary(max_size=2048)
    size = len(valid)
    return st.one_of(
        st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, 255)), min_size=1, max_size=8).map(
            lambda changes: _flipped(valid, changes)
        ),
        st.integers(0, size - 1).map(lambda end: valid[:end]),
        st.tuples(st.integers(0, size), st.binary(min_size=1, max_size=64)).map(
            lambda cut: valid[: cut[0]] + cut[1] + valid[cut[0] :]
        ),
        st.tuples(st.integers(0, size - 1), st.integers(1, size)).map(
            lambda cut: valid[: cut[0]] + valid[cut[0] : cut[0] + cut[1]] * 2 + valid[cut[0] + cut[1] :]
        ),
        st.binary(max_size=2048),
        st.binary(max_size=512).map(lambda tail: valid[:4] + tail),
    )


# Values that break a part of an Office package where a value is expected: cell references beyond a spreadsheet's,
# numbers beyond any range, cell types, and markup.
_XML_VALUES = [
    b"",
    b"0",
    b"-1",
    b"two",
    b"A0",
    b"ZZZZ1",
    b"XFD1048577",
    b"1048577",
    b"999999999999",
    b"1e308",
    b"-1e308",
    b"nan",
    b"inf",
    b"s",
    b"n",
    b"d",
    b"b",
    b"e",
    b"str",
    b"inlineStr",
    b"&#0;",
    b"&lol;",
    b"<",
    b"]]>",
    "é\u202e".encode(),
]
_XML_VALUE = re.compile(rb'="([^"]*)"|>([^<]+)<')


def _replaced(xml: bytes, span: tuple[int, int], value: bytes) -> bytes:
    return xml[: span[0]] + value + xml[span[1] :]


def xml_mutations(xml: bytes) -> st.SearchStrategy[bytes]:
    """XML whose attribute values and texts are replaced by values that do not belong there, or bytes mutated."""
    spans = [match.span(1) if match[1] is not None else match.span(2) for match in _XML_VALUE.finditer(xml)]
    if not spans:
        return mutations(xml)
    values = st.one_of(st.sampled_from(_XML_VALUES), st.binary(max_size=12))
    return st.one_of(
        st.tuples(st.sampled_from(spans), values).map(lambda change: _replaced(xml, *change)),
        mutations(xml),
    )


def part_mutations(content: bytes, parts: tuple[str, ...] = ()) -> st.SearchStrategy[bytes]:
    """An archive (XLSX, DOCX) that stays well packed but one of its parts (of `parts`, or any) is mutated, as XML
    or as bytes, or left out, so that the file reaches the reader of the part rather than failing as a damaged
    archive."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        data = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    names = list(parts) or sorted(data)

    def mutated(name: str) -> st.SearchStrategy[bytes]:
        return xml_mutations(data[name]).map(lambda part: zip_replacing(content, {name: part}))

    return st.one_of(
        st.sampled_from(names).flatmap(mutated),
        st.sampled_from(names).map(lambda name: zip_replacing(content, {}, drop=(name,))),
    )


def workbook_listing(content: bytes, sheets: int) -> bytes:
    """The XLSX workbook with its workbook part listing `sheets` sheets, each of them the first sheet again: a few
    bytes a sheet in the file, and a reader opens every one."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        workbook = archive.read("xl/workbook.xml")
    first = re.search(rb"<sheet [^>]*/>", workbook)
    assert first is not None
    relation = re.search(rb'r:id="([^"]+)"', first[0])
    assert relation is not None
    namespace = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    listed = b"".join(
        b'<sheet %s name="S%d" sheetId="%d" r:id="%s"/>' % (namespace, number, number, relation[1])
        for number in range(1, sheets + 1)
    )
    start, end = workbook.index(b"<sheets>"), workbook.index(b"</sheets>")
    return zip_replacing(content, {"xl/workbook.xml": workbook[: start + 8] + listed + workbook[end:]})
