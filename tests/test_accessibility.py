"""The three kinds of page in real Chromium: axe-core finds no serious or critical violation (light and dark), no
horizontal scroll at 390 px, no nbconvert "No description" alt text, and an interactive chart shows hover values.

axe-core is vendored in tests/vendor (sha256 in VENDOR.json, checked by test_vendor.py), so CI needs no network.
"""

from __future__ import annotations

import time

import chromium
import pytest
from chromium import viewport

from conftest import ROOT

browser = chromium.browser
pytestmark = pytest.mark.integration  # real Chromium (Debian chromium + chromium-driver)

AXE = ROOT / "tests" / "vendor" / "axe.min.js"
# WCAG 2.0-2.2 A and AA (2.2 adds target-size, which the old report failed) and axe's best practices.
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
PAGES = {
    "findings": ROOT / "report" / "index.html",
    "notebook": ROOT / "report" / "02_us_vs_china.html",
    "gallery": ROOT / "figures" / "index.html",
}


def load(driver, page, width=1280, scheme="light"):
    viewport(driver, width, 900, scheme)
    driver.get(page.as_uri())
    driver.execute_script("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; });")
    for _ in range(100):  # the charts replace their PNG once vega-embed has drawn them
        if driver.execute_script("return document.querySelectorAll('.interactive[hidden]').length === 0;"):
            break
        time.sleep(0.1)


def serious(driver) -> list[str]:
    """'rule (impact): node' for every serious or critical axe violation on the loaded page."""
    driver.set_script_timeout(120)
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script(
        f"const TAGS = {list(TAGS)!r};"
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: TAGS}}).then(r => done(r.violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".flatMap(v => v.nodes.map(n => `${v.id} (${v.impact}): ${n.target.join(' ')} ${n.failureSummary}`))))"
        ".catch(e => done(['axe failed: ' + e]));"
    )
    return found


@pytest.fixture(autouse=True)
def reset(browser):
    yield
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_or_critical_violation(browser, name, scheme):
    load(browser, PAGES[name], scheme=scheme)
    assert serious(browser) == [], f"{name} ({scheme})"


@pytest.mark.parametrize("name", list(PAGES))
def test_no_horizontal_scroll_at_390_px_and_every_image_described(browser, name):
    load(browser, PAGES[name], width=390)
    widths = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];"
    )
    assert widths[0] <= widths[1], f"{name} scrolls sideways at 390 px: {widths}"
    alts = browser.execute_script("return Array.from(document.images).map(i => i.getAttribute('alt') || '');")
    assert alts and all(a.strip() for a in alts)
    assert not [a for a in alts if "No description" in a]


def test_findings_come_before_any_contents_at_390_px(browser):
    load(browser, PAGES["findings"], width=390)
    first = browser.execute_script(
        "const f = document.querySelector('article.finding'); return [f.getBoundingClientRect().top, innerHeight,"
        " document.querySelectorAll('nav.toc').length];"
    )
    assert first[0] < first[1] and first[2] == 0  # the first answer starts on the first screen; no contents list


def test_an_interactive_chart_shows_hover_values_and_a_table(browser):
    from selenium.webdriver.common.action_chains import ActionChains

    load(browser, PAGES["findings"])
    figure = "#chart-open-share-by-origin"
    assert browser.execute_script(f"return document.querySelector('{figure} .static').hidden;")
    point = browser.execute_script(
        f"return Array.from(document.querySelectorAll('{figure} .vl svg path[aria-roledescription=\"point\"]'))"
        ".filter(p => p.getBoundingClientRect().width > 0).pop();"
    )
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", point)
    ActionChains(browser).move_to_element(point).perform()
    tooltip = ""
    for _ in range(50):
        tooltip = browser.execute_script(
            "const t = document.getElementById('vg-tooltip-element');"
            " return t && t.classList.contains('visible') ? t.innerText : '';"
        )
        if tooltip:
            break
        time.sleep(0.1)
    assert "open share" in tooltip and "95% interval" in tooltip, tooltip
    browser.execute_script(f"document.querySelector('{figure} button.toggle').click();")
    rows = browser.execute_script(f"return document.querySelectorAll('{figure} .data-table tbody tr').length;")
    assert rows > 10
