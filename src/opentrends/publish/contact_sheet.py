"""`build/contact-sheet.png`: every committed figure at 600 px wide, the way a reader sees it in a web column.

Figures are read from their PNGs in `figures/` (sorted by id), scaled to 600 px wide with Lanczos, captioned
with their id and laid out two to a row on white. No dates or software chunk: the same figures give the same file.
"""

from __future__ import annotations

from pathlib import Path

from opentrends.core import paths
from opentrends.core.atomic import atomic_path

WIDTH = 600  # px: one web column
GAP = 24
LABEL = 18
COLUMNS = 2


def build(figures_dir: Path | None = None, target: Path | None = None) -> Path:
    """Write the contact sheet of every PNG in `figures_dir` (default the committed figures/) to `target`."""
    from PIL import Image, ImageDraw

    folder = figures_dir or paths.figures_dir()
    target = target or paths.build_dir() / "contact-sheet.png"
    tiles = []
    for png in sorted(folder.glob("*.png")):
        with Image.open(png) as image:
            image = image.convert("RGB")
            height = round(image.height * WIDTH / image.width)
            tiles.append((png.stem, image.resize((WIDTH, height), Image.Resampling.LANCZOS)))
    if not tiles:
        from opentrends.core.errors import OpenTrendsError

        raise OpenTrendsError(f"no figure PNGs in {paths.relative_to_root(folder)}. Fix: run `opentrends run` first.")
    rows = [tiles[i : i + COLUMNS] for i in range(0, len(tiles), COLUMNS)]
    heights = [max(t.height for _, t in row) + LABEL for row in rows]
    sheet = Image.new("RGB", (COLUMNS * WIDTH + (COLUMNS + 1) * GAP, sum(heights) + (len(rows) + 1) * GAP), "white")
    draw = ImageDraw.Draw(sheet)
    y = GAP
    for row, height in zip(rows, heights, strict=True):
        for column, (name, tile) in enumerate(row):
            x = GAP + column * (WIDTH + GAP)
            draw.text((x, y), name, fill="#555555")
            sheet.paste(tile, (x, y + LABEL))
            draw.rectangle((x - 1, y + LABEL - 1, x + WIDTH, y + LABEL + tile.height), outline="#DDDDDD")
        y += height + GAP
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as tmp:
        sheet.save(tmp, format="PNG", optimize=True)
    return target
