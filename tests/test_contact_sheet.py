"""The contact sheet: every figure PNG at 600 px wide, deterministic bytes."""

from __future__ import annotations

import pytest
from PIL import Image

from opentrends.core.errors import OpenTrendsError
from opentrends.publish import contact_sheet


def test_every_png_is_laid_out_at_600_px_and_the_bytes_repeat(tmp_path):
    folder = tmp_path / "figures"
    folder.mkdir()
    for name, size in (("a", (1200, 600)), ("b", (1200, 900)), ("c", (1200, 300))):
        Image.new("RGB", size, "navy").save(folder / f"{name}.png")
    first = contact_sheet.build(folder, tmp_path / "sheet.png")
    with Image.open(first) as sheet:
        assert sheet.width == 2 * 600 + 3 * contact_sheet.GAP
        assert sheet.height == (450 + 18) + (150 + 18) + 3 * contact_sheet.GAP
    again = contact_sheet.build(folder, tmp_path / "again.png")
    assert first.read_bytes() == again.read_bytes()


def test_no_figures_is_an_error_with_the_fix(tmp_path):
    with pytest.raises(OpenTrendsError, match="opentrends run"):
        contact_sheet.build(tmp_path, tmp_path / "sheet.png")
