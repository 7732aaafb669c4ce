"""analysis.eci_intervals and publish.narrative_intervals on small hand-made tables, and on the real data."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from stated import states

from opentrends.analysis import eci_intervals
from opentrends.publish import narrative_intervals

NAN = math.nan


def models(*rows):
    frame = pd.DataFrame(rows, columns=["model", "origin", "access_class", "date", "eci"])
    return frame.assign(date=pd.to_datetime(frame["date"]))


MODELS = models(
    ("Closed A", "United States", "closed", "2025-01-01", 150.0),
    ("Open US", "United States", "open", "2025-01-10", 140.0),
    ("Open CN 1", "China", "open", "2025-02-01", 141.0),
    ("Open CN 2", "China", "open", "2025-06-01", 146.0),
    ("Closed B", "United States", "closed", "2025-07-01", 152.0),
)
INTERVALS = pd.DataFrame(
    [("Closed A", 150.0, NAN, NAN), ("Open US", 140.0, 138.0, 142.0), ("Open CN 1", 141.0, 139.0, 143.0),
     ("Open CN 2", 146.0, 144.0, 148.0), ("Closed B", 152.0, 149.0, 155.0)],
    columns=["Model", "eci", "eci_ci_low", "eci_ci_high"],
)  # fmt: skip


def test_an_anchor_has_its_point_as_its_interval():
    table = eci_intervals.attach(MODELS, INTERVALS)
    anchor = table.set_index("model").loc["Closed A"]
    assert anchor["anchor"] and anchor["eci_ci_low"] == anchor["eci_ci_high"] == 150.0


def test_leaders_gap_and_overlap():
    table = eci_intervals.attach(MODELS, INTERVALS)
    best, facts = eci_intervals.leaders(table, "2025-07-31")
    assert best["model"].tolist() == ["Closed B", "Open CN 2"]
    assert facts["gap"] == 6.0 and facts["gap_low"] == 1.0 and facts["gap_high"] == 11.0
    assert facts["overlap"] is False and facts["anchors"] == []
    _, early = eci_intervals.leaders(table, "2025-06-30")
    assert early["anchors"] == ["Closed A"] and early["overlap"] is False  # 150 vs 144–148
    sentence = narrative_intervals.gap_sentence(facts, "eci@x", "iv@x")
    assert states(sentence, "2025-07-31", "Closed B", "152.0", "149.0", "155.0", "Open CN 2", "146.0", "144.0",
                  "148.0", "6.0", "1.0", "11.0")  # fmt: skip


def test_the_lead_is_clear_only_once_the_intervals_are_disjoint():
    lead = eci_intervals.origin_lead(eci_intervals.attach(MODELS, INTERVALS))
    assert lead["leads"].tolist() == [True, True]  # from 2025-02-01 (141 vs 140), then 146 vs 140
    assert lead["clear"].tolist() == [False, True]
    facts = eci_intervals.lead_facts(lead)
    assert facts["leads_since"] == pd.Timestamp("2025-02-01") and facts["margin_at_lead"] == 1.0
    assert facts["clear_since"] == pd.Timestamp("2025-06-01") and facts["margin_at_clear"] == 6.0
    sentence = narrative_intervals.lead_sentence(facts, "iv@x")
    assert states(sentence, "2025-06-01", "Open CN 2", "146.0", "Open US", "140.0", "6.0", "2025-02-01", "1.0",
                  "2025-06-01", "6.0")  # fmt: skip


def test_real_gap_at_2026_07_31(real_snapshot):
    real_snapshot("epoch-benchmarks-eci@2026-07-31")
    real_snapshot("eci-reproduced-intervals@2026-07-31")
    from opentrends.analysis import capability, frontier
    from opentrends.catalog.loaders import eci
    from opentrends.catalog.loaders.eci_intervals import load_intervals

    versions, _ = eci.load_eci("epoch-benchmarks-eci@2026-07-31")
    versions["access_class"] = frontier.access_classes(versions["access"], "weights")
    table = eci_intervals.attach(capability.collapse_versions(versions), load_intervals())
    best, facts = eci_intervals.leaders(table, "2026-07-31")
    assert best["model"].tolist() == ["GPT-5.6 Sol", "Kimi K3"]
    assert facts["gap"] == pytest.approx(6.13) and facts["overlap"] is False
    lead = eci_intervals.lead_facts(eci_intervals.origin_lead(table))
    assert lead["leads_since"] == pd.Timestamp("2024-12-26") and lead["clear_since"] == pd.Timestamp("2025-11-06")


def test_the_who_leads_tables_name_their_columns_by_origin():
    lead = eci_intervals.origin_lead(eci_intervals.attach(MODELS, INTERVALS))
    table = narrative_intervals.lead_table(lead)
    assert table["china_model"].tolist() == ["Open CN 1", "Open CN 2"]
    assert table["united_states_ci_high"].tolist() == [142.0, 142.0]
    summary = narrative_intervals.lead_summary(eci_intervals.lead_facts(lead)).iloc[0]
    assert summary["clear_since"] == pd.Timestamp("2025-06-01") and summary["latest_margin"] == 6.0
    assert not summary["latest_intervals_overlap"]


def test_a_dated_version_gives_its_model_the_interval_only_when_it_carries_the_models_score():
    chosen = models(("Kimi K2", "China", "open", "2025-07-11", 140.45), ("Qwen2.5-Coder (32B)", "China", "open",
                    "2024-09-18", 119.24))  # fmt: skip
    rows = pd.DataFrame(
        [("Kimi K2 (Jul 2025)", 140.45, 139.0, 142.0), ("Kimi K2 (Sep 2025)", 141.0, 140.0, 143.0),
         ("Qwen2.5-Coder-32B", 119.24, 117.0, 121.0), ("Qwen2.5-Coder (7B)", 110.0, 108.0, 112.0)],
        columns=["Model", "eci", "eci_ci_low", "eci_ci_high"],
    )  # fmt: skip
    table = eci_intervals.attach(chosen, rows).set_index("model")
    assert table["in_intervals"].all() and not table["anchor"].any()
    assert table.loc["Kimi K2", "eci_ci_low"] == 139.0 and table.loc["Qwen2.5-Coder (32B)", "eci_ci_high"] == 121.0
