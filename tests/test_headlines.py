"""The findings page's headline values on small hand-made tables: read from the tables and the ledger, not recomputed."""

from __future__ import annotations

import pandas as pd

from opentrends.publish import headlines, html_page

LEDGER = [
    {
        "id": "us-slipping",
        "verdict": "mixed",
        "since_verdict": "supported",
        "as_of": "2025-08-01",
        "since_sources": ["epoch-ai-models@2026-03-30", "hf-x@2026-08-21"],
    },
    {
        "id": "builders-turn-to-chinese",
        "verdict": "supported",
        "since_verdict": "mixed",
        "as_of": "2025-08-01",
        "since_evidence": {
            "indicators": {
                "hub_new_finetunes_chinese_share": {
                    "fit": {
                        "estimate": 52.24,
                        "ci_low": 48.27,
                        "ci_high": 52.48,
                        "first": "[2024-01..2024-06]",
                        "last": "[2024-07..2024-12]",
                    }
                }
            }
        },
    },
    {"id": "z", "verdict": "not testable", "since_verdict": "supported", "as_of": "2025-08-01"},
]


def share_rows():
    rows = []
    for year, us, cn in ((2023, 0.5, 0.6), (2024, 0.5, 0.7), (2025, 0.4, 0.8)):
        for origin, share in (("United States", us), ("China", cn)):
            rows.append(
                {
                    "population": "all",
                    "year": year,
                    "origin": origin,
                    "n_open": share * 10,
                    "n_known": 10,
                    "open_share": share,
                    "ci_low": share - 0.2,
                    "ci_high": share + 0.1,
                    "partial_year": False,
                }
            )
    return pd.DataFrame(rows)


def words(slug, headline):
    module = html_page.environment().get_template("report_words.html.j2").module
    return getattr(module, slug.replace("-", "_"))(headline)


def test_us_slipping_reads_the_last_complete_year_its_interval_and_both_verdicts():
    h = headlines.us_slipping(share_rows(), LEDGER[0])
    assert (h.number, h.interval, h.oped, h.latest) == ("40%", "95% interval 20%–50%", "mixed", "supported")
    assert str(words("us-slipping", h)) == (
        "Yes: the share of US models released with open weights fell from 50% in 2023 to 40% in 2025; China’s was 80%."
    )
    assert headlines.us_slipping(share_rows(), None) is None


def test_open_leader_gives_the_leader_now_and_on_the_op_eds_date():
    best = pd.DataFrame(
        [
            ("2025-01-01", "United States", 100.0, "A"),
            ("2025-01-01", "China", 90.0, "B"),
            ("2026-01-01", "United States", 100.0, "A"),
            ("2026-01-01", "China", 110.5, "C"),
        ],
        columns=["date", "origin", "best_eci", "model"],
    )
    h = headlines.open_leader(best, "2025-08-01")
    assert (h.number, h.oped, h.latest) == ("110.5", "United States, A (100.0)", "China, C (110.5)")
    assert str(words("who-leads", h)) == (
        "China: its best open model, C, scores 110.5 on Epoch’s capability index, 10.5 points above the best US one."
    )


def test_open_gap_puts_the_newest_dataset_before_the_op_ed_beside_the_newest():
    gap = pd.DataFrame({"date": ["2026-06-16"], "eci_gap": [8.6], "lag_months": [6.94]})
    estimates = pd.DataFrame(
        [
            ("old@2024-11-05", "separate slopes", 15.37, 6.4, 21.9),
            ("new@2026-03-30", "separate slopes", 23.4, 16.1, 30.1),
            ("new@2026-03-30", "same slope", 16.8, 12.0, 20.0),
        ],
        columns=["dataset", "method", "lag_months", "ci_low", "ci_high"],
    )
    h = headlines.open_gap(gap, estimates, "2025-08-01", "90%")
    assert (h.number, h.interval) == ("23.4 months", "90% interval 16.1–30.1")
    assert (h.oped, h.latest) == ("15.4 months (data of 2024-11-05)", "23.4 months (data of 2026-03-30)")
    assert len(str(words("how-far-behind", h)).split()) <= 25


def test_builders_and_claims_read_the_ledger():
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    rows = [
        {
            "month": m,
            "origin": o,
            "new_finetunes": n,
            "china_share": 0.5,
            "china_share_without_top_bases": 0.4,
            "partial_month": False,
        }
        for i, m in enumerate(months)
        for o, n in (("China", i), ("United States", 10))
    ]
    h = headlines.builders(pd.DataFrame(rows), LEDGER[1])
    assert (h.number, h.interval) == ("+52 pp", "95% interval +48 to +52 percentage points")
    sentence = str(words("where-builders-build", h))
    # China's share in the registered windows: 15 of 75 (20%) in 2024-01..06, 51 of 111 (46%) in 2024-07..12
    assert sentence.startswith("Chinese bases took 20% of new Hub fine-tunes in 2024-01–06 and 46% in 2024-07–12")
    assert "not clear" not in sentence  # the fit gives no "no clear change" direction
    unclear = {**LEDGER[1]["since_evidence"]["indicators"]["hub_new_finetunes_chinese_share"]["fit"]}
    unclear["direction"] = "no clear change"
    item = {**LEDGER[1], "since_evidence": {"indicators": {"hub_new_finetunes_chinese_share": {"fit": unclear}}}}
    said = str(words("where-builders-build", headlines.builders(pd.DataFrame(rows), item)))
    assert said.endswith("in 2024-07–12, a rise not clear once whole organizations are resampled.")
    c = headlines.claims(LEDGER)
    assert (c.number, c.oped, c.latest) == (
        "2 of 3",
        "1 supported, 1 mixed and 1 not testable",
        "2 supported and 1 mixed",
    )
    assert headlines.claims([]) is None
    assert headlines.ledger_as_of(LEDGER[0]) == "2026-08-21"
    assert headlines.data_as_of([{"sources": [{"snapshot": "2026-03-30"}, {"snapshot": "2025-01-01"}]}]) == "2026-03-30"
