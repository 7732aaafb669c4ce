"""The growth data's audit on hand-made tables: generic names, agreement with the trees, one organization out."""

import pandas as pd

from opentrends.analysis import growth_audit


def growth_table() -> pd.DataFrame:
    # base -> (organization, origin, new in 2023-07, new in 2024-07)
    bases = {"Qwen/Qwen-7B": ("Qwen", "China", 1, 9), "BAAI/EVA": ("BAAI", "China", 0, 300),
             "meta-llama/Llama-2-7b": ("Meta", "United States", 9, 1),
             "HuggingFaceM4/tiny-random-LlamaForCausalLM": ("HuggingFace", "United States", 0, 1)}  # fmt: skip
    rows = []
    for base, (org, origin, a, b) in bases.items():
        for k, (month, n) in enumerate((("2023-07", a), ("2024-07", a + b))):
            rows.append({"base_model": base, "organization": org, "origin": origin, "created_at": pd.Timestamp("2023-07-01"),
                         "month": month, "months_since_creation": k, "cumulative_finetunes": n,
                         "partial_month": False})  # fmt: skip
    return pd.DataFrame(rows)


def test_generic_names_are_flagged_from_100_counted_models_and_test_models_always():
    flagged = growth_audit.generic_bases(growth_table())
    assert flagged["base_model"].tolist() == ["BAAI/EVA", "HuggingFaceM4/tiny-random-LlamaForCausalLM"]


def test_tree_agreement_divides_the_growth_count_by_the_trees_direct_fine_tune_children():
    trees = pd.DataFrame({"id": ["a/x", "b/y", "c/z"], "baseModels": [
        {"models": [{"id": "meta-llama/Llama-2-7b"}], "relation": "finetune"},
        {"models": [{"id": "meta-llama/Llama-2-7b"}], "relation": "finetune"},
        {"models": [{"id": "meta-llama/Llama-2-7b"}], "relation": "quantized"}]})  # fmt: skip
    agreement = growth_audit.tree_agreement(growth_table(), trees)
    assert agreement.to_dict("records") == [
        {"base_model": "meta-llama/Llama-2-7b", "growth": 10, "trees": 2, "ratio": 5.0}
    ]
    assert growth_audit.ratio_summary(agreement)["higher"] == 1


def test_leaving_one_organization_out_shows_who_carries_the_change():
    loo = growth_audit.leave_one_organization_out(growth_table(), ("2023-07", "2023-07"), ("2024-07", "2024-07"))
    by = loo.set_index("left_out")["difference_pp"]
    # all: China 1 of 10 -> 309 of 311; without BAAI: 1 of 10 -> 9 of 11
    assert round(by["none"], 2) == round(100 * (309 / 311 - 0.1), 2)
    assert round(by["BAAI"], 2) == round(100 * (9 / 11 - 0.1), 2)
