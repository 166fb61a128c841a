"""The README's screenshots are there, are PNGs and are small (`make screenshots` takes them from the browser tests)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PNG = b"\x89PNG\r\n\x1a\n"


def test_the_readme_shows_three_small_screenshots_of_the_real_pages() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shots = re.findall(r"!\[[^\]]+\]\((docs/screenshots/[a-z-]+\.png)\)", readme)
    assert len(shots) == 3
    for shot in shots:
        content = (ROOT / shot).read_bytes()
        assert content.startswith(PNG), shot
        width = int.from_bytes(content[16:20], "big")
        assert width == 800, f"{shot} is {width} pixels wide"
        assert len(content) < 150_000, f"{shot} is {len(content) // 1024} KB"
