"""The partnership's logo: a PNG or JPEG recognised by its bytes, never by its name."""

import struct
import zlib
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from maca.partnerships.models import AccessAction, AccessLogEntry, Partnership
from maca.tests.cast import Cast


def tiny_png() -> bytes:
    """A real 1×1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x1d\x70\xb8")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def test_a_coordinator_uploads_the_logo(client_for: Callable[[str], Client], cast: Cast) -> None:
    client = client_for("coordinator")
    upload = SimpleUploadedFile("logo.png", tiny_png(), content_type="image/png")
    response = client.post("/p/anytown/logo/", {"logo": upload}, follow=True)
    assert "The logo has been uploaded." in response.content.decode()
    partnership = Partnership.objects.get(pk=cast.partnership.pk)
    assert partnership.logo_content_type == "image/png"
    assert partnership.logo.read() == tiny_png()
    entry = AccessLogEntry.objects.get(action=AccessAction.CHANGED, content_type__model="partnership")
    assert entry.changes["logo"][1].startswith("logos/anytown")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "The logo must be a PNG or JPEG image"),
        (b"GIF89a....", "The logo must be a PNG or JPEG image"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * (1024 * 1024), "The logo must be 1 MB or smaller"),
    ],
)
def test_anything_else_is_refused_and_nothing_is_saved(
    client_for: Callable[[str], Client], cast: Cast, content: bytes, message: str
) -> None:
    upload = SimpleUploadedFile("logo.png", content, content_type="image/png")
    response = client_for("coordinator").post("/p/anytown/logo/", {"logo": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Partnership.objects.get(pk=cast.partnership.pk).logo
