"""The findings-first report: its sentences on small hand-made tables, and the committed page in real Chromium."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import chromium
import pandas as pd
import pytest
from chromium import check_page
from stated import states

from conftest import ROOT
from opentrends.core.errors import OpenTrendsError
from opentrends.publish import findings, html_page, report

browser = chromium.browser  # the module-scoped Chromium fixture, shared with the other page tests
in_chromium = pytest.mark.integration  # real Chromium (Debian chromium + chromium-driver)


# --- the sentences -----------------------------------------------------------------------------------------------


def shares(rows):
    """open-share-by-origin rows: (year, origin, n_open, n_known, partial)."""
    return pd.DataFrame(
        [
            {
                "population": "all",
                "year": y,
                "origin": o,
                "n_open": k,
                "n_known": n,
                "open_share": k / n if n else float("nan"),
                "partial_year": p,
            }
            for y, o, k, n, p in rows
        ]
    )


SHARES = [
    (2023, "United States", 5, 10, False),
    (2023, "China", 6, 10, False),
    (2024, "United States", 5, 10, False),
    (2024, "China", 7, 10, False),
    (2025, "United States", 4, 10, False),
    (2025, "China", 8, 10, False),
    (2026, "United States", 0, 10, True),  # partial: never the last year of a comparison
    (2026, "China", 10, 10, True),
]


def test_us_slipping_leads_with_the_ledgers_change_tested_verdicts_and_gives_endpoints_as_context():
    claim = {"id": "us-slipping", "verdict": "mixed", "since_verdict": "supported", "as_of": "2025-08-01"}
    assert findings.us_slipping(shares(SHARES), claim) == (
        "Tested as change across all years, the claim that the US is slipping is mixed on what was known by "
        "2025-08-01 and supported on everything pinned now. As context, among models with a known accessibility "
        "label (the 'all' population), the US open-weights share went from 50% (5 of 10) in 2023 to 40% (4 of 10) "
        "in 2025, China's from 60% (6 of 10) to 80% (8 of 10); the China-minus-US gap moved from +10 percentage "
        "points to +40 percentage points."
    )


def test_us_slipping_without_a_ledger_does_not_call_two_endpoints_a_trend():
    rows = [r for r in SHARES if r[0] != 2025] + [(2025, "United States", 7, 10, False), (2025, "China", 7, 10, False)]
    assert findings.us_slipping(shares(rows)) == (
        "Not tested as change here (no claims ledger); as context, among models with a known accessibility label "
        "(the 'all' population), the US open-weights share went from 50% (5 of 10) in 2023 to 70% (7 of 10) in "
        "2025, China's from 60% (6 of 10) to 70% (7 of 10); the China-minus-US gap moved from +10 percentage points "
        "to +0 percentage points."
    )


def test_us_slipping_without_a_share_says_so_instead_of_nan():
    rows = [r for r in SHARES if r[:2] != (2025, "China")] + [(2025, "China", 0, 0, False)]
    assert findings.us_slipping(shares(rows)) == (
        "Not answered: US and China open shares for both 2023 and 2025 are not in the figure's data."
    )


BEST = pd.DataFrame(
    [
        ("2024-01-01", "United States", 100.0, "A"),
        ("2024-01-01", "China", 90.0, "B"),
        ("2024-06-01", "United States", 100.0, "A"),
        ("2024-06-01", "China", 105.0, "C"),
        ("2024-09-01", "United States", 110.0, "D"),
        ("2024-09-01", "China", 105.0, "C"),
        ("2025-01-01", "United States", 110.0, "D"),
        ("2025-01-01", "China", 120.0, "E"),
        ("2025-03-01", "United States", 110.0, "D"),
        ("2025-03-01", "China", 120.0, "E"),
    ],
    columns=["date", "origin", "best_eci", "model"],
)


def test_open_leader_names_the_best_model_the_margin_and_the_start_of_the_unbroken_lead():
    assert findings.open_leader(BEST) == (
        "China: on 2025-03-01 the best open-weights model on the Epoch Capabilities Index is E (China, 120.0), "
        "10.0 points ahead of the best open model from the United States, D (110.0); China has led since 2025-01-01."
    )


def test_open_gap_reads_the_last_gap_and_the_newest_compute_lag():
    gap = pd.DataFrame({"date": ["2026-01-01", "2026-06-16"], "eci_gap": [5.0, 8.3], "lag_months": [2.0, 3.5]})
    estimates = pd.DataFrame(
        [
            ("report@2024-11-05", "separate slopes", 15.0, 10.0, 20.0),
            ("models@2026-03-30", "separate slopes", 20.0, 15.0, 25.0),
            ("models@2026-03-30", "same slope", 17.0, 12.0, 22.0),
        ],
        columns=["dataset", "method", "lag_months", "ci_low", "ci_high"],
    )
    assert findings.open_gap(gap, estimates) == (
        "On capability, the best open model trails the best closed one by 8.3 points on the Epoch Capabilities "
        "Index on 2026-06-16; the closed frontier reached its score 3.5 months earlier. On training compute, the "
        "open frontier trails the closed one by 20.0 months (90% interval 15.0–25.0 months; models@2026-03-30, "
        "separate slopes), 17.0 months with one common slope."
    )
    leads = pd.DataFrame({"date": ["2026-06-16"], "eci_gap": [-1.0], "lag_months": [0.0]})
    assert findings.open_gap(leads) == "On capability, the best open model leads the best closed one on 2026-06-16."


def test_builders_reads_the_registered_windows_from_the_ledger_and_no_other_pair():
    rows = []
    for i, month in enumerate(["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]):
        china, us = (1, 3) if i < 2 else (3, 1)  # first two months 2 of 8; last two 6 of 8
        rows += [(month, "China", china, False), (month, "United States", us, False)]
    rows += [("2024-06", "China", 9, True), ("2024-06", "United States", 1, True)]
    table = pd.DataFrame(rows, columns=["month", "origin", "new_finetunes", "partial_month"])
    fit = {"first": "[2024-01..2024-02]", "last": "[2024-04..2024-05]"}
    item = {"since_evidence": {"indicators": {"hub_new_finetunes_chinese_share": {"fit": fit}}}}
    windows = findings.registered_windows(item)
    assert windows == (("2024-01", "2024-02"), ("2024-04", "2024-05"))
    sentence = findings.builders(table, windows)
    assert states(sentence, "25% (2 of 8)", "2024-01", "2024-02", "75% (6 of 8)", "2024-04", "2024-05")
    assert findings.registered_windows({}) is None
    assert findings.builders(table, None).startswith("Not answered")
    assert findings.builders(table, (("2023-01", "2023-06"), ("2024-04", "2024-05"))).startswith("Not answered")
    late = findings.builders_values(table, (("2024-01", "2024-02"), ("2024-05", "2024-06")))
    assert (late["k1"], late["n1"]) == (3, 4)  # the partial month 2024-06 is left out


def test_claims_summary_counts_verdicts_and_reads_both_when_the_ledger_has_both():
    one = [{"verdict": v} for v in ("supported", "mixed", "supported", "not testable")]
    assert findings.claims_summary(one) == "Of the 4 claims of the op-ed, 2 supported, 1 mixed and 1 not testable."
    since = ("supported", "supported", "supported", "mixed")
    two = [dict(item, since_verdict=s, as_of="2025-08-01") for item, s in zip(one, since)]
    assert findings.claims_summary(two) == (
        "Of the 4 claims of the op-ed, 2 supported, 1 mixed and 1 not testable as of 2025-08-01; "
        "with everything pinned now, 3 supported and 1 mixed."
    )
    assert findings.claims_summary([]) == (
        "Not answered: the claims ledger (claims/ledger.json) is not recorded for this run."
    )


def test_claims_table_shows_both_verdicts_when_present():
    ledger = [
        {
            "id": "x",
            "claim": "A claim.",
            "verdict": "not testable",
            "summary": "Before.",
            "since_verdict": "mixed",
            "since_summary": "Since.",
            "as_of": "2025-08-01",
        },
    ]
    page = html_page.render("report_claims.html.j2", claims=report.claims(ledger, {}))
    assert '<th scope="col">as of 2025-08-01</th><th scope="col">now</th>' in page
    assert (
        '<td><span class="verdict v-not-testable">not testable</span></td><td><span class="verdict v-mixed">mixed</span>'
        in page
    )
    old = html_page.render(
        "report_claims.html.j2",
        claims=report.claims([{k: ledger[0][k] for k in ("id", "claim", "verdict", "summary")}], {}),
    )
    assert '<td><span class="verdict v-not-testable">not testable</span></td></tr>' in old and "now</th>" not in old


def test_read_ledger_takes_a_list_or_a_mapping_and_a_missing_file_is_empty(tmp_path):
    items = [{"id": "x", "verdict": "supported"}]
    (tmp_path / "list.json").write_text(json.dumps(items))
    (tmp_path / "map.json").write_text(json.dumps({"as_of": "2025-08-01", "claims": items}))
    assert report.read_ledger(tmp_path / "list.json") == items
    assert report.read_ledger(tmp_path / "map.json") == items
    assert report.read_ledger(tmp_path / "none.json") == []


def test_visible_nan_ignores_folded_code_and_finds_text():
    page = '<p>share: NaN points</p><details class="code"><summary>Code</summary>float("nan")</details><p>Nanjing</p>'
    shown = report.visible_nan(page)
    assert len(shown) == 1 and "share: NaN points" in shown[0] and "float" not in shown[0]


def test_report_refuses_a_missing_figures_folder(tmp_path):
    with pytest.raises(OpenTrendsError, match=r"figures folder .* does not exist.*Fix: run `opentrends run` first"):
        report.build(tmp_path / "figures", tmp_path / "notebooks", tmp_path / "report")
    assert not (tmp_path / "report").exists()


# --- the committed page --------------------------------------------------------------------------------------------

PAGE = ROOT / "report" / "index.html"


def test_committed_report_is_what_the_command_builds_from_the_committed_inputs(tmp_path):
    """Same inputs, same bytes: rebuilt from figures/, notebooks/ and claims/ into report/ every page matches."""
    built = report.render(ROOT / "figures", ROOT / "notebooks", ROOT / "claims" / "ledger.json", ROOT / "report")
    assert sorted(built) == sorted(p.name for p in (ROOT / "report").glob("*.html"))
    for name, page in built.items():
        assert page == (ROOT / "report" / name).read_text(encoding="utf-8"), (
            f"report/{name} is stale: run `opentrends report`"
        )
        assert not re.search(r"/(work|root|home|tmp)/", page), f"a machine path in report/{name}"
        assert "No description has been provided" not in page


def test_findings_page_is_light_and_says_each_answer_in_at_most_25_words():
    page = PAGE.read_text(encoding="utf-8")
    assert len(page.encode()) < 300_000
    answers = [re.sub(r"<[^>]+>", "", a) for a in re.findall(r'<p class="answer-text">(.*?)</p>', page, re.S)]
    assert len(answers) == 5 and all(len(a.split()) <= 25 for a in answers), answers
    assert len(re.findall(r'<p class="big"><span class="number">', page)) == 5
    assert len(re.findall(r"<p class=\"asof\">Data as of \d{4}-\d\d-\d\d\.", page)) == 5
    assert 'loading="lazy"' in page and "data:image" not in page
    assert '<meta name="description"' in page and '<meta property="og:image" content="../figures/' in page
    assert "@media print" in page
    assert page.index('id="findings"') < page.index('id="notebooks"')


def test_a_base_url_makes_every_link_absolute(monkeypatch):
    built = report.render(
        ROOT / "figures",
        ROOT / "notebooks",
        ROOT / "claims" / "ledger.json",
        ROOT / "report",
        base="https://example.org/ot/",
    )
    page = built["index.html"]
    assert '<meta property="og:image" content="https://example.org/ot/figures/open-share-by-origin.png">' in page
    assert '<link rel="canonical" href="https://example.org/ot/report/index.html">' in page
    hrefs = re.findall(r'(?:href|src)="([^"#][^"]*)"', page)
    assert hrefs and all(h.startswith(("https://", "data:")) for h in hrefs), [
        h for h in hrefs if not h.startswith("https://")
    ]


@in_chromium
@pytest.mark.integration
def test_committed_report_renders_every_figure_and_link_and_never_shows_nan(browser):
    result = check_page(browser, PAGE)
    assert result["errors"] == []
    assert result["title"] == report.TITLE
    for src, complete, width, _ in result["images"]:
        assert complete and width > 0, f"{src[:60]} did not decode"
    local = [l for l in result["links"] if l.startswith("file:")]
    for link in local:
        path = Path(unquote(urlparse(link).path))
        assert path.is_file() and path.resolve().is_relative_to(ROOT), f"broken or outside the repository: {link}"
    text = browser.execute_script("return document.body.innerText;")
    assert not re.search(r"\bnan\b", text, re.I)
    headings = browser.execute_script(
        "return Array.from(document.querySelectorAll('article.finding h2')).map(s => s.textContent);"
    )
    assert headings == [
        "Is the US slipping?",
        "Who leads open AI now?",
        "How far behind are open models?",
        "Where do builders build?",
        "Which of the op-ed's claims hold?",
    ]
    derived = browser.execute_script(
        "return Array.from(document.querySelectorAll('p.asof a')).map(a => a.getAttribute('href'));"
    )
    assert derived[:4] == [
        "02_us_vs_china.html#02_us_vs_china-Open-share-by-origin:-is-the-US-slipping?",
        "03_frontier_gap.html#03_frontier_gap-Is-the-best-open-model-Chinese-or-American?",
        "03_frontier_gap.html#03_frontier_gap-The-ECI-gap-with-its-interval",
        "07_hub_over_time.html#07_hub_over_time-New-fine-tunes-by-the-origin-of-the-base-model,-month-by-month",
    ]
    for href in derived[:4]:
        name, anchor = href.split("#")
        assert f'id="{anchor}"' in (ROOT / "report" / name).read_text(encoding="utf-8"), href
    assert browser.execute_script("return document.querySelectorAll('table.claims tbody tr').length;") == 12
    sources = browser.execute_script("return document.querySelectorAll('#sources li').length;")
    assert sources == len(list((ROOT / "data" / "sources").glob("*.yaml")))


@in_chromium
@pytest.mark.integration
def test_a_report_whose_figure_is_missing_shows_a_broken_image(browser, tmp_path):
    """The image check can fail: without the headline PNG, Chromium reports width 0 for it (JavaScript off: the
    interactive chart would replace it)."""
    shutil.copytree(ROOT / "figures", tmp_path / "figures")
    shutil.copytree(ROOT / "report", tmp_path / "report")
    (tmp_path / "figures" / "best-open-model-by-origin.png").unlink()
    (tmp_path / "report" / "vendor" / "vega.min.js").unlink()
    result = check_page(browser, tmp_path / "report" / "index.html")
    assert [s for s, _, width, _ in result["images"] if width == 0] == ["../figures/best-open-model-by-origin.png"]


def test_the_base_url_setting_ends_in_a_slash_and_is_empty_when_unset(monkeypatch):
    from opentrends.core import paths

    monkeypatch.delenv("OPENTRENDS_BASE_URL", raising=False)
    assert paths.base_url() == ""
    monkeypatch.setenv("OPENTRENDS_BASE_URL", "https://example.org/ot")
    assert paths.base_url() == "https://example.org/ot/"


def test_the_readmes_findings_are_the_pages_answers_word_for_word():
    import html

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("<!-- findings:") : readme.index("<!-- end findings -->")]
    said = [re.sub(r"^- \*\*[^*]+\*\* ", "", line) for line in block.splitlines() if line.startswith("- ")]
    page = PAGE.read_text(encoding="utf-8")
    answers = [
        html.unescape(re.sub(r"<[^>]+>", "", a)) for a in re.findall(r'<p class="answer-text">(.*?)</p>', page, re.S)
    ]
    assert len(said) == 3 and said == answers[:3], "README's findings are stale: copy them from report/index.html"
    assert "(figures/open-share-by-origin.png)](report/index.html)" in readme
