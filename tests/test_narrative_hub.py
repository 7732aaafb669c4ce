"""Notebook 04's sentences (publish/narrative_hub) and the 07 alt texts, exact, on small hand-made tables."""

import pandas as pd

from opentrends.analysis import hub_redraw, hub_time_text
from opentrends.analysis.hub_growth import ShareChange
from opentrends.publish import narrative_hub as say

D1, D2 = pd.Timestamp("2026-08-07"), pd.Timestamp("2026-08-22")


def test_head_text_counts_captures_and_tables():
    out = say.head_text([D1, D2], 300, 412, 1500, 40, 7)
    assert out.startswith(
        "**The head.** 2 daily captures, 7 August 2026 to 22 August 2026, of the Hub API's top 300 models by likes "
        "and top 300 by downloads (412 distinct models on the last day)."
    )
    assert out.endswith("(1,500 organizations; its `us` is United States, `china` China, `eu` and `other` are Rest of "
                        "world, `unknown` stays Unknown). Authors ATOM lacks are labelled in the committed "
                        "`data/hub_author_regions.csv` (40 rows, each with an evidence URL; 7 of them appear on the "
                        "last day).")  # fmt: skip
    assert "1 daily capture, 22 August 2026 to 22 August 2026" in say.head_text([D2], 300, 1, 1, 1, 0)


def test_coverage_text_names_atom_unknown_authors():
    cover = dict(n_unknown_authors=3, n_unknown_models=4, n_unlabelled_authors=2, n_unlabelled_models=2)
    likes = pd.Series({"known_share": 0.9, "labelled_unknown_authors": ["zed"], **cover})
    downloads = pd.Series({"known_share": 0.8, "labelled_unknown_authors": ["amy", "zed"], **cover})
    atom_only = pd.Series({"known_share": 0.5})
    out = say.coverage_text(D2, 10, likes, downloads, atom_only, atom_only, (5, 0.125))
    assert out == (
        "On 22 August 2026 authors of known origin (United States, China or Rest of world) hold 90.0% of the likes of "
        "the top 10 by likes and 87.5% of the downloads of the top 10 by downloads (with ATOM's labels alone: 50.0% "
        "and 50.0%). The rest is of **Unknown** origin: 3 authors (4 models) in the likes list and 3 authors (5 "
        "models, 12.5% of the downloads, as in `hub-downloads-by-origin`) in the downloads list. Of these, 2 and 2 "
        "authors (2 and 2 models) have no label in either table, mostly individuals and pseudonymous accounts "
        "(fine-tunes, quantizations, community checkpoints) whose location no public page states; ATOM itself labels "
        "the rest `unknown`: amy, zed."
    )


def test_rank_text_every_day_and_some_days():
    leaders = pd.DataFrame({"date": [D1, D2], "id": ["a/x", "b/y"], "likes": [100, 150]})
    steady = pd.DataFrame({"date": [D1, D2], "rank": [2, 2], "likes": [90, 95]})
    out = say.rank_text("m/r1", steady, leaders, 2, 300)
    assert out.startswith(
        "**m/r1** holds rank 2 on every one of the 2 capture days: 90 likes on 7 August 2026, 95 on 22 August 2026. "
        "The most-liked model on the first and last day is a/x, then b/y (100 and 150 likes); the gap went from 10 "
        "to 55 likes over the captures. So at these captures m/r1 is not the most-liked model on the Hub on any "
        "capture day;"
    )
    once = pd.DataFrame({"date": [D2], "rank": [1], "likes": [150]})
    assert "holds ranks 1 (22 August 2026) (in the top 300 by likes on 1 of 2 days)" in say.rank_text(
        "b/y", once, leaders, 2, 300
    )
    assert "b/y is the most-liked model on the Hub on some capture days only" in say.rank_text(
        "b/y", once, leaders, 2, 300
    )


def test_tree_rank_text_present_and_absent():
    in_trees = pd.DataFrame({"likes": [40], "rank": [3]})
    assert say.tree_rank_text("m/r1", in_trees, 1200, 10, "2025-04-22", (D1, 90)) == (
        "In the April 2025 tree records (1,200 models of 10 families, snapshot of 22 April 2025) m/r1 had 40 likes, "
        "rank 3 among them. Those records hold only 10 families and their derivatives, so that rank is within the "
        "families, not the Hub; between that capture and 7 August 2026 it gained 50 likes."
    )
    absent = say.tree_rank_text("m/r1", in_trees.head(0), 1200, 10, "2025-04-22", (D1, 90))
    assert absent.startswith("m/r1 is not in the April 2025 tree records. ") and absent.endswith("it gained n/a likes.")


def test_downloads_text_and_pair():
    by_origin = pd.DataFrame({
        "date": [D1] * 2 + [D2] * 3, "origin": ["United States", "China", "United States", "China", "Unknown"],
        "downloads_30d": [60, 40, 50, 30, 20], "share": [0.6, 0.4, 0.5, 0.3, 0.2],
    })  # fmt: skip
    assert say.china_of_pair(by_origin) == 30 / 80
    variant = pd.Series({"United States": 0.55, "China": 0.3, "Rest of world": 0.05})
    assert say.downloads_text(by_origin, 300, ["st"], (0.05, variant)) == (
        "On 22 August 2026 the top 300 models by 30-day downloads split as: United States 50.0%, China 30.0%, Rest "
        "of world 0.0%, Unknown 20.0% of their downloads (on 7 August 2026: 60.0%, 40.0%, 0.0%, 0.0%). China trails "
        "the United States by 20.0 percentage points; of the downloads of the two, China has 38%. The largest single "
        "labelling judgement is the Sentence Transformers namespaces (st: 5.0% of the head's downloads), labelled "
        "Germany after their creator, UKP Lab; counted with their maintainer since 2023, Hugging Face, the United "
        "States would have 55.0% and Rest of world 5.0% (China unchanged at 30.0%)."
    )


def test_creation_split_and_text():
    creation = pd.DataFrame({"created_month": ["2024-01", "2025-09", "2026-02", "2026-02"],
                             "origin": ["China", "China", "United States", "China"], "n_models": [2, 1, 2, 1]})  # fmt: skip
    recent, older = hub_redraw.creation_split(creation, D2)
    assert recent.to_dict() == {"United States": 2, "China": 2, "Rest of world": 0, "Unknown": 0}
    assert older.to_dict() == {"United States": 0, "China": 2, "Rest of world": 0, "Unknown": 0}
    assert say.creation_text(6, D2, recent, older, (pd.Timestamp("2022-03-02"), 3)) == (
        "Of the 6 models in the head on 22 August 2026, 4 were created in the twelve months before it; among those, "
        "50% are Chinese and 50% American, against 100% and 0% of the 2 older ones. The earliest creation date the "
        "Hub returns is 2 March 2022: 3 head models carry that day, which therefore means *on or before*."
    )
    assert say.creation_alt(recent) == (
        "Stacked monthly bars of head models by creation month; of the 4 created in the last twelve months, 50% are Chinese."
    )


def test_within_days_and_spread_text():
    timeline = pd.DataFrame({"root": ["a/b", "a/b", "c/d", "e/f"], "days_since_release": [0, 40, 10, 31],
                             "cumulative_derivatives": [5, 9, 1200, 3]})  # fmt: skip
    thirty = hub_redraw.within_days(timeline, 30)
    assert thirty.to_dict() == {"a/b": 5, "c/d": 1200, "e/f": 0}
    out = say.spread_text("x/y", thirty, 3, ("2024-05", 0.25))
    assert out.startswith(
        "(x/y is not one of the roots) Within 30 days of its release c/d had 1,200 recorded derivatives, against 5 "
        "for b, 0 for f; the cap makes every curve flatten where the record stops, not where adoption did. In these "
        "3 trees the month with most new derivatives is 2024-05, when 25% were built on Chinese roots;"
    )
    assert (
        say.timeline_alt("c/d", 1200) == "Small multiples of step lines; c/d reaches 1,200 derivatives within 30 days."
    )


def test_atom_text_and_alt():
    by_region = pd.DataFrame({"region": ["china", "us", "eu", "other", "unknown"], "n_models": [1200, 30, 4, 2, 1],
                              "n_orgs": [12, 3, 2, 1, 1]})  # fmt: skip
    assert say.atom_text(1237, 19, by_region.set_index("region")).startswith(
        "The ATOM Project tracks 1,237 Hub models from 19 organizations: 1,200 Chinese (12 organizations), 30 US (3), "
        "4 European (2), 2 from elsewhere (1) and 1 of unknown region (1). "
    )
    assert say.atom_alt(by_region.head(2)) == (
        "Bars of tracked models per region: china 1,200 models (12 organizations), us 30 models (3 organizations)."
    )


def test_derivatives_and_attribution_alt():
    per_root = pd.DataFrame({"root": ["a/s", "a/l"], "n": [10, 2800]})
    assert say.derivatives_alt(per_root, 2) == (
        "Horizontal bars of recorded derivatives per root; a/l has the most, 2,800, and 2 trees are at the page cap."
    )
    maker = pd.Series({"United States": 0.5, "China": 0.25, "Rest of world": 0.125, "Unknown": 0.125})
    assert say.attribution_alt(maker) == (
        "Three stacked bars; credited to the maker, the United States has 50%, China 25%, Rest of world 12%, Unknown 12%."
    )


def test_hub_time_alt_texts_use_percent_helpers():
    change = ShareChange("2022-03..2022-08", "2024-09..2025-02", 0.104, 0.395, 29.1, 28.0, 30.2, 10, 100, 80, 200)
    assert hub_time_text.growth_alt(change, change) == (
        "Stacked monthly bars with China's share as a line; the Chinese share goes from 10% to 40% (40% without the top bases)."
    )
    assert hub_time_text.downloads_alt(change, "2025-01-20") == (
        "Lines of download shares by origin; China's share moves from 10% in the two weeks before 2025-01-20 to 40% "
        "in the last two weeks."
    )
    assert hub_time_text.trending_alt(change).endswith(
        "China holds 10% of the slots in the first two months and 40% in the last two."
    )
    top = pd.DataFrame({"base_model": ["m/q"], "finetunes": [12345]})
    assert hub_time_text.top_bases_alt(top) == "Horizontal bars; m/q leads with 12,345 fine-tunes."
