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


def test_ids_are_the_ten_of_the_issue():
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
    ]


def test_finding_refuses_a_verdict_outside_the_four():
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


def test_flagships_rule(ctx):
    c = claim("us-flagships-api-only")
    found = c.evaluate(ctx, c.thresholds)
    assert found.evidence["open_weights"] == 0
    assert found.verdict == (
        "supported" if found.evidence["api_or_hosted"] / found.evidence["labelled"] >= 0.9 else "mixed"
    )
    _, harder = with_thresholds("us-flagships-api-only", min_api_or_hosted_share=1.0)
    assert c.evaluate(ctx, harder).verdict == "mixed"
    _, gemma = with_thresholds("us-flagships-api-only", families=["Gemma"])
    assert c.evaluate(ctx, gemma).verdict == "contradicted"  # Google's open family is not a closed flagship


def test_dozens_rule_moves_with_its_threshold(ctx):
    c = claim("dozens-chinese-groups")
    found = c.evaluate(ctx, c.thresholds)
    n_all, n_notable = found.evidence["all_open"], found.evidence["notable_open"]
    assert n_all >= n_notable > 0
    _, low = with_thresholds("dozens-chinese-groups", dozens=n_notable)
    assert c.evaluate(ctx, low).verdict == "supported"
    _, high = with_thresholds("dozens-chinese-groups", dozens=n_all + 1, contradicted_below=n_all + 1)
    assert c.evaluate(ctx, high).verdict == "contradicted"


def test_openai_open_weights_names_the_first_release(ctx):
    c = claim("openai-open-weights")
    found = c.evaluate(ctx, c.thresholds)
    first = found.evidence["releases"][0]
    assert found.verdict == "supported"
    assert first["model"].startswith("gpt-oss") and first["date"] == "2025-08-05"
    _, later = with_thresholds("openai-open-weights", after="2026-12-31")
    assert c.evaluate(ctx, later).verdict == "mixed"


def test_context_parameters_are_the_snapshots():
    params = ev.Context().parameters()
    refs = [v for v in params.values() if isinstance(v, str)] + params["eci_variants"]
    assert params["snapshot"] == EPOCH and all("@" in v for v in refs)


# --- the multi-indicator rule, on hand-made indicators ---------------------------------------------

RULE = {"supported_if_at_least": 3, "contradicted_if_at_most": 1, "min_indicators": 3}


def indicators(**holds):
    return {name: {"holds": value, "says": name} for name, value in holds.items()}


def test_combine_supports_only_what_holds_under_every_variant():
    from opentrends.claims.verdicts import combine

    four = indicators(a=True, b=True, c=True, d=True)
    assert combine(four, {}, RULE)["verdict"] == "supported"
    one_fragile = combine(four, {"d:other_universe": False}, RULE)
    assert one_fragile["verdict"] == "supported" and one_fragile["reversed_by"] == {"d": ["other_universe"]}
    two_fragile = combine(four, {"c:v1": False, "d:v2": False, "d:v3": True}, RULE)
    assert two_fragile["verdict"] == "mixed" and two_fragile["robust"] == ["a", "b"]


def test_combine_contradicts_only_what_no_variant_rescues():
    from opentrends.claims.verdicts import combine

    mostly_false = indicators(a=True, b=False, c=False, d=False)
    assert combine(mostly_false, {}, RULE)["verdict"] == "contradicted"
    assert combine(mostly_false, {"b:other": True}, RULE)["verdict"] == "mixed"


def test_combine_needs_enough_measured_indicators():
    from opentrends.claims.verdicts import combine

    assert combine(indicators(a=True, b=True, c=None, d=None), {}, RULE)["verdict"] == "not testable"


def test_us_slipping_names_every_variant_that_reverses_an_indicator(ctx):
    c = claim("us-slipping")
    found = c.evaluate(ctx, c.thresholds)
    evidence = found.evidence
    assert set(evidence["indicators"]) == {
        "open_share_gap",
        "us_share_of_open_releases",
        "best_open_model_gap",
        "hub_downloads",
    }
    gap = evidence["indicators"]["open_share_gap"]
    assert gap["china_minus_us_last"] > gap["china_minus_us_first"]  # 2025 vs 2023, checked in notebook 06
    releases = evidence["indicators"]["us_share_of_open_releases"]
    assert (releases["baseline_us"], releases["baseline_open"]) == (75, 139)  # 2016-2020, exclusive origin
    for indicator, variants in evidence["reversed_by"].items():
        assert indicator in found.summary and all(v in found.summary for v in variants)
    assert found.verdict == ("supported" if len(evidence["robust"]) >= 3 else "mixed")


def test_builders_is_capped_by_the_whole_head_variant(ctx):
    c = claim("builders-turn-to-chinese")
    found = c.evaluate(ctx, c.thresholds)
    ind = found.evidence["indicators"]
    assert ind["best_us_models_closed"]["best_us_access"] == "closed"
    assert ind["open_llm_downloads"]["shares"]["China"] > ind["open_llm_downloads"]["shares"]["United States"]
    # over every model kind in the head the US leads, so the downloads indicator is not robust
    assert found.evidence["reversed_by"].get("open_llm_downloads") == ["whole_head", "whole_head_maintainer_labels"]
    assert found.verdict == "mixed"


def test_ai2_says_when_excellence_cannot_be_measured(ctx):
    c = claim("ai2-fully-open")
    found = c.evaluate(ctx, c.thresholds)
    assert found.evidence["continuing"] and found.evidence["fully_open"]
    if found.evidence["best_percentile"] is None:
        assert found.verdict == "mixed" and "not measured" in found.summary
    stricter = {**c.thresholds, "years": [2019, 2020]}
    assert c.evaluate(ctx, stricter).evidence["open_releases_by_year"].keys() == {2019, 2020}
