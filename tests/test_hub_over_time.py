"""Hub adoption over time: growth and trending loaders, maker attribution, and the analysis functions, on
hand-made tables whose expected values are worked out by hand; plus every real trending file."""

from __future__ import annotations

import pandas as pd
import pytest

from opentrends.analysis import clustered, hub_growth, hub_redraw, hub_time_text, hub_trending
from opentrends.catalog import makers
from opentrends.catalog.loaders import hf_growth, hf_trending
from opentrends.core.errors import DataError, ParameterError

TRENDING = "hf-trending-archive@2026-08-21"
GROWTH = "hf-derivative-growth@2025-02-18"


# --- trending: display counts and the shifted card fields ------------------------------------------------


@pytest.mark.parametrize(
    ("shown", "value"), [("1.73M", 1_730_000), ("12k", 12_000), ("9.99k", 9_990), ("951", 951), ("", None)]
)
def test_display_counts_parse_exactly(shown, value):
    assert hf_trending.parse_count(shown, "f entry 0") == value


@pytest.mark.parametrize("shown", ["12K", "1.2.3", "Updated 3 days ago", "1.2345k"])
def test_other_display_strings_are_errors_naming_file_entry_and_value(shown):
    with pytest.raises(DataError, match=r"2026-01-01/trending_model.json entry 4 \(a/b\)") as caught:
        hf_trending.parse_count(shown, "2026-01-01/trending_model.json entry 4 (a/b)")
    assert repr(shown) in str(caught.value)


def entry(title="org/model", category="Text Generation", size="8B", modified="Updated 2 days ago", dl="12k", like="3"):
    return {"title": title, "category": category, "model_size": size, "last_modified": modified, "download": dl,
            "like": like, "inference_provider": False}  # fmt: skip


def test_shifted_card_fields_are_realigned():
    assert hf_trending.realign(entry(), "w") == ("Text Generation", "8B", "12k")
    # no size, no label: the downloads moved into last_modified, the Updated text into category
    shifted = entry(category="Updatedabout 3 hours ago", size="", modified="19.1k", dl="")
    assert hf_trending.realign(shifted, "w") == (None, None, "19.1k")
    # no size shown: the size moved into last_modified and the Updated text into download; no downloads shown
    no_size = entry(category="Text Generation", size="", modified="715B", dl="Updatedabout 8 hours ago")
    assert hf_trending.realign(no_size, "w") == ("Text Generation", "715B", "")
    # only the Updated text (twice) and the likes
    bare = entry(category="Updated 4 days ago", size="", modified="Updated 4 days ago", dl="")
    assert hf_trending.realign(bare, "w") == (None, None, "")


def day_of(n=30, **changes):
    return [entry(title=f"org{i}/m{i}", **changes) for i in range(n)]


def test_a_day_parses_to_thirty_ranked_rows():
    rows = hf_trending.parse_day(day_of(dl="1.73M", like=""), "2026-01-02", "f")
    assert len(rows) == 30 and rows["rank"].tolist() == list(range(1, 31))
    assert rows.loc[0, "downloads"] == 1_730_000 and pd.isna(rows.loc[0, "likes"])


def test_a_malformed_day_file_is_an_error_naming_it(tmp_path):
    bad = tmp_path / "trending_model.json"
    bad.write_text("[{", encoding="utf-8")
    with pytest.raises(DataError, match="2026-01-02/trending_model.json: malformed JSON"):
        hf_trending.read_day(bad, "2026-01-02", "2026-01-02/trending_model.json")
    with pytest.raises(DataError, match="expected a JSON list of 30 entries, found a list of 29"):
        hf_trending.parse_day(day_of(29), "2026-01-02", "f")
    with pytest.raises(DataError, match=r"f entry 0 \(org0/m0\): display count 'n/a'"):
        hf_trending.parse_day(day_of(like="n/a"), "2026-01-02", "f")


def test_missing_days_are_gaps_listed_not_filled():
    assert hf_trending.missing_days(["2026-01-04", "2026-01-07", "2026-01-06"]) == ["2026-01-05"]
    assert hf_trending.missing_days([]) == []


def test_every_real_trending_file_parses(real_snapshot):
    trending = hf_trending.load_trending(real_snapshot(TRENDING))
    assert len(trending) == 284 * 30 and trending["day"].nunique() == 284
    assert hf_trending.missing_days(trending["day"].dt.strftime("%Y-%m-%d")) == [
        "2026-01-05", "2026-06-03", "2026-06-15", "2026-06-16"]  # fmt: skip
    first = trending[trending["day"] == "2026-03-01"].iloc[0]
    assert (first["model"], first["downloads"], first["likes"]) == ("Qwen/Qwen3.5-35B-A3B", 481_000, 751)
    assert trending["likes"].notna().all()
    assert set(trending["maker_origin"]) <= set(makers.ORIGINS)


# --- growth: months, partial months, the origin table -----------------------------------------------------


def finetune_frame(org="Qwen", rows=(("Qwen/base", "2024-11-25 10:00:00+00:00", ("0", "3.0", "5.0", "")),)):
    records = []
    for model, created, counts in rows:
        record = {"model": model, "created_at": created, "company": org, "base_model": "Original"}
        record.update({f"{k}-month": v for k, v in enumerate(counts)})
        records.append(record)
    return pd.DataFrame(records).fillna("")


def test_growth_increments_sit_in_the_month_of_the_interval_they_cover_and_no_complete_month_is_partial():
    rows = hf_growth.parse_finetunes(finetune_frame(), "Qwen", "finetune/Qwen.csv")
    # column 0: the count at creation (25 Nov); column 1 covers 25 Nov..25 Dec (midpoint 10 Dec), column 2
    # 25 Dec..25 Jan (midpoint 9 Jan); the first uncounted interval's midpoint is in 2025-02, so no row is partial
    assert rows["month"].tolist() == ["2024-11", "2024-12", "2025-01"]
    assert rows["cumulative_finetunes"].tolist() == [0, 3, 5]
    assert rows["partial_month"].tolist() == [False, False, False]
    two = finetune_frame(rows=(("Qwen/a", "2024-11-25 10:00:00+00:00", ("0", "3", "5", "")),
                               ("Qwen/b", "2024-12-20 10:00:00+00:00", ("0", "1", "2", "")),
                               ("Qwen/c", "2024-11-28 10:00:00+00:00", ("0", "1", "2", ""))))  # fmt: skip
    both = hf_growth.parse_finetunes(two, "Qwen", "finetune/Qwen.csv")
    # b's column 2 covers 20 Jan..20 Feb (midpoint 4 Feb): 2025-02, where most bases' next interval lies: partial
    assert both.loc[both["partial_month"], ["base_model", "month"]].values.tolist() == [["Qwen/b", "2025-02"]]
    assert hf_growth.interval_month(pd.Timestamp("2024-01-31"), 1) == "2024-02"
    assert set(rows["origin"]) == {"China"} and rows["months_since_creation"].tolist() == [0, 1, 2]


def test_an_organization_missing_from_the_origin_table_is_an_error():
    with pytest.raises(DataError, match=r"finetune/Foo.csv: organization 'Foo' is not in the origin table"):
        hf_growth.parse_finetunes(finetune_frame(org="Foo"), "Foo", "finetune/Foo.csv")


def test_an_unparseable_count_is_an_error_naming_model_and_column():
    frame = finetune_frame(rows=(("Qwen/base", "2024-11-25 10:00:00+00:00", ("0", "lots", "")),))
    with pytest.raises(DataError, match=r"model Qwen/base 1-month: 'lots' is not a whole non-negative count"):
        hf_growth.parse_finetunes(frame, "Qwen", "finetune/Qwen.csv")


def test_downloads_become_daily_increases_credited_to_the_maker():
    frame = pd.DataFrame({"model": ["nvidia/parakeet-a", "nvidia/DeepSeek-R1-FP4"], "2024-07-02 00:00:00": ["0", "0"],
                          "2024-07-03 00:00:00": ["10", "2"], "2024-07-04 00:00:00": ["25", "2"],
                          "created_at": ["2024-01-01", "2025-01-01"]})  # fmt: skip
    rows = hf_growth.parse_downloads(frame, "Nvidia", "download/Nvidia.csv")
    a = rows[rows["model"] == "nvidia/parakeet-a"]
    assert a["daily_downloads"].tolist()[1:] == [10, 15] and pd.isna(a["daily_downloads"].iloc[0])
    assert a["origin"].iloc[0] == "United States"  # NVIDIA's own model
    assert set(rows.loc[rows["model"] == "nvidia/DeepSeek-R1-FP4", "origin"]) == {"China"}  # DeepSeek made it


# --- analysis on a hand-made growth table -----------------------------------------------------------------


def growth_table():
    """A Chinese base (months 2024-01..03, cumulative 0, 4, 10) and a US base (2024-02..03: 1, 3)."""
    rows = [("cn/base", "Qwen", "China", "2024-01", 0, 0), ("cn/base", "Qwen", "China", "2024-02", 1, 4),
            ("cn/base", "Qwen", "China", "2024-03", 2, 10), ("us/base", "Meta", "United States", "2024-02", 0, 1),
            ("us/base", "Meta", "United States", "2024-03", 1, 3)]  # fmt: skip
    table = pd.DataFrame(rows, columns=[*hub_growth.GROWTH_COLUMNS])
    return table.assign(created_at=pd.Timestamp("2024-01-01"), partial_month=table["month"] == "2024-03")


def test_monthly_new_finetunes_and_chinese_share_by_hand():
    table = hub_growth.finetunes_by_base_origin(growth_table(), "2024-01", n_top_excluded=1)
    china = table[table["origin"] == "China"].set_index("month")
    assert china["new_finetunes"].tolist() == [0, 4, 6]  # 0; 4 - 0; 10 - 4
    assert china["cumulative_finetunes"].tolist() == [0, 4, 10]
    assert china.loc["2024-02", "china_share"] == pytest.approx(4 / 5)  # US adds 1
    assert china.loc["2024-03", "china_share"] == pytest.approx(6 / 8)  # US adds 3 - 1 = 2
    assert pd.isna(china.loc["2024-01", "china_share"])  # no new fine-tunes at all
    assert china.loc["2024-03", "china_share_without_top_bases"] == 0  # without cn/base (10 > 3)
    assert china["partial_month"].tolist() == [False, False, True]


def test_share_change_first_vs_last_months_in_percentage_points():
    change = hub_growth.china_share_change(growth_table(), ("2024-02", "2024-02"), ("2024-03", "2024-03"))
    assert (change.first_k, change.first_n, change.last_k, change.last_n) == (4, 5, 6, 8)
    assert change.difference_pp == pytest.approx((6 / 8 - 4 / 5) * 100)  # -5 percentage points
    assert change.ci_low_pp < -5 < change.ci_high_pp


def test_family_counts_sum_the_last_count_of_each_member_base():
    rows = [("deepseek-ai/DeepSeek-R1", 5), ("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", 3),
            ("deepseek-ai/DeepSeek-V3", 7), ("meta-llama/Llama-3-8B", 4), ("meta-llama/Llama-2-7b", 6)]  # fmt: skip
    table = pd.DataFrame([(b, "o", "China", "2025-01", 0, n) for b, n in rows], columns=[*hub_growth.GROWTH_COLUMNS])
    table = table.assign(created_at=pd.Timestamp("2025-01-01"))
    assert hub_growth.family_finetunes(table, "DeepSeek-R1").finetunes == 5
    assert hub_growth.family_finetunes(table, "R1 family").finetunes == 8
    assert hub_growth.family_finetunes(table, "Llama family").finetunes == 10
    with pytest.raises(ParameterError, match="Valid values"):
        hub_growth.family_finetunes(table, "Mistral")


def test_weekly_trending_slots_by_maker_and_uploader_by_hand():
    rows = [("2026-01-05", 1, "China", "Unknown"), ("2026-01-05", 2, "United States", "United States"),
            ("2026-01-06", 1, "China", "China"), ("2026-01-06", 2, "Unknown", "Unknown")]  # fmt: skip
    trending = pd.DataFrame(rows, columns=["day", "rank", "maker_origin", "uploader_origin"])
    trending = trending.assign(day=pd.to_datetime(trending["day"]), model="m/x")
    weekly = hub_trending.weekly_slots(trending).set_index("origin")
    assert weekly["slots"].to_dict() == {"United States": 1, "China": 2, "Rest of world": 0, "Unknown": 1}
    assert weekly.loc["China", "share"] == 0.5 and weekly.loc["China", "share_by_uploader"] == 0.25
    assert weekly.loc["Unknown", "share_by_uploader"] == 0.5 and (weekly["days"] == 2).all()
    change = hub_trending.slot_share_change(trending, months=1)
    assert (change.first_k, change.first_n, change.last_k, change.last_n) == (2, 4, 2, 4)


# --- maker attribution --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "maker", "origin", "rule"),
    [
        ("unsloth/Qwen3.8-27B-GGUF", "Qwen", "China", "family table"),
        ("Comfy-Org/flux1-dev", "black-forest-labs", "Rest of world", "family table"),
        ("mlx-community/Llama-3.2-1B-Instruct-4bit", "meta-llama", "United States", "family table"),
        ("nvidia/Qwen3-8B-FP4", "Qwen", "China", "family table"),
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", "deepseek-ai", "China", "family table"),
        ("huihui-ai/gemma-3-4b-it-abliterated", "google", "United States", "family table"),
        ("unsloth/mystery-model", None, "Unknown", "unknown"),
        ("someone/cool-model", "someone", "Unknown", "uploader"),
    ],
)
def test_maker_is_credited_not_the_uploader(model, maker, origin, rule):
    credit = makers.maker_of(model)
    assert (credit.maker, credit.origin, credit.rule) == (maker, origin, rule)


def test_base_model_tags_come_first_and_repackaged_tags_are_followed():
    tagged = makers.maker_of("someone/tuned", ["Qwen/Qwen3-8B"], origins={"Qwen": "China"})
    assert (tagged.maker, tagged.origin, tagged.evidence, tagged.rule) == (
        "Qwen",
        "China",
        "Qwen/Qwen3-8B",
        "base model tag",
    )
    assert makers.maker_of("someone/tuned", ["unsloth/gemma-3-4b-it"]).maker == "google"
    assert makers.maker_of("lab/model", origins={"lab": "Rest of world"}).origin == "Rest of world"
    with pytest.raises(DataError, match="is not a Hub model id"):
        makers.maker_of("no-slash")


def test_attribution_gives_both_maker_and_uploader_origin():
    table = makers.attribute(["Comfy-Org/flux1-dev", "unsloth/mystery"], origins={"Comfy-Org": "United States"})
    assert table["maker_origin"].tolist() == ["Rest of world", "Unknown"]
    assert table["uploader_origin"].tolist() == ["United States", "Unknown"]


def test_family_table_rows_need_a_known_origin_and_evidence(tmp_path):
    bad = tmp_path / "families.csv"
    bad.write_text("pattern,maker,origin,evidence_url,note\nqwen,Qwen,Mars,https://huggingface.co/Qwen,x\n")
    with pytest.raises(DataError, match="pattern 'qwen' has origin 'Mars'"):
        makers.load_families(bad)
    bad.write_text("pattern,maker,origin,evidence_url,note\nqwen,Qwen,China,none,x\n")
    with pytest.raises(DataError, match="evidence URL"):
        makers.load_families(bad)
    assert len(makers.load_families()) >= 20


def test_real_growth_counts_of_the_claims(real_snapshot):
    growth = hf_growth.load_finetunes(real_snapshot(GROWTH))
    assert hub_growth.family_finetunes(growth, "DeepSeek-R1").finetunes == 1280
    assert hub_growth.family_finetunes(growth, "R1 family").n_bases == 8
    assert growth["organization"].nunique() == 17


# --- notebook 04's redrawn tables --------------------------------------------------------------------------


def test_downloads_credited_three_ways_by_hand():
    head = pd.DataFrame({"id": ["unsloth/Qwen3-8B-GGUF", "sentence-transformers/mini", "google/gemma-3", "x/late"],
                         "author": ["unsloth", "sentence-transformers", "google", "x"],
                         "downloads": [50, 30, 20, 99], "rank_downloads": [2, 3, 4, 301]})  # fmt: skip
    origins = {"unsloth": "United States", "sentence-transformers": "Rest of world", "google": "United States"}
    table = hub_redraw.attribution_shares(head, origins, {"sentence-transformers": "United States"}, 300)
    share = table.set_index(["attribution", "origin"])["share"]
    assert share[("uploader", "United States")] == pytest.approx(0.7)  # 50 + 20 of 100 (x/late is rank 301)
    assert share[("maker", "China")] == pytest.approx(0.5)  # the GGUF copy counts for Qwen
    assert share[("maker", "Rest of world")] == pytest.approx(0.3)  # sentence-transformers is its own maker
    assert share[("maintainer", "United States")] == pytest.approx(1.0)


def test_capped_roots_are_marked_as_floors():
    families = pd.DataFrame({"root": ["a/r", "a/r", "b/s"], "origin": ["China"] * 3, "relation": ["finetune"] * 3,
                             "n": [200, 101, 7]})  # fmt: skip
    table = hub_redraw.capped_counts(families, pd.Series({"a/r": 290, "b/s": 7}), 280)
    assert table[["root", "n", "capped", "label"]].values.tolist() == [
        ["b/s", 7, False, "7"],
        ["a/r", 301, True, "≥301"],
    ]


def test_timeline_window_starts_at_day_zero_with_earlier_derivatives():
    timeline = pd.DataFrame(
        {"root": ["r"] * 3, "days_since_release": [-5, 2, 200], "cumulative_derivatives": [1, 3, 9]}
    )
    window = hub_redraw.timeline_window(timeline, 3)
    assert window["cumulative_derivatives"].tolist() == [1, 1, 3, 3]  # days 0, 1, 2, 3


def test_creation_bins_put_the_early_tail_in_one_bin():
    creation = pd.DataFrame({"created_month": ["2021-03", "2022-12", "2023-01"], "origin": ["China"] * 3,
                             "n_models": [2, 3, 4]})  # fmt: skip
    table = hub_redraw.creation_bins(creation, "2023-01")
    assert table[["created_month", "n_models"]].values.tolist() == [["before 2023-01", 5], ["2023-01", 4]]


# --- notebook 07's sentences (analysis/hub_time_text): the facts and the numbers the filled templates state --------

CHANGE = hub_growth.ShareChange(
    "2022-03..2022-08", "2024-09..2025-02", 0.104, 0.395, 29.1, 28.0, 30.2, 10, 100, 80, 200
)
DROP = hub_growth.ShareChange("a", "b", 0.5, 0.45, -5.0, -7.25, -0.01, 1, 2, 3, 4)


def test_a_share_change_is_said_in_percentage_points_with_its_interval():
    said = hub_time_text.change(CHANGE, "The share")
    assert said == (
        "The share went from 10.4% (2022-03..2022-08, 100) to 39.5% (2024-09..2025-02, 200): +29.1 percentage points "
        "(95% interval +28.0 percentage points to +30.2 percentage points)"
    )
    assert hub_time_text.change(DROP, "").startswith("went from 50.0% (a, 2) to 45.0% (b, 4): -5.0 percentage points")


def test_growth_downloads_and_trending_paragraphs_state_their_numbers():
    table = pd.DataFrame({"month": ["2022-03", "2022-04", "2022-04"], "new_finetunes": [5, 1200, 30]})
    boot = {"organization": clustered.ClusteredChange("organization", 17, 5.0, -6.7, 81.0, 2000, 1), "base": None}
    facts = hub_time_text.growth_facts(table, CHANGE, DROP, ["a/b", "c/d"], boot)
    assert (facts["first_month"], facts["last_month"], facts["total"], facts["busiest"]) == (
        "2022-03", "2022-04", 1235, "2022-04"
    )  # fmt: skip
    growth = hub_time_text.growth_text(table, CHANGE, DROP, ["a/b", "c/d"], boot)
    for number in ("gained 1,235 fine-tunes; the busiest month was 2022-04", "(a/b, c/d)",
                   "without those bases it went from 50.0%",
                   "resampling whole organizations (17), -6.7 percentage points to +81.0"):  # fmt: skip
        assert number in growth
    daily = pd.DataFrame({"date": pd.to_datetime(["2025-02-17", "2025-02-18", "2025-02-18"]),
                          "origin": ["China", "China", "United States"], "share": [0.5, 0.3, 0.7]})  # fmt: skip
    facts = hub_time_text.downloads_facts(daily, CHANGE, "2025-01-20", 1234)
    assert (facts["us"], facts["china"], facts["unknown"]) == (0.7, 0.3, None)
    downloads = hub_time_text.downloads_text(daily, CHANGE, "2025-01-20", 1234)
    assert downloads.startswith("On 2025-02-18 the 7-day mean downloads of the 1,234 tracked models split by maker")
    assert "United States 70.0%, China 30.0%, Rest of world n/a, Unknown n/a." in downloads
    monthly = pd.DataFrame({"month": ["2025-11", "2026-08"], "days": [12, 30], "maker_share": [0.2, 0.45],
                            "uploader_share": [0.1, 0.3], "maker_share_known": [0.25, 0.5]})  # fmt: skip
    trending = hub_time_text.trending_text(monthly, CHANGE, DROP, [], 17)
    for number in ("In 2025-11 (12 days) models of Chinese makers held 20.0%", "(25.0% of those with a known maker;", "10.0% credited to the uploader)",
                   "45.0% (50.0%; 30.0%)", "Days without a file (none)", "17 slots"):  # fmt: skip
        assert number in trending
    assert "(2026-01-01, 2026-02-02)" in hub_time_text.trending_caption(["2026-01-01", "2026-02-02"])
    caveats = hub_time_text.caveats_text(17, 0.3456, ["x"], 30)
    assert "cover 17 organizations'" in caveats and "hold 34.6% of all" in caveats and "1 days have no file" in caveats


def test_a_declared_base_is_checked_before_the_family_table():
    # "Nemotron" matches NVIDIA's family, but the model card declares Qwen3-8B as the base: credited to Qwen
    found = makers.maker_of("nvidia/Nemotron-Orchestrator-8B")
    assert (found.maker, found.origin, found.rule) == ("Qwen", "China", "declared base")
    assert found.evidence.startswith("https://huggingface.co/nvidia/")
    assert makers.maker_of("nvidia/Nemotron-Cascade-2-30B-A3B").rule == "family table"  # no declared base
    assert all(url.startswith("https://") for _, _, url in makers.declared_bases())


def test_us_uploads_on_chinese_bases_split_repackaging_from_fine_tunes():
    rows = [("unsloth/Qwen3-8B-GGUF", "unsloth", "Qwen", "China"), ("fal/Qwen-Edit-LoRA", "fal", "Qwen", "China"),
            ("fal/Flux-LoRA", "fal", "black-forest-labs", "Rest of world"), ("Qwen/Qwen3-8B", "Qwen", "Qwen", "China"),
            ("krea/Krea-2", "krea", "krea", "United States")]  # fmt: skip
    table = pd.DataFrame([{"day": pd.Timestamp("2026-01-05"), "rank": i + 1, "model": m, "uploader": u, "maker": mk,
                           "maker_origin": o, "uploader_origin": "China" if u == "Qwen" else "United States"}
                          for i, (m, u, mk, o) in enumerate(rows)])  # fmt: skip
    slots = hub_trending.us_on_chinese(table, frozenset({"unsloth"}))
    # US-uploaded, built on another maker's model: the GGUF, the two LoRAs (Qwen's and krea's own uploads are not)
    assert slots["model"].tolist() == ["unsloth/Qwen3-8B-GGUF", "fal/Qwen-Edit-LoRA", "fal/Flux-LoRA"]
    assert slots["kind"].tolist() == ["repackaging", "fine-tune", "fine-tune"]
    monthly = hub_trending.us_on_chinese_monthly(slots).set_index("kind")
    assert monthly.loc["all", "share"] == 2 / 3 and monthly.loc["fine-tune", "share"] == 0.5
