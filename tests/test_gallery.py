"""The gallery page in real headless Chromium (Debian chromium + chromium-driver)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import ROOT
from opentrends.publish import figures, gallery

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian chromium and chromium-driver (see .ci/run)")
        pytest.skip("Debian chromium + chromium-driver are not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--allow-file-access-from-files",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def check_page(driver, page: Path) -> dict:
    driver.get(page.as_uri())
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    images = driver.execute_script(
        "return Array.from(document.images).map(i => [i.getAttribute('src'), i.complete, i.naturalWidth, i.alt]);"
    )
    links = driver.execute_script("return Array.from(document.links).map(a => a.href);")
    return {"errors": errors, "images": images, "links": links, "title": driver.title}


@pytest.mark.integration
def test_committed_gallery_loads_every_image_and_link(browser):
    page = ROOT / "figures" / "index.html"
    sidecars = sorted(p.stem for p in (ROOT / "figures").glob("*.json"))
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
    assert sorted(urlparse(a).fragment for a in anchors) == sidecars  # table of contents
    for anchor in anchors:
        assert browser.find_elements("id", urlparse(anchor).fragment), f"no element for {anchor}"
    assert len(files) == 5 * len(sidecars)  # PDF, SVG, PNG, CSV, JSON
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


@pytest.mark.integration
def test_each_copy_button_puts_its_exact_snippet_on_the_clipboard(clipboard_browser, made_gallery):
    folder, sidecars = made_gallery
    open_gallery(clipboard_browser, folder)
    for figure_id, sidecar in sidecars.items():
        for kind, snippet in sidecar["snippets"].items():
            clipboard(clipboard_browser, "sentinel: nothing copied yet")
            event = click_copy(clipboard_browser, figure_id, kind)
            assert event == {"ok": True, "how": "clipboard", "target": f"snippet-{figure_id}-{kind}", "text": snippet}
            assert clipboard(clipboard_browser) == snippet
    assert "\\includegraphics[width=\\textwidth]" in sidecars["wide-figure"]["snippets"]["latex"]
    assert r"\<b\>not bold\</b\>" in sidecars["tricky-snippets"]["snippets"]["markdown"]  # escaped, copied as is


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
