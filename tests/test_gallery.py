"""The gallery page in real headless Chromium (Debian chromium + chromium-driver)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import ROOT
from opentrends import gallery

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
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--allow-file-access-from-files"):
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


def test_gallery_is_self_contained():
    html = (ROOT / "figures" / "index.html").read_text()
    assert "http://" not in html.split("<body>")[0] and "https://" not in html.split("<body>")[0]
    assert "<script" not in html


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
