"""The screenshots the README shows an admin before installing: every one linked is there, is a
picture of a page at its width, and none lies unlinked (docs/screenshots/take.py takes them)."""

from __future__ import annotations

import re
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}


def linked() -> set[str]:
    text = (ROOT / "README.md").read_text()
    return set(re.findall(r"\(docs/screenshots/([\w.-]+\.png)\)", text))


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", path
    return struct.unpack(">II", data[16:24])


def test_every_page_and_both_reports_are_shown_at_both_widths():
    for page in ("warn", "block", "dlp-block", "site-down", "policy", "report-1-day",
                 "report-30-days"):
        for width in WIDTHS:
            assert f"{page}-{width}.png" in linked(), (page, width)


def test_every_linked_screenshot_is_a_png_of_its_width_and_none_is_unlinked():
    on_disk = {p.name for p in SHOTS.glob("*.png")}
    assert on_disk == linked()
    for name in on_disk:
        width, height = png_size(SHOTS / name)
        assert width == WIDTHS[name.rsplit("-", 1)[1].removesuffix(".png")], name
        assert 600 <= height <= 2400, (name, height)
