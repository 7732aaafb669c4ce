"""Real headless Chromium for page tests (Debian chromium + chromium-driver), shared by the gallery and report tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (`--no-sandbox`: the tests may run as root in a container)."""
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian chromium and chromium-driver (see .ci/run)")
        # "no browser" starts the reason so the root conftest's skip summary names it in the run's last lines
        missing = " and ".join(
            name for name, found in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)) if not found
        )
        pytest.skip(
            f"no browser here: {missing} not on PATH, so the page tests did not run "
            "(fix: apt-get install chromium chromium-driver)"
        )
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
        "--hide-scrollbars",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def viewport(driver, width: int, height: int, scheme: str = "light") -> None:
    """Lay pages out at exactly width x height CSS pixels, with prefers-color-scheme emulated."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
    )


def check_page(driver, page: Path) -> dict:
    """Load a page from the file system: severe console errors, images (src, loaded, width, alt), links, title."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get_log("browser")  # drop what an earlier page logged late (a missing image reports after load)
    driver.get(page.as_uri())
    # Lazy images load as they near the viewport; the check wants every one now.
    driver.execute_script("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; });")
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return Array.from(document.images).every(i => i.complete);")
    )
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    images = driver.execute_script(
        "return Array.from(document.images).map(i => [i.getAttribute('src'), i.complete, i.naturalWidth, i.alt]);"
    )
    links = driver.execute_script("return Array.from(document.links).map(a => a.href);")
    return {"errors": errors, "images": images, "links": links, "title": driver.title}
