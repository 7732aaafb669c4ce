"""The gallery page in real headless Chromium (Debian chromium + chromium-driver)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import chromium
import pytest
from chromium import check_page, viewport

from conftest import ROOT
from opentrends.publish import figures, gallery, questions, snippets

browser = chromium.browser  # the module-scoped Chromium fixture, shared with the other page tests
in_chromium = pytest.mark.integration  # real Chromium (Debian chromium + chromium-driver)


def jsons() -> list[Path]:
    return sorted(p for p in (ROOT / "figures").glob("*.json") if not p.name.endswith(".vl.json"))


@in_chromium
@pytest.mark.integration
def test_committed_gallery_loads_every_image_and_link(browser):
    page = ROOT / "figures" / "index.html"
    sidecars = sorted(p.stem for p in (ROOT / "figures").glob("*.json") if not p.name.endswith(".vl.json"))
    assert sidecars, "no committed figures"
    result = check_page(browser, page)
    assert result["errors"] == []
    assert result["title"] == "OpenTrends figures"
    assert len(result["images"]) == len(sidecars)
    for src, complete, natural_width, alt in result["images"]:
        assert complete and natural_width > 0, f"{src} did not decode"
        assert alt.strip(), f"{src} has no alt text"
    anchors = [l for l in result["links"] if urlparse(l).fragment]
    files = [l for l in result["links"] if not urlparse(l).fragment]
    groups = [f"q-{q.slug}" for q, _ in questions.group([json.loads(p.read_text()) for p in jsons()])]
    assert set(urlparse(a).fragment for a in anchors) == set(sidecars + groups)  # contents and permalinks
    for anchor in anchors:
        assert browser.find_elements("id", urlparse(anchor).fragment), f"no element for {anchor}"
    assert len(files) == 5 * len(sidecars) + 2 * 4  # PDF, SVG, PNG, CSV, JSON; the 4 charts: CSV download, spec
    for link in files:
        assert link.startswith("file:") and Path(unquote(urlparse(link).path)).is_file(), f"broken link {link}"


def test_gallery_is_self_contained(made_gallery):
    folder, _ = made_gallery
    html = (folder / "index.html").read_text()
    head = html.split("<body>")[0]
    assert "http://" not in head and "https://" not in head
    assert html.count("<script") == 1 and "<script>" in html  # the one inline script, no src
    script = html.split("<script>")[1].split("</script>")[0]
    assert "http" not in script and "import" not in script
    assert not re.search(r'(src|href)="(https?:)?//', html), "the gallery must not load anything from the web"


@in_chromium
@pytest.mark.integration
def test_a_broken_image_would_be_caught(browser, tmp_path):
    """The check can fail: a gallery whose PNG is missing reports naturalWidth 0."""
    for p in (ROOT / "figures").glob("*"):
        shutil.copy(p, tmp_path / p.name)
    victim = next(tmp_path.glob("*.png"))
    victim.unlink()
    gallery.build(tmp_path)
    result = check_page(browser, tmp_path / "index.html")
    broken = [src for src, complete, width, _ in result["images"] if width == 0]
    assert broken == [victim.name]


# A caption and alt text with every character the snippets escape, so "exact text" is tested where it is hard.
TRICKY = {
    "caption": 'Share open (n_open / n_known) & 95% intervals; <b>not bold</b> "quoted" {braces} $5 #1 ~^ \\ end.',
    "alt_text": 'Rising line: 20% -> 50% ("open" > closed) & <more>.',
}


@pytest.fixture(scope="module")
def made_gallery(tmp_path_factory):
    """A gallery built from sidecars written now by the real figures.save (independent of committed figures)."""
    import matplotlib.pyplot as plt
    import pandas as pd

    folder = tmp_path_factory.mktemp("gallery")
    data = pd.DataFrame({"year": [2016, 2017, 2018], "open_share": [0.2, 0.3, 0.5]})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OPENTRENDS_FIGURE_OUTPUT", str(folder))
        for figure_id, width, text in (
            ("tricky-snippets", "single", TRICKY),
            ("wide-figure", "double", {"caption": "Plain.", "alt_text": "A line."}),
        ):
            fig, ax = figures.new_figure(width)
            ax.plot(data["year"], data["open_share"])
            figures.save(
                fig,
                figure_id,
                title=f"Figure {figure_id}",
                sources=["epoch-ai-models@2026-03-30"],
                data=data,
                columns={"year": "year", "open_share": "share"},
                **text,
            )
            plt.close(fig)
    gallery.build(folder)
    sidecars = {s["id"]: s for s in gallery.read_sidecars(folder)}
    return folder, sidecars


def open_gallery(driver, folder: Path) -> None:
    driver.get((folder / "index.html").as_uri())
    # The hook the page offers: every copy attempt fires "opentrends-copy" with what it copied.
    driver.execute_script(
        "window.__copied = []; document.addEventListener('opentrends-copy', e => window.__copied.push(e.detail));"
    )


def clipboard(driver, text: str | None = None) -> str:
    """Read the real clipboard (or write `text` to it first) through the page's async clipboard API."""
    script = """
        var done = arguments[arguments.length - 1], clip = window.__clipboard || navigator.clipboard;
        var write = arguments[0] === null ? Promise.resolve() : clip.writeText(arguments[0]);
        write.then(() => clip.readText()).then(t => done({text: t}), e => done({error: String(e)}));
    """
    result = driver.execute_async_script(script, text)
    assert "error" not in result, f"clipboard not readable: {result}"
    return result["text"]


def click_copy(driver, figure_id: str, kind: str) -> dict:
    from selenium.webdriver.support.ui import WebDriverWait

    card = driver.find_element("id", figure_id)
    details = card.find_element("css selector", "details.embed")
    if not details.get_attribute("open"):
        details.find_element("css selector", "summary").click()
    before = driver.execute_script("return window.__copied.length;")
    card.find_element("css selector", f'button.copy[data-copy="snippet-{figure_id}-{kind}"]').click()
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return window.__copied.length;") > before)
    return driver.execute_script("return window.__copied[window.__copied.length - 1];")


@pytest.fixture
def clipboard_browser(browser):
    browser.execute_cdp_cmd(
        "Browser.grantPermissions", {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]}
    )
    return browser


@in_chromium
@pytest.mark.integration
def test_made_gallery_loads_from_file_without_errors(browser, made_gallery):
    folder, sidecars = made_gallery
    result = check_page(browser, folder / "index.html")
    assert result["errors"] == []
    assert [(src, complete and width > 0) for src, complete, width, _ in result["images"]] == [
        ("tricky-snippets.png", True),
        ("wide-figure.png", True),
    ]
    shown = browser.execute_script(
        "return Array.from(document.querySelectorAll('pre[data-kind]')).map(p => [p.id, p.textContent]);"
    )
    expected = [
        [f"snippet-{fid}-{kind}", sidecars[fid]["snippets"][kind]]
        for fid in sorted(sidecars)
        for kind in ("citation", "markdown", "latex", "html")
    ]
    assert shown == expected


@in_chromium
@pytest.mark.integration
def test_each_copy_button_puts_its_exact_snippet_on_the_clipboard(clipboard_browser, made_gallery):
    folder, sidecars = made_gallery
    open_gallery(clipboard_browser, folder)
    for figure_id, sidecar in sidecars.items():
        for kind in snippets.KINDS:  # the card's snippets (the BibTeX entry stays in the sidecar, for writers)
            snippet = sidecar["snippets"][kind]
            clipboard(clipboard_browser, "sentinel: nothing copied yet")
            event = click_copy(clipboard_browser, figure_id, kind)
            assert event == {"ok": True, "how": "clipboard", "target": f"snippet-{figure_id}-{kind}", "text": snippet}
            assert clipboard(clipboard_browser) == snippet
    assert "\\includegraphics[width=\\textwidth]" in sidecars["wide-figure"]["snippets"]["latex"]
    assert r"\<b\>not bold\</b\>" in sidecars["tricky-snippets"]["snippets"]["markdown"]  # escaped, copied as is


@in_chromium
@pytest.mark.integration
def test_without_the_async_clipboard_the_button_falls_back_to_exec_command(clipboard_browser, made_gallery):
    """As in a browser that refuses navigator.clipboard (older browsers, some file:// set-ups)."""
    folder, sidecars = made_gallery
    open_gallery(clipboard_browser, folder)
    clipboard_browser.execute_script("""
        window.__clipboard = navigator.clipboard;  // kept for the test's own read-back
        Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});
    """)
    snippet = sidecars["tricky-snippets"]["snippets"]["html"]
    clipboard(clipboard_browser, "sentinel: nothing copied yet")
    event = click_copy(clipboard_browser, "tricky-snippets", "html")
    assert event["how"] == "execCommand" and event["ok"] is True and event["text"] == snippet
    assert clipboard(clipboard_browser) == snippet
    assert (
        clipboard_browser.find_element("css selector", 'button.copy[data-copy="snippet-tricky-snippets-html"]').text
        == "Copied"
    )


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_gallery_command_refuses_a_figures_folder_that_is_not_there(tmp_path, monkeypatch, capsys, kind):
    from opentrends.cli.main import main

    folder = tmp_path / "figures"
    if kind == "file":
        folder.write_text("")
    monkeypatch.setenv("OPENTRENDS_FIGURES", str(folder))
    assert main(["gallery"]) == 1
    err = capsys.readouterr().err
    state = "is a file, not a folder" if kind == "file" else "does not exist"
    assert err.startswith(f"error: The figures folder {folder.as_posix()} {state}; there are no figure sidecars")
    assert "Fix: export OPENTRENDS_FIGURES=" in err and "Traceback" not in err
    assert not (folder / "index.html").exists() and (kind == "file") == folder.is_file()


# --- grouped by question, data dictionary, legends, narrow screens, dark scheme -----------------------------------


def test_groups_follow_the_questions_headline_first_then_notebook_then_other():
    sidecars = [
        {"id": "zeta", "notebook": "02_us_vs_china"},
        {"id": "notable-snapshot-changes", "notebook": "00_data_sources"},
        {"id": "claim-us-slipping", "notebook": "05_claims"},
        {"id": "alpha", "notebook": "02_us_vs_china"},
        {"id": "open-share-by-origin", "notebook": "02_us_vs_china"},
        {"id": "stray", "notebook": None},
    ]
    shown = [(q.slug, [s["id"] for s in members]) for q, members in questions.group(sidecars)]
    assert shown == [
        ("us-slipping", ["open-share-by-origin", "claim-us-slipping", "alpha", "zeta"]),
        ("data", ["notable-snapshot-changes"]),
        ("other", ["stray"]),
    ]


def test_legend_items_are_the_captions_sentences_about_bands_and_bounds():
    caption = (
        "Open share by year. The darker band is the 95% Wilson interval; the light band between dotted lines spans "
        "the share if every unlabelled model were closed (bottom) or open (top). Dashed: the trend. Plain end."
    )
    assert gallery.legend_items(caption) == [
        ("band", "The darker band is the 95% Wilson interval."),
        (
            "light-band",
            "The light band between dotted lines spans the share if every unlabelled model were closed "
            "(bottom) or open (top).",
        ),
        ("dashed", "Dashed: the trend."),
    ]
    assert gallery.legend_items("A bar chart of counts.") == []


def test_data_dictionary_follows_the_csv_header_and_names_undescribed_columns():
    sidecar = {"columns": {"year": "publication year", "n": "models"}}
    assert gallery.data_dictionary(sidecar, ["year", "n", "extra"]) == [
        ("year", "publication year"),
        ("n", "models"),
        ("extra", "(no description recorded)"),
    ]
    assert gallery.data_dictionary(sidecar) == [("year", "publication year"), ("n", "models")]


@in_chromium
@pytest.mark.integration
def test_committed_gallery_opens_with_headline_figures_and_shows_each_data_dictionary(browser):
    browser.get((ROOT / "figures" / "index.html").as_uri())
    sections = browser.execute_script(
        "return Array.from(document.querySelectorAll('section[id^=q-]')).map(s => [s.id,"
        " Array.from(s.querySelectorAll('figure')).map(f => [f.id, f.classList.contains('headline')])]);"
    )
    assert sections[0][1][0] == ["open-share-by-origin", True]  # the page opens with a headline figure
    assert [s[0] for s in sections][-1] == "q-data"  # the snapshot-diff chart comes last
    for _, figures_ in sections:
        assert [h for _, h in figures_] == [True] + [False] * (len(figures_) - 1)
    shown = browser.execute_script(
        "return Object.fromEntries(Array.from(document.querySelectorAll('figure')).map(f => [f.id,"
        " Array.from(f.querySelectorAll('table.columns tbody tr')).map(r => Array.from(r.cells).map(c => c.textContent))]));"
    )
    for path in jsons():
        sidecar = json.loads(path.read_text())
        with (ROOT / "figures" / sidecar["files"]["csv"]).open() as handle:
            header = next(csv.reader(handle))
        assert shown[sidecar["id"]] == [[c, sidecar["columns"][c]] for c in header], sidecar["id"]
    legend = browser.execute_script(
        "return Array.from(document.querySelectorAll('#open-share-by-year .legend li')).map(li =>"
        " [li.querySelector('.swatch').className, li.textContent]);"
    )
    assert legend == [
        ["swatch band", "The darker band is the 95% Wilson interval."],
        [
            "swatch light-band",
            "The light band between dotted lines spans the share if every unlabelled model were "
            "closed (bottom) or open (top).",
        ],
    ]


def overlaps(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


RECTS = """
const r = e => { const b = e.getBoundingClientRect();
                 return {left: b.left, right: b.right, top: b.top + scrollY, bottom: b.bottom + scrollY}; };
return {toc: r(document.querySelector('nav.toc')),
        items: Array.from(document.querySelectorAll('nav.toc li > a')).map(r),
        cards: Array.from(document.querySelectorAll('figure, h2.question')).map(r),
        width: document.documentElement.scrollWidth};
"""


@in_chromium
@pytest.mark.integration
def test_at_390_px_the_table_of_contents_overlaps_no_card_and_no_entry(browser):
    viewport(browser, 390, 844)
    try:
        browser.get((ROOT / "figures" / "index.html").as_uri())
        rects = browser.execute_script(RECTS)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert rects["width"] <= 390, "the page scrolls sideways at 390 px"
    assert rects["toc"]["right"] <= 390
    assert not [c for c in rects["cards"] if overlaps(rects["toc"], c)]
    items = rects["items"]
    groups = questions.group([json.loads(p.read_text()) for p in jsons()])
    assert len(items) == len(jsons()) + len(groups)  # one entry per figure and per question
    assert not [(i, j) for i in range(len(items)) for j in range(i) if overlaps(items[i], items[j])]


def test_the_overlap_check_can_fail():
    assert overlaps({"left": 0, "right": 10, "top": 0, "bottom": 10}, {"left": 5, "right": 20, "top": 9, "bottom": 30})
    assert not overlaps(
        {"left": 0, "right": 10, "top": 0, "bottom": 10}, {"left": 0, "right": 10, "top": 10, "bottom": 20}
    )


COLORS = "const s = getComputedStyle(document.body); return [s.backgroundColor, s.color];"


@in_chromium
@pytest.mark.integration
def test_prefers_color_scheme_dark_restyles_the_gallery(browser):
    page = (ROOT / "figures" / "index.html").as_uri()
    try:
        viewport(browser, 1280, 800, "dark")
        browser.get(page)
        dark = browser.execute_script(COLORS)
        viewport(browser, 1280, 800, "light")
        browser.get(page)
        light = browser.execute_script(COLORS)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert dark == ["rgb(22, 24, 28)", "rgb(230, 230, 230)"]
    assert light == ["rgb(255, 255, 255)", "rgb(34, 34, 34)"]


def test_every_card_has_a_visible_permalink_absolute_under_a_base_url(monkeypatch):
    sidecars = [json.loads(p.read_text(encoding="utf-8")) for p in jsons()]
    page = gallery.render(sidecars)
    assert page.count('<a class="permalink" href="#') == len(sidecars)
    assert "<main>" in page and "</main>" in page
    shared = gallery.render(sidecars, base="https://example.org/ot/")
    assert page.count('<a class="permalink" href="https://example.org/ot/figures/index.html#') == 0
    assert shared.count('<a class="permalink" href="https://example.org/ot/figures/index.html#') == len(sidecars)
    assert "![" not in shared or "](https://example.org/ot/figures/" in shared  # the Markdown snippet is absolute


def test_band_swatches_follow_the_figures_open_colour():
    from opentrends.publish import palette

    page = (ROOT / "figures" / "index.html").read_text(encoding="utf-8")
    red, green, blue = (int(palette.ACCESS["open"][i : i + 2], 16) for i in (1, 3, 5))
    assert f".swatch.band {{ background: rgba({red}, {green}, {blue}, 0.45); }}" in page
    assert "0, 114, 178" not in page  # not the United States' blue
