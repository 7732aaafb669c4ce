"""The claims ledger: verdicts follow from evidence and thresholds; evidence matches the raw data."""

from __future__ import annotations

import pandas as pd
import pytest

from opentrends.claims import evidence as ev
from opentrends.claims import ledger as claims

EPOCH = "epoch-ai-models@2026-03-30"


@pytest.fixture(scope="module")
def ctx():
    from opentrends.data.availability import first_unavailable

    reason = first_unavailable([EPOCH, "epoch-ai-models@2026-07-19"])
    if reason:
        pytest.skip(reason)
    return ev.Context()


def claim(claim_id: str) -> claims.Claim:
    return next(c for c in claims.CLAIMS if c.id == claim_id)


def with_thresholds(claim_id: str, **changes) -> tuple[claims.Claim, dict]:
    c = claim(claim_id)
    return c, {**c.thresholds, **changes}


def raw_epoch_union(mirror_root) -> pd.DataFrame:
    """Epoch's four files read with plain pandas, de-duplicated on the stripped name, the all-models row first."""
    folder = mirror_root / "epoch-ai-models" / "2026-03-30"
    files = ["all_ai_models.csv", "notable_ai_models.csv", "large_scale_ai_models.csv", "frontier_ai_models.csv"]
    frames = [pd.read_csv(folder / f, dtype=str, keep_default_na=False) for f in files]
    union = pd.concat(frames, ignore_index=True)
    union["Model"] = union["Model"].str.strip()
    return union.drop_duplicates("Model", keep="first")


def test_ids_are_the_twelve_of_the_issues():
    assert claims.claim_ids() == [
        "us-led-open-2016-2020",
        "us-slipping",
        "dozens-chinese-groups",
        "us-flagships-api-only",
        "r1-most-liked",
        "r1-thousands-variants",
        "llama-tens-of-thousands",
        "openai-open-weights",
        "ai2-fully-open",
        "builders-turn-to-chinese",
        "bfl-open-multimodal",
        "chinese-groups-share-methods",
    ]


def test_finding_refuses_a_verdict_outside_the_six():
    with pytest.raises(ValueError, match="verdict must be one of"):
        claims.Finding("probably", "", {}, [])


def test_us_led_evidence_and_rule(ctx):
    c = claim("us-led-open-2016-2020")
    found = c.evaluate(ctx, c.thresholds)
    assert found.verdict == "supported"
    assert found.evidence["years_us_led"] == 5
    assert found.evidence["runner_up"] in {"China", "Germany"}
    # the rule, not a typed verdict: demanding more years than exist turns it into "mixed"
    _, strict = with_thresholds("us-led-open-2016-2020", min_years_led=6)
    assert c.evaluate(ctx, strict).verdict == "mixed"


def test_us_led_counts_match_the_raw_csv(ctx, mirror_root):
    raw = raw_epoch_union(mirror_root)
    year = raw["Publication date"].str[:4]
    countries = raw["Country (of organization)"].map(lambda c: {p.strip() for p in c.split(",") if p.strip()})
    open_ = raw["Model accessibility"].str.startswith("Open weights")
    table = ev.open_releases_by_country(ctx, 2016, 2020)
    for country in (ev.US, ev.CHINA):
        expected = int((open_ & countries.map(lambda c, k=country: c == {k}) & year.between("2016", "2020")).sum())
        assert int(table.loc[table["country"] == country, "n_open"].sum()) == expected


def test_flagships_rule_is_no_open_weights(ctx):
    c = claim("us-flagships-api-only")
    found = c.evaluate(ctx, c.thresholds)
    assert found.evidence["open_weights"] == 0 and found.evidence["models"] == 62
    assert found.verdict == "supported"
    assert c.evaluate(ctx.at("2025-08-01"), c.thresholds).evidence["models"] == 52  # dated before the op-ed
    _, gemma = with_thresholds("us-flagships-api-only", families=["Gemma"])
    assert c.evaluate(ctx, gemma).verdict == "contradicted"  # Google's open family is not a closed flagship


def test_dozens_counts_by_capability(ctx):
    c = claim("dozens-chinese-groups")
    then, now = c.evaluate(ctx.at("2025-08-01"), c.thresholds), c.evaluate(ctx, c.thresholds)
    assert then.evidence["atom_tracked"] is None and then.verdict == "not testable"  # ATOM's list is undated
    assert now.evidence["atom_tracked"] == 20 and now.verdict == "mixed"
    assert now.evidence["eci_near_frontier"] <= now.evidence["any_open_release"]


def test_openai_is_a_forecast_fulfilled_after_the_op_ed(ctx):
    c = claim("openai-open-weights")
    then, now = c.evaluate(ctx.at("2025-08-01"), c.thresholds), c.evaluate(ctx, c.thresholds)
    assert then.verdict == "supported" and then.evidence["releases"] == []  # suggested, not yet fulfilled
    first = now.evidence["releases"][0]
    assert now.verdict == "supported" and first["model"].startswith("gpt-oss") and first["date"] == "2025-08-05"


def test_context_parameters_are_the_snapshots():
    params = ev.Context().parameters()
    refs = [v for k, v in params.items() if isinstance(v, str) and k != "as_of"] + params["eci_variants"]
    assert params["snapshot"] == EPOCH and all("@" in v for v in refs)
    assert params["as_of"] == "2025-08-01" and "cutoff" not in params


# --- the rewritten rules, each on a small hand-made evidence table ---------------------------------

TREND = {"supported_if_at_least": 2, "min_indicators": 2}


def change(holds, against=False, robust=False):
    return {"kind": "change", "holds": holds, "against": against, "robust": robust}


def test_trend_rule_reaches_every_verdict_and_levels_never_vote():
    from opentrends.claims.change import combine

    level = {"kind": "level", "holds": True, "against": False}
    assert combine({"a": change(True, robust=True), "b": change(True, robust=True), "l": level}, TREND)["verdict"] == (
        "supported"
    )
    assert combine({"a": change(True, robust=True), "b": change(False)}, TREND)["verdict"] == "mixed"
    assert combine({"a": change(True), "b": change(True)}, TREND)["verdict"] == "mixed"  # not robust: no variants
    assert combine({"a": change(False, against=True), "b": change(False)}, TREND)["verdict"] == "contradicted"
    assert combine({"a": change(True, robust=True), "b": change(False, against=True)}, TREND)["verdict"] == "mixed"
    flat = combine({"a": change(False), "b": change(False), "l": level}, TREND)
    assert flat["verdict"] == "inconclusive" and "includes no change" in flat["why"]  # data exist, no change shown
    assert combine({"a": change(True, robust=True), "b": change(None), "l": level}, TREND)["verdict"] == "not testable"
    every = {"supported_if_at_least": "all", "min_indicators": 1}
    assert combine({"a": change(True, robust=True), "b": change(None)}, every)["verdict"] == "supported"


def test_variants_make_an_indicator_robust_only_when_all_agree():
    from opentrends.analysis.trends import Slope
    from opentrends.claims.change import indicator, with_variants

    up = Slope(0.5, 0.1, 0.9, 0.01, 100, "log-odds per year", "2020-01-01", "2025-07-31")
    flat = Slope(0.2, -0.1, 0.5, 0.2, 100, "log-odds per year", "2020-01-01", "2025-07-31")
    item = indicator("change", up, "up", "x")
    assert item["holds"] and not item["robust"]  # no variants: never robust
    assert with_variants(item, {"v1": up, "v2": None})["robust"]
    fragile = with_variants(item, {"v1": up, "v2": flat})
    assert not fragile["robust"] and fragile["reversed_by"] == ["v2"]
    assert indicator("change", Slope(-0.5, -0.9, -0.1, 0.01, 100, "", "", ""), "up", "x")["against"]


def test_ai2_overall_never_counts_unmeasured_against():
    from opentrends.claims.verdicts import overall

    def parts(*verdicts):
        return {f"p{i}": {"verdict": v} for i, v in enumerate(verdicts)}

    assert overall(parts("supported", "supported", "supported")) == "supported"
    assert overall(parts("supported", "supported", "not testable")) == "partly supported"  # a part unmeasured
    assert overall(parts("supported", "not testable", "not testable")) == "partly supported"
    assert overall(parts("supported", "contradicted", "not testable")) == "mixed"
    assert overall(parts("contradicted", "contradicted", "not testable")) == "contradicted"
    assert overall(parts("not testable", "not testable", "not testable")) == "not testable"


def test_flagships_verdict_on_a_hand_made_table():
    from opentrends.claims.verdicts import flagships_verdict

    families = ["GPT-4", "Claude"]
    rows = pd.DataFrame({"family": ["GPT-4", "Claude"], "access": ["API access", "API access"], "open": [False, False]})
    assert flagships_verdict(rows, families) == "supported"
    assert flagships_verdict(rows.assign(access=["API access", ""]), families) == "mixed"  # Claude unlabelled
    assert flagships_verdict(rows.assign(open=[False, True]), families) == "contradicted"
    assert flagships_verdict(rows.iloc[0:0], families) == "not testable"


def test_dozens_verdict_reads_the_eci_count_as_a_floor():
    from opentrends.claims.verdicts import dozens_verdict

    t = {"dozens": 24, "contradicted_below": 12}
    assert dozens_verdict(3, 30, t) == "supported"
    assert dozens_verdict(25, None, t) == "supported"
    assert dozens_verdict(3, None, t) == "not testable"  # a floor below the threshold cannot contradict
    assert dozens_verdict(3, 20, t) == "mixed"
    assert dozens_verdict(3, 11, t) == "contradicted"


def test_forecast_verdict_on_hand_made_statements():
    from opentrends.claims.verdicts import forecast_verdict

    said = [{"date": "2025-03-31", "kind": "suggested"}]
    release = [{"model": "m", "date": "2025-08-05"}]
    assert forecast_verdict(said, [], as_of=True) == "supported"
    assert forecast_verdict(said, release, as_of=False) == "supported"
    assert forecast_verdict(said, [], as_of=False) == "inconclusive"  # pending: no fulfilment yet
    assert forecast_verdict(said + [{"date": "2025-06-01", "kind": "withdrawn"}], [], as_of=True) == "contradicted"
    assert forecast_verdict([], release, as_of=True) == "not testable"


def test_us_slipping_votes_only_with_change_indicators_and_states_origin_rules(ctx):
    c = claim("us-slipping")
    found = c.evaluate(ctx.at("2025-08-01"), c.thresholds)
    votes = found.evidence["indicators"]
    assert set(votes) == {"open_share_trend", "us_share_of_open_releases_trend", "open_eci_trend",
                          "arena_best_open_difference_trend"}  # fmt: skip
    assert all(v["kind"] == "change" and v["origin_rule"] and v["clustering_unit"] for v in votes.values())
    # the catalogue and ECI fits are clustered by organization; the naive interval sits beside the clustered one
    assert {votes[k]["clustering_unit"] for k in ("open_share_trend", "open_eci_trend")} == {"organization"}
    assert all(v["interval_naive"][0] is not None for v in votes.values())
    assert {k for k, v in found.context["levels"].items()} == {"best_open_eci_level", "hub_downloads_level"}
    assert all(v["fit"]["last"] < "2025-08-01" for v in votes.values())  # nothing after the op-ed
    for v in votes.values():
        assert v["holds"] == (v["fit"]["ci_low"] > 0 if v["claimed_direction"] == "up" else v["fit"]["ci_high"] < 0)


def test_builders_votes_with_the_catalogue_and_hub_fine_tune_trends_as_of_the_op_ed(ctx):
    c = claim("builders-turn-to-chinese")
    found = c.evaluate(ctx.at("2025-08-01"), c.thresholds)
    votes = found.evidence["indicators"]
    catalogue = votes["catalogue_finetunes_on_chinese_bases"]
    assert catalogue["n"] == 405 and catalogue["n_chinese_base"] == 120
    assert set(catalogue["variants"]) == {"other_builders", "us_builders"}
    assert votes["hub_new_finetunes_chinese_share"]["sources"] == ["hf-derivative-growth@2025-02-18"]
    assert votes["hub_trending_maker_share"]["holds"] is None  # the archive starts 2025-11-07: since only
    assert "premise_best_us_closed" in found.context["levels"]


def test_ai2_per_part_verdicts(ctx):
    c = claim("ai2-fully-open")
    now = c.evaluate(ctx, c.thresholds)
    assert now.evidence["verdict_by_part"] == {
        "continues": "supported",
        "fully_open": "supported",
        "excellent": "not testable",
    }
    assert now.verdict == "partly supported" and "excellent" in now.needs


def test_ledger_has_both_verdicts_and_a_line_on_what_would_change(ctx):
    ledger = claims.evaluate(["us-flagships-api-only", "openai-open-weights"], ctx=ctx)
    assert [(i["verdict"], i["since_verdict"]) for i in ledger] == [("supported", "supported")] * 2
    markdown = claims.to_markdown(ledger)
    assert markdown.count("What would change this verdict:") == 2 and "as of 2025-08-01" in markdown


def test_figure_tables_of_the_trend_claims(ctx):
    from opentrends.claims import plots

    years = plots.open_share_by_year(ctx, 2020)
    assert years["year"].tolist() == [2020, 2021, 2022, 2023, 2024, 2025]  # every year, not two endpoints
    assert (years["ci_low"] <= years["difference"]).all() and (years["difference"] <= years["ci_high"]).all()
    assert years.loc[years["year"] == 2023, "difference"].round(4).item() == 0.1181  # notebook 06's default 2023
    bases = plots.chinese_base_share_by_year(ctx, 2020)
    assert bases["n"].sum() == 440 and bases["chinese"].sum() == 147  # the since indicator's counts


def test_r1_verdict_from_growth_counts_on_hand_made_numbers():
    from opentrends.claims.verdicts import r1_verdict

    assert r1_verdict(2100, 3000, 2000) == "supported"
    assert r1_verdict(1280, 2287, 2000) == "mixed"  # R1 alone short of 2,000, its family above
    assert r1_verdict(400, 2100, 2000) == "mixed"
    assert r1_verdict(400, 900, 2000) == "contradicted"


# --- Hub-over-time wiring on hand-made tables (worked out by hand in the comments) --------------------

GROWTH_NEW = {  # base -> (origin, new fine-tunes in 2024-01, -02, -03, -04 (partial))
    "Qwen/A": ("China", (2, 0, 5, 1)),
    "meta-llama/B": ("United States", (6, 0, 2, 0)),
    "meta-llama/C": ("United States", (2, 0, 1, 0)),
    "deepseek-ai/D": ("China", (0, 0, 2, 0)),
}


def hand_ctx() -> ev.Context:
    """A context whose growth and trending tables are the hand-made ones below (the refs are the registered ones)."""
    rows = []
    for base, (origin, new) in GROWTH_NEW.items():
        for k, month in enumerate(["2024-01", "2024-02", "2024-03", "2024-04"]):
            rows.append({"base_model": base, "organization": base.split("/")[0], "origin": origin,
                         "created_at": pd.Timestamp("2024-01-01"), "month": month, "months_since_creation": k,
                         "cumulative_finetunes": sum(new[: k + 1]), "partial_month": k == 3})  # fmt: skip
    days = {"2025-11-10": (2, 1), "2025-12-10": (8, 3)}  # day -> (Chinese makers, Chinese uploaders) of 10 slots
    trending = pd.DataFrame([{"day": pd.Timestamp(day), "rank": r + 1, "model": f"m/{day}-{r}",
                              "maker_origin": "China" if r < maker else "United States",
                              "uploader_origin": "China" if r < uploader else "United States"}
                             for day, (maker, uploader) in days.items() for r in range(10)])  # fmt: skip
    ctx = ev.Context()
    ctx.cached(("growth", ctx.growth_snapshot), lambda: pd.DataFrame(rows))
    ctx.cached(("trending", ctx.trending_snapshot), lambda: trending)
    return ctx


def test_hub_fine_tune_share_change_on_a_hand_made_growth_table():
    from opentrends.claims import hub_time

    found = hub_time.finetune_indicator(hand_ctx(), {"hub_window": [["2024-01", "2024-01"], ["2024-03", "2024-03"]]})
    # 2024-01: China 2 of 10; 2024-03 (last complete month): China 7 of 10 -> +50 pp; Newcombe low
    # = 0.5 - sqrt((0.7 - 0.397)^2 + (0.510 - 0.2)^2) = +0.067 > 0: the naive interval (fine-tunes independent)
    # excludes 0, but resampling the 4 bases (or 3 organizations) reaches 0: the clustered one votes, no hold.
    assert found["fit"]["estimate"] == 50.0 and found["fit"]["naive_low"] == 6.6476
    assert found["naive_direction"] == "up" and found["holds"] is False and found["fit"]["ci_low"] == 0.0
    assert set(found["clustered"]) == {"base_model", "organization"} and found["clustering_unit"] == "base_model"
    # Without the two bases with most fine-tunes (Qwen/A and meta-llama/B, 8 each): 0 of 2 -> 2 of 3, +66.67 pp,
    # Newcombe low = 0.667 - sqrt((0.667 - 0.208)^2 + 0.658^2) < 0: the variant does not hold, so not robust.
    assert found["variant_fits"]["without_top_2_bases"]["estimate"] == 66.6667
    assert found["variant_fits"]["without_top_2_bases"]["naive_low"] == -13.53
    assert found["variants"]["without_top_2_bases"] == "no clear change"
    assert found["robust"] is False and found["sources"] == ["hf-derivative-growth@2025-02-18"]


def test_family_counts_and_llama_verdict_on_a_hand_made_growth_table():
    from opentrends.catalog.loaders import hf_trees
    from opentrends.claims import hub_time

    ctx = hand_ctx()
    # The verdict's context reads the April 2025 trees: a hand-made families table too, so no pinned data is read.
    families = pd.DataFrame({"root": ["meta-llama/Llama-2-7b", "meta-llama/Llama-2-7b", "Qwen/A"],
                             "origin": ["United States", "United States", "China"],
                             "relation": ["finetune", "quantized", "finetune"], "n": [4, 3, 9]})  # fmt: skip
    trees = hf_trees.Trees(pd.DataFrame(), pd.DataFrame(columns=["root", "n"]), 0)
    ctx.cached(("trees", ctx.trees_snapshot), lambda: (trees, families))
    assert hub_time.llama_variants(ctx) == {"llama_family": 11, "llama_bases": 2, "qwen": 8,
                                            "snapshot": "hf-derivative-growth@2025-02-18"}  # fmt: skip
    c = claim("llama-tens-of-thousands")
    found = [c.evaluate(ctx, {**c.thresholds, "tens_of_thousands": n}) for n in (10, 20, 30)]
    assert [f.verdict for f in found] == ["supported", "mixed", "contradicted"]  # 11 >= 10; 11 >= 20 // 2; 11 < 15
    # the trees stay context: 4 + 3 recorded derivatives of Llama-2-7b, none of the other two roots
    assert found[0].context["recorded_derivatives"] == {
        "meta-llama/Llama-2-7b": 7, "meta-llama/Llama-2-7b-chat-hf": 0, "meta-llama/Llama-4-Scout-17B-16E": 0,
    }  # fmt: skip


TRENDING_WINDOW = {"trending_window": [["2025-11", "2025-11"], ["2025-12", "2025-12"]]}


def test_trending_share_change_is_since_only_on_a_hand_made_table():
    from opentrends.claims import hub_time

    ctx = hand_ctx()
    now = hub_time.trending_indicator(ctx, TRENDING_WINDOW)
    # maker: 2 of 10 -> 8 of 10, +60 pp, low = 0.6 - sqrt(0.31^2 + 0.31^2) = +0.162: holds;
    # uploader: 1 of 10 -> 3 of 10, +20 pp, its interval includes 0: the variant does not hold, not robust.
    assert now["fit"]["estimate"] == 60.0 and now["fit"]["naive_low"] == 16.1824 and now["holds"] is True
    assert now["clustering_unit"] == "model" and now["fit"]["ci_low"] == 20.0  # 20 models resampled per month
    assert now["variants"]["by_uploader"] == "no clear change" and now["robust"] is False
    assert now["variant_fits"]["by_uploader"]["estimate"] == 20.0
    as_of = hub_time.trending_indicator(ctx.at("2025-08-01"), TRENDING_WINDOW)
    assert as_of["holds"] is None and "archive starts 2025-11-07" in as_of["says"]


def test_an_unregistered_hub_snapshot_leaves_the_claims_not_testable(ctx):
    from opentrends.claims import hub_time

    other = ev.Context(growth_snapshot="hf-derivative-growth@1999-01-01")
    assert hub_time.loaded(other, "growth") is False and hub_time.llama_variants(other) is None
    assert (
        hub_time.MISSING
        in hub_time.finetune_indicator(other, {"hub_window": [["2023-07", "2023-12"], ["2024-07", "2024-12"]]})["says"]
    )


def test_builders_figure_draws_the_hub_series_credited_to_the_maker():
    """The claim figure's Hub panel is the same series as notebook 07's: worked through by hand from the archive's
    first month (2025-11, 24 days x 30 slots = 720) and the growth data's first complete months."""
    from opentrends.claims import hub_time
    from opentrends.data.availability import first_unavailable

    refs = ["hf-derivative-growth@2025-02-18", "hf-trending-archive@2026-08-21", "atom-tracked-models@2026-08-17"]
    if reason := first_unavailable(refs):
        pytest.skip(reason)
    series = hub_time.builders_series(ev.Context())
    assert sorted(series["series"].unique()) == [
        "hub_finetunes_chinese_share",
        "hub_finetunes_chinese_share_without_top_bases",
        "trending_maker_china_share",
        "trending_uploader_china_share",
        "trending_us_finetunes_on_chinese_share",
        "trending_us_repackagings_on_chinese_share",
        "trending_us_uploads_on_chinese_share",
    ]
    first = series[series["date"] == "2025-11-15"].set_index("series")
    assert first.loc["trending_maker_china_share", "n"] == 720
    # 54.6% once declared bases and evidenced authors credit former Unknown slots (notebook 07: 54.6%)
    assert round(first.loc["trending_maker_china_share", "value"], 3) == 0.546
    assert round(first.loc["trending_uploader_china_share", "value"], 3) == 0.286
    fine = series[series["series"] == "hub_finetunes_chinese_share"]
    # increments sit in the month of the interval they cover: the earliest base (2022-03-07) has its first month's
    # in 2022-03; 2025-01 is complete (the first uncounted intervals of most bases lie in 2025-02)
    assert (fine["date"].min(), fine["date"].max()) == (pd.Timestamp("2022-03-15"), pd.Timestamp("2025-01-15"))


def test_bfl_verdict_on_hand_made_labels():
    from opentrends.claims.method_claims import bfl_verdict

    rows = pd.DataFrame({"open": [True, False], "multimodal": ["text-to-image", "text-to-image"],
                         "checked_label": ["Open weights (unrestricted)", "API access"]})  # fmt: skip
    assert bfl_verdict(rows) == "supported"
    assert bfl_verdict(rows.assign(checked_label=["Open weights (non-commercial)", "API access"])) == "mixed"
    assert bfl_verdict(rows.assign(open=False)) == "contradicted"
    assert bfl_verdict(rows.iloc[0:0]) == "not testable"


def test_sharing_verdict_on_hand_made_intervals():
    from opentrends.claims.method_claims import sharing_verdict

    def d(low, high):
        return {"ci_low_pp": low, "ci_high_pp": high}

    assert sharing_verdict({"a": d(-5, 20), "b": d(2, 9)}, 10) == "supported"
    assert sharing_verdict({"a": d(-30, -2), "b": d(-25, 5)}, 10) == "contradicted"
    assert sharing_verdict({"a": d(-30, -2), "b": d(3, 9)}, 10) == "mixed"
    assert sharing_verdict({"a": d(-20, 10)}, 10) == "inconclusive"
    assert sharing_verdict({"a": {}}, 10) == "not testable"


def test_bfl_labels_are_checked_against_evidence(ctx):
    c = claim("bfl-open-multimodal")
    found = c.evaluate(ctx.at("2025-08-01"), c.thresholds)
    assert "FLUX.1 Kontext [dev]" in found.evidence["relabelled"]  # Epoch: Unreleased; weights are on the Hub
    assert found.verdict == "supported" and found.evidence["trending_slots_by_repository"] == {}
