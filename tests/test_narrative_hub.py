"""Notebook 04's sentences (publish/narrative_hub) and the 07 alt texts: their facts, and the numbers the filled
templates state, on small hand-made tables."""

import pandas as pd
import pytest

from opentrends.analysis import hub_redraw, hub_time_text
from opentrends.analysis.hub_growth import ShareChange
from opentrends.publish import narrative_hub as say

D1, D2 = pd.Timestamp("2026-08-07"), pd.Timestamp("2026-08-22")


def test_head_text_counts_captures_and_tables():
    out = say.head_text([D1, D2], 300, 412, 1500, 40, 7)
    assert out.startswith("**The head.** 2 daily captures, 7 August 2026 to 22 August 2026,")
    for number in ("top 300 models by likes", "412 distinct", "1,500 organizations", "(40 rows", "7 of them"):
        assert number in out
    assert out.count("\n\n") == 1 and "\n\n**Who made each model.**" in out  # two paragraphs
    assert "1 daily capture, 22 August 2026 to 22 August 2026" in say.head_text([D2], 300, 1, 1, 1, 0)


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
    assert out.startswith("On 22 August 2026 authors of known origin")
    for number in (
        "hold 90.0% of the likes",
        "87.5% of the downloads",
        "50.0% and 50.0%",
        "3 authors (5 models, 12.5%",
    ):
        assert number in out
    assert out.endswith("states; ATOM itself labels the rest `unknown`: amy, zed.")
    none = pd.Series({**likes, "labelled_unknown_authors": []})
    assert say.coverage_text(D2, 10, none, none, atom_only, atom_only, (5, 0.125)).endswith(
        "states; no author in either list carries ATOM's `unknown` label."
    )


def test_rank_text_every_day_and_some_days():
    leaders = pd.DataFrame({"date": [D1, D2], "id": ["a/x", "b/y"], "likes": [100, 150]})
    steady = pd.DataFrame({"date": [D1, D2], "rank": [2, 2], "likes": [90, 95]})
    facts = say.rank_facts("m/r1", steady, leaders, 2, 300)
    assert (facts["steady_rank"], facts["leads"], facts["leaders"]) == (2, "none", ["a/x", "b/y"])
    assert (facts["gap_first"], facts["gap_last"]) == (10, 55)
    out = say.rank_text("m/r1", steady, leaders, 2, 300)
    assert out.startswith("**m/r1** holds rank 2 on every one of the 2 capture days: 90 likes on 7 August 2026, 95 on")
    assert "a/x, then b/y (100 and 150 likes)" in out and "from 10 to 55 likes" in out
    assert "m/r1 is not the most-liked model on the Hub on any capture day;" in out
    once = pd.DataFrame({"date": [D2], "rank": [1], "likes": [150]})
    assert say.rank_facts("b/y", once, leaders, 2, 300)["leads"] == "some"
    out = say.rank_text("b/y", once, leaders, 2, 300)
    assert "holds ranks 1 (22 August 2026) (in the top 300 by likes on 1 of 2 days)" in out
    assert "b/y is the most-liked model on the Hub on some capture days only" in out
    same = leaders.assign(id="b/y")
    assert "day is b/y (100" in say.rank_text("b/y", once, same, 2, 300)


def test_tree_rank_text_present_and_absent():
    in_trees = pd.DataFrame({"likes": [40], "rank": [3]})
    facts = say.tree_rank_facts("m/r1", in_trees, 1200, 10, "2025-04-22", (D1, 90))
    assert (facts["year"], facts["likes"], facts["rank"], facts["gained"]) == (2025, 40, 3, 50)
    out = say.tree_rank_text("m/r1", in_trees, 1200, 10, "2025-04-22", (D1, 90))
    assert out.startswith(
        "In the April 2025 tree records (1,200 models of 10 families, snapshot of 22 April 2025) m/r1"
    )
    assert "40 likes, rank 3 among them. Those" in out and out.endswith("7 August 2026 it gained 50 likes.")
    absent = say.tree_rank_text("m/r1", in_trees.head(0), 1200, 10, "2025-04-22", (D1, 90))
    assert absent.startswith("m/r1 is not in the April 2025 tree records. ") and absent.endswith("it gained n/a likes.")


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
    assert out.startswith("On 22 August 2026 the top 300 models by 30-day downloads split as: United States 50.0%, ")
    for number in ("(on 7 August 2026: 60.0%, 40.0%, 0.0%, 0.0%)", "by 20.0 percentage points", "China has 38%",
                   "(st: 5.0%", "have 55.0% and Rest of world 5.0% (China unchanged at 30.0%)."):  # fmt: skip
        assert number in out


def test_anchors_text_states_the_published_numbers():
    anchors = {
        "atom": {"source": "ATOM Report", "china_downloads": 1.234e9, "us_downloads": 987.6e6, "as_of": "2025-09"},
        "longpre": {"source": "Longpre et al.", "china_share": 0.171, "us_share": 0.154, "period": "2025"},
        "hub_stats": {"source": "hub-stats", "n_models": 2_000_000},
    }
    out = say.anchors_text(anchors, 0.25, 300)
    for number in ("1.23 billion against 987 million", "(China 56% of the two)", "17.1% of", "15.4% to US",
                   "(China 25% of the pair)", "it is 300 models", "lists 2,000,000 models"):  # fmt: skip
        assert number in out


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
    for number in ("Of the 6 models", "22 August 2026, 4 were created", "50% are Chinese and 50% American",
                   "100% and 0% of the 2 older", "is 2 March 2022: 3 head models"):  # fmt: skip
        assert number in out
    assert say.creation_alt(recent).endswith("of the 4 created in the last twelve months, 50% are Chinese.")


def test_within_days_and_spread_text():
    timeline = pd.DataFrame({"root": ["a/b", "a/b", "c/d", "e/f"], "days_since_release": [0, 40, 10, 31],
                             "cumulative_derivatives": [5, 9, 1200, 3]})  # fmt: skip
    thirty = hub_redraw.within_days(timeline, 30)
    assert thirty.to_dict() == {"a/b": 5, "c/d": 1200, "e/f": 0}
    facts = say.spread_facts("x/y", thirty, 3, ("2024-05", 0.25))
    assert (facts["subject"], facts["n_subject"], facts["others"]) == ("c/d", 1200, [("b", 5), ("f", 0)])
    out = say.spread_text("x/y", thirty, 3, ("2024-05", 0.25))
    assert out.startswith("(x/y is not one of the roots) Within 30 days of its release c/d had 1,200 recorded ")
    assert "against 5 for b, 0 for f; the cap" in out and "is 2024-05, when 25% were built" in out
    assert say.spread_text("a/b", thirty, 3, ("2024-05", 0.25)).startswith("Within 30 days of its release a/b had 5 ")
    assert say.timeline_alt("c/d", 1200).endswith("c/d reaches 1,200 derivatives within 30 days.")


def test_atom_text_and_alt():
    by_region = pd.DataFrame({"region": ["china", "us", "eu", "other", "unknown"], "n_models": [1200, 30, 4, 2, 1],
                              "n_orgs": [12, 3, 2, 1, 1]})  # fmt: skip
    out = say.atom_text(1237, 19, by_region.set_index("region"))
    for number in ("tracks 1,237 Hub models from 19 organizations", "1,200 Chinese (12 organizations)", "30 US (3)",
                   "4 European (2)", "2 from elsewhere (1)", "1 of unknown region (1)"):  # fmt: skip
        assert number in out
    assert say.atom_alt(by_region.head(2)) == (
        "Bars of tracked models per region: china 1,200 models (12 organizations), us 30 models (3 organizations)."
    )
    assert "\n" not in say.ATOM_CAPTION and say.ATOM_CAPTION.endswith("it counts models, not downloads.")


def test_captions_fill_their_numbers_and_share_the_head_limits():
    most_liked = say.most_liked_caption(20, D2)
    assert "Likes of the 20 most-liked Hub models at the capture of 22 August 2026" in most_liked
    assert "(ranks 1 to 20 on that day)" in most_liked
    for caption in (most_liked, say.attribution_caption(300, D2), say.creation_caption(412, 300, D2, D1)):
        assert "The head is not the whole Hub; downloads are 30-day counts." in caption and "  " not in caption
    assert "capped near 300 children" in say.derivatives_caption(10, 2025)
    assert "day 0 includes 1,234 derivatives" in say.timeline_caption(1234, 10)


def test_derivatives_and_attribution_alt():
    per_root = pd.DataFrame({"root": ["a/s", "a/l"], "n": [10, 2800]})
    assert say.derivatives_alt(per_root, 2).endswith("a/l has the most, 2,800, and 2 trees are at the page cap.")
    maker = pd.Series({"United States": 0.5, "China": 0.25, "Rest of world": 0.125, "Unknown": 0.125})
    assert say.attribution_alt(maker).endswith("the United States has 50%, China 25%, Rest of world 12%, Unknown 12%.")


def test_hub_time_alt_texts_use_percent_helpers():
    change = ShareChange("2022-03..2022-08", "2024-09..2025-02", 0.104, 0.395, 29.1, 28.0, 30.2, 10, 100, 80, 200)
    assert hub_time_text.growth_alt(change, change).endswith(
        "the Chinese share goes from 10% to 40% (40% without the top bases)."
    )
    assert hub_time_text.downloads_alt(change, "2025-01-20").endswith(
        "China's share moves from 10% in the two weeks before 2025-01-20 to 40% in the last two weeks."
    )
    assert hub_time_text.trending_alt(change).endswith(
        "China holds 10% of the slots in the first two months and 40% in the last two."
    )
    top = pd.DataFrame({"base_model": ["m/q"], "finetunes": [12345]})
    assert hub_time_text.top_bases_alt(top) == "Horizontal bars; m/q leads with 12,345 fine-tunes."
