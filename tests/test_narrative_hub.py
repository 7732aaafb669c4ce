"""Notebook 04's sentences (publish/narrative_hub) and the 07 alt texts: their facts, and the numbers the filled
templates state, on small hand-made tables."""

import pandas as pd
import pytest
from stated import states

from opentrends.analysis import hub_redraw, hub_time_text
from opentrends.analysis.hub_growth import ShareChange
from opentrends.core import wording
from opentrends.publish import narrative_hub as say

D1, D2 = pd.Timestamp("2026-08-07"), pd.Timestamp("2026-08-22")


def test_head_text_counts_captures_and_tables():
    out = say.head_text([D1, D2], 300, 412, 1500, 40, 7)
    assert states(out, "2 daily captures", "7 August 2026", "22 August 2026", "300", "412", "1,500", "40", "7")
    assert out.count("\n\n") == 1  # two paragraphs
    assert states(say.head_text([D2], 300, 1, 1, 1, 0), "1 daily capture,")


def test_coverage_text_names_atom_unknown_authors():
    cover = dict(n_unknown_authors=3, n_unknown_models=4, n_unlabelled_authors=2, n_unlabelled_models=2)
    likes = pd.Series({"known_share": 0.9, "labelled_unknown_authors": ["zed"], **cover})
    downloads = pd.Series({"known_share": 0.8, "labelled_unknown_authors": ["amy", "zed"], **cover})
    atom_only = pd.Series({"known_share": 0.5})
    args = (D2, 10, likes, downloads, atom_only, atom_only, (5, 0.125))
    facts = say.coverage_facts(*args)
    assert facts["downloads_known"] == 0.875 and facts["downloads_unknown_models"] == 5
    assert facts["atom_unknown"] == ["amy", "zed"]
    out = say.coverage_text(*args)
    assert states(out, "22 August 2026", "90.0%", "10", "87.5%", "10", "50.0%", "50.0%", "3", "(4", "3", "(5",
                  "12.5%", "2", "2", "(2", "2", "amy, zed.")  # fmt: skip
    none = pd.Series({**likes, "labelled_unknown_authors": []})
    assert "amy" not in say.coverage_text(D2, 10, none, none, atom_only, atom_only, (5, 0.125))


def test_rank_text_every_day_and_some_days():
    leaders = pd.DataFrame({"date": [D1, D2], "id": ["a/x", "b/y"], "likes": [100, 150]})
    steady = pd.DataFrame({"date": [D1, D2], "rank": [2, 2], "likes": [90, 95]})
    facts = say.rank_facts("m/r1", steady, leaders, 2, 300)
    assert (facts["steady_rank"], facts["leads"], facts["leaders"]) == (2, "none", ["a/x", "b/y"])
    assert (facts["gap_first"], facts["gap_last"]) == (10, 55)
    out = say.rank_text("m/r1", steady, leaders, 2, 300)
    assert states(out, "**m/r1**", "rank 2", "2 capture days", "90", "7 August 2026", "95", "22 August 2026", "a/x",
                  "b/y", "100", "150", "10", "55")  # fmt: skip
    once = pd.DataFrame({"date": [D2], "rank": [1], "likes": [150]})
    assert say.rank_facts("b/y", once, leaders, 2, 300)["leads"] == "some"
    assert states(say.rank_text("b/y", once, leaders, 2, 300), "ranks 1 (22 August 2026)", "300", "1 of 2 days")
    assert say.rank_facts("b/y", once, leaders.assign(id="b/y"), 2, 300)["leaders"] == ["b/y"]


def test_tree_rank_text_present_and_absent():
    in_trees = pd.DataFrame({"likes": [40], "rank": [3]})
    facts = say.tree_rank_facts("m/r1", in_trees, 1200, 10, "2025-04-22", (D1, 90))
    assert (facts["year"], facts["likes"], facts["rank"], facts["gained"]) == (2025, 40, 3, 50)
    out = say.tree_rank_text("m/r1", in_trees, 1200, 10, "2025-04-22", (D1, 90))
    assert states(
        out, "April 2025", "1,200", "10", "22 April 2025", "m/r1", "40", "rank 3", "10", "7 August 2026", "50"
    )
    absent = say.tree_rank_text("m/r1", in_trees.head(0), 1200, 10, "2025-04-22", (D1, 90))
    assert say.tree_rank_facts("m/r1", in_trees.head(0), 1200, 10, "2025-04-22", (D1, 90))["gained"] is None
    assert states(absent, "m/r1", "April 2025", "10", "7 August 2026", "n/a")


def test_downloads_text_and_pair():
    by_origin = pd.DataFrame({
        "date": [D1] * 2 + [D2] * 3, "origin": ["United States", "China", "United States", "China", "Unknown"],
        "downloads_30d": [60, 40, 50, 30, 20], "share": [0.6, 0.4, 0.5, 0.3, 0.2],
    })  # fmt: skip
    assert say.china_of_pair(by_origin) == 30 / 80
    variant = pd.Series({"United States": 0.55, "China": 0.3, "Rest of world": 0.05})
    facts = say.downloads_facts(by_origin, 300, ["st"], (0.05, variant))
    assert facts["first_shares"] == [0.6, 0.4, 0, 0] and facts["us_lead"] == pytest.approx(0.2)
    out = say.downloads_text(by_origin, 300, ["st"], (0.05, variant))
    assert states(out, "22 August 2026", "300", "50.0%", "30.0%", "0.0%", "20.0%", "7 August 2026", "60.0%, 40.0%, 0.0%, 0.0%",
                  "20.0 percentage points", "38%", "st", "5.0%", "55.0%", "5.0%", "30.0%")  # fmt: skip


def test_anchors_text_states_the_published_numbers():
    anchors = {
        "atom": {"source": "ATOM Report", "china_downloads": 1.234e9, "us_downloads": 987.6e6, "as_of": "2025-09"},
        "longpre": {"source": "Longpre et al.", "china_share": 0.171, "us_share": 0.154, "period": "2025"},
        "hub_stats": {"source": "hub-stats", "n_models": 2_000_000},
    }
    out = say.anchors_text(anchors, 0.25, 300)
    assert states(out, "ATOM Report", "1.23 billion", "987 million", "2025-09", "56%", "Longpre et al.", "17.1%", "2025",
                  "15.4%", "25%", "300", "hub-stats", "2,000,000")  # fmt: skip


def test_creation_split_and_text():
    creation = pd.DataFrame({"created_month": ["2024-01", "2025-09", "2026-02", "2026-02"],
                             "origin": ["China", "China", "United States", "China"], "n_models": [2, 1, 2, 1]})  # fmt: skip
    recent, older = hub_redraw.creation_split(creation, D2)
    assert recent.to_dict() == {"United States": 2, "China": 2, "Rest of world": 0, "Unknown": 0}
    assert older.to_dict() == {"United States": 0, "China": 2, "Rest of world": 0, "Unknown": 0}
    earliest = (pd.Timestamp("2022-03-02"), 3)
    facts = say.creation_facts(6, D2, recent, older, earliest)
    assert (facts["n_recent"], facts["recent_china"], facts["older_china"], facts["n_older"]) == (4, 0.5, 1.0, 2)
    out = say.creation_text(6, D2, recent, older, earliest)
    assert states(out, "6", "22 August 2026", "4", "50%", "50%", "100%", "0%", "2", "2 March 2022", "3")
    assert states(say.creation_alt(recent), "4", "50%")


def test_within_days_and_spread_text():
    timeline = pd.DataFrame({"root": ["a/b", "a/b", "c/d", "e/f"], "days_since_release": [0, 40, 10, 31],
                             "cumulative_derivatives": [5, 9, 1200, 3]})  # fmt: skip
    thirty = hub_redraw.within_days(timeline, 30)
    assert thirty.to_dict() == {"a/b": 5, "c/d": 1200, "e/f": 0}
    facts = say.spread_facts("x/y", thirty, 3, ("2024-05", 0.25))
    assert (facts["subject"], facts["n_subject"], facts["others"]) == ("c/d", 1200, [("b", 5), ("f", 0)])
    out = say.spread_text("x/y", thirty, 3, ("2024-05", 0.25))
    assert states(out, "x/y", "30", "c/d", "1,200", "5", "b", "0", "f", "3", "2024-05", "25%", "3")
    assert say.spread_facts("a/b", thirty, 3, ("2024-05", 0.25))["subject"] == "a/b"
    assert states(say.spread_text("a/b", thirty, 3, ("2024-05", 0.25)), "a/b", "5", "1,200", "c")
    assert states(say.timeline_alt("c/d", 1200), "c/d", "1,200", "30")


def test_atom_text_and_alt():
    by_region = pd.DataFrame({"region": ["china", "us", "eu", "other", "unknown"], "n_models": [1200, 30, 4, 2, 1],
                              "n_orgs": [12, 3, 2, 1, 1]})  # fmt: skip
    out = say.atom_text(1237, 19, by_region.set_index("region"))
    assert states(out, "1,237", "19", "1,200 Chinese (12", "30 US (3)", "4 European (2)", "2", "(1)", "1", "(1)")
    assert states(say.atom_alt(by_region.head(2)), "china 1,200", "(12", "us 30", "(3")
    assert say.ATOM_CAPTION and "\n" not in say.ATOM_CAPTION and "{" not in say.ATOM_CAPTION


def test_captions_fill_their_numbers_and_share_the_head_limits():
    most_liked = say.most_liked_caption(20, D2)
    assert states(most_liked, "20", "22 August 2026", "20", "1 to 20")
    head_limits = wording.render("captions/_hub-head-limits.txt")
    for caption in (most_liked, say.attribution_caption(300, D2), say.creation_caption(412, 300, D2, D1)):
        assert head_limits in caption and "  " not in caption
    assert states(say.derivatives_caption(10, 2025), "10", "2025", "300")
    assert states(say.timeline_caption(1234, 10), "1,234", "300", "10")


def test_derivatives_and_attribution_alt():
    per_root = pd.DataFrame({"root": ["a/s", "a/l"], "n": [10, 2800]})
    assert states(say.derivatives_alt(per_root, 2), "a/l", "2,800", "2")
    maker = pd.Series({"United States": 0.5, "China": 0.25, "Rest of world": 0.125, "Unknown": 0.125})
    assert states(say.attribution_alt(maker), "United States", "50%", "China", "25%", "Rest of world", "12%", "12%")


def test_hub_time_alt_texts_use_percent_helpers():
    change = ShareChange("2022-03..2022-08", "2024-09..2025-02", 0.104, 0.395, 29.1, 28.0, 30.2, 10, 100, 80, 200)
    assert states(hub_time_text.growth_alt(change, change), "10%", "40%", "40%")
    assert states(hub_time_text.downloads_alt(change, "2025-01-20"), "10%", "2025-01-20", "40%")
    assert states(hub_time_text.trending_alt(change), "10%", "40%")
    top = pd.DataFrame({"base_model": ["m/q"], "finetunes": [12345]})
    assert states(hub_time_text.top_bases_alt(top), "m/q", "12,345")
