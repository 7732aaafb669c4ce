"""Chatbot Arena history: the loader's parsing and errors, and the rules of `analysis.arena` (best open and
closed, percent gap, lead changes, maker vs organization credit, licence overrides and audit) on hand-made
tables worked out by hand; plus the real pinned versions, asserting measured values."""

from __future__ import annotations

import pandas as pd
import pytest

from opentrends.analysis import arena
from opentrends.catalog.loaders import arena as loader
from opentrends.core.errors import DataError, ParameterError

ARENA = "arena-leaderboard-history@2025-08-04"
EPOCH = "epoch-ai-models@2026-03-30"


# --- loader ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "pair"), [("+5/-4", (5.0, 4.0)), ("+12/-9", (12.0, 9.0)), (" +3.5/-2 ", (3.5, 2.0))])
def test_intervals_parse_to_upper_and_lower_half_widths(text, pair):
    assert loader.parse_ci(text, "f") == pair


@pytest.mark.parametrize("text", ["5/-4", "+5/4", "±5", "", "+5/-", "-4/+5"])
def test_malformed_intervals_are_errors_naming_file_model_and_value(text):
    with pytest.raises(DataError, match=r"2024-07-07/lmsys.csv \(GPT-4o\): 95_pct_ci") as caught:
        loader.parse_ci(text, "2024-07-07/lmsys.csv (GPT-4o)")
    assert repr(text) in str(caught.value)


def version_csv(**changes) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "rank": ["1", "2", "3"],
            "model": ["Closed-A", "Open-B", "Open-C"],
            "arena_score": ["1300", "1250", "1240"],
            "95_pct_ci": ["+5/-4", "+6/-6", "+3/-3"],
            "votes": ["1,000", "900", "800"],
            "organization": ["OpenAI", "Meta", "DeepSeek"],
            "license": ["Proprietary", "Llama 3 Community", "MIT"],
        }
    )
    for column, values in changes.items():
        if values is None:
            frame = frame.drop(columns=column)
        else:
            frame[column] = values
    return frame


def test_a_version_parses_to_tidy_rows():
    rows = loader.parse_version(version_csv(), "2024-07-07", "v/lmsys.csv")
    assert list(rows.columns) == list(loader.COLUMNS)
    assert rows["version"].unique().tolist() == [pd.Timestamp("2024-07-07")]
    assert rows["score"].tolist() == [1300.0, 1250.0, 1240.0]
    assert rows["ci_plus"].tolist() == [5.0, 6.0, 3.0] and rows["ci_minus"].tolist() == [4.0, 6.0, 3.0]
    assert rows["votes"].tolist() == [1000, 900, 800]


def test_the_older_score_column_arena_elo_is_read():
    frame = version_csv().rename(columns={"arena_score": "arena_elo"})
    assert loader.parse_version(frame, "2024-07-07", "f")["score"].tolist() == [1300.0, 1250.0, 1240.0]


@pytest.mark.parametrize("column", ["95_pct_ci", "license", "organization", "votes"])
def test_a_missing_column_is_an_error_naming_the_file_and_column(column):
    with pytest.raises(DataError, match=rf"2024-07-07/lmsys.csv.*{column}"):
        loader.parse_version(version_csv(**{column: None}), "2024-07-07", "arena@x 2024-07-07/lmsys.csv")


def test_no_score_column_is_an_error_naming_the_file():
    with pytest.raises(DataError, match=r"v/lmsys.csv: no score column; expected one of arena_score, arena_elo"):
        loader.parse_version(version_csv(arena_score=None), "2024-07-07", "v/lmsys.csv")


def test_a_malformed_interval_in_a_file_names_the_file_and_model():
    with pytest.raises(DataError, match=r"v/lmsys.csv \(Open-B\): 95_pct_ci '6/6'"):
        loader.parse_version(version_csv(**{"95_pct_ci": ["+5/-4", "6/6", "+3/-3"]}), "2024-07-07", "v/lmsys.csv")


def test_a_row_repeated_with_only_its_rank_changed_counts_once_but_different_values_are_an_error():
    frame = version_csv()
    repeated = pd.concat([frame, frame.iloc[[2]].assign(rank="4")], ignore_index=True)
    assert loader.parse_version(repeated, "2024-07-07", "f")["model"].tolist() == ["Closed-A", "Open-B", "Open-C"]
    changed = pd.concat([frame, frame.iloc[[2]].assign(arena_score="1200")], ignore_index=True)
    with pytest.raises(DataError, match="listed twice with different values: Open-C"):
        loader.parse_version(changed, "2024-07-07", "f")


def test_committed_tables_load_with_evidence():
    organizations = loader.load_organizations()
    assert set(organizations["origin"]) <= set(loader.ORIGINS)
    assert organizations.set_index("organization").loc["DeepSeek AI", "maker"] == "DeepSeek"
    assert organizations.set_index("organization").loc["Z.ai", "maker"] == "Zhipu AI"
    overrides = loader.load_license_overrides()
    assert set(overrides["decision"]) <= {"open", "closed"}
    assert loader.load_base_models()["pattern"].str.len().min() > 0


def test_a_committed_table_row_without_evidence_is_an_error(tmp_path):
    (tmp_path / loader.OVERRIDE_TABLE).write_text("model,arena_license,decision,evidence\nX,Qwen,closed,trust me\n")
    with pytest.raises(DataError, match=r"arena_license_overrides.csv row 2: no evidence URL"):
        loader.load_license_overrides(tmp_path)
    (tmp_path / loader.OVERRIDE_TABLE).write_text("model,arena_license,decision,evidence\nX,Qwen,maybe,https://x.y\n")
    with pytest.raises(DataError, match=r"decision 'maybe' is not one of open, closed"):
        loader.load_license_overrides(tmp_path)


# --- analysis on hand-made tables -----------------------------------------------------------------------


def board(entries) -> pd.DataFrame:
    """(version, rank, model, score, organization, license) -> an Arena table with +4/-3 intervals."""
    rows = pd.DataFrame(entries, columns=["version", "rank", "model", "score", "organization", "license"])
    return rows.assign(version=pd.to_datetime(rows["version"]), ci_plus=4.0, ci_minus=3.0, votes=100)


ORGS = pd.DataFrame(
    [
        ("OpenAI", "OpenAI", "United States", "United States"),
        ("Meta", "Meta", "United States", "United States"),
        ("NexusFlow", "Nexusflow", "United States", "United States"),
        ("DeepSeek", "DeepSeek", "China", "China"),
        ("DeepSeek AI", "DeepSeek", "China", "China"),
        ("Mistral", "Mistral AI", "France", "Rest of world"),
    ],
    columns=["organization", "maker", "country", "origin"],
)
BASES = pd.DataFrame(
    [("^athene-v2", "Qwen2.5-72B", "Alibaba", "China")], columns=["pattern", "base_model", "base_maker", "base_origin"]
)
NO_OVERRIDES = pd.DataFrame(columns=list(loader.OVERRIDE_COLUMNS))

BOARD = board(
    [
        ("2024-07-01", 1, "Closed-X", 1300, "OpenAI", "Proprietary"),
        ("2024-07-01", 2, "Llama-70B", 1250, "Meta", "Llama 3 Community"),
        ("2024-07-01", 3, "DeepSeek-V2", 1240, "DeepSeek AI", "DeepSeek"),
        ("2024-07-01", 4, "Mistral-L", 1200, "Mistral", "Mistral Research"),
        ("2024-08-01", 1, "Closed-X", 1310, "OpenAI", "Proprietary"),
        ("2024-08-01", 2, "Athene-V2-Chat", 1260, "NexusFlow", "NexusFlow"),
        ("2024-08-01", 3, "Llama-70B", 1250, "Meta", "Llama 3 Community"),
        ("2024-08-01", 4, "DeepSeek-V2", 1245, "DeepSeek", "DeepSeek"),
        ("2024-09-01", 1, "Closed-Y", 1320, "OpenAI", "Propretary"),
        ("2024-09-01", 2, "Maverick-Experimental", 1319, "Meta", ""),
        ("2024-09-01", 3, "DeepSeek-V3", 1300, "DeepSeek", "DeepSeek"),
        ("2024-09-01", 4, "Athene-V2-Chat", 1260, "NexusFlow", "NexusFlow"),
    ]
)


def prepared(overrides=NO_OVERRIDES, table=BOARD):
    return arena.attribute(arena.classify(table, overrides), ORGS, BASES)


@pytest.mark.parametrize(
    ("label", "access"),
    [("Proprietary", "closed"), ("Propretary", "closed"), ("", "unlabelled"), ("N/A", "unlabelled"), ("MIT", "open"),
     ("Qwen", "open"), ("Other", "open")],
)  # fmt: skip
def test_arena_labels_read_as_closed_unlabelled_or_open(label, access):
    assert arena.arena_label(label) == access


def test_best_open_and_closed_and_the_gap_in_points_and_percent_of_the_best_open_score():
    gap = arena.gap_by_version(prepared())
    first = gap.iloc[0]
    assert (first["best_closed_model"], first["best_open_model"]) == ("Closed-X", "Llama-70B")
    assert first["gap_points"] == 50 and first["gap_pct"] == pytest.approx(100 * 50 / 1250)
    assert (first["best_open_low"], first["best_open_high"], first["best_open_rank"]) == (1247, 1254, 2)
    assert not first["intervals_overlap"]  # 1254 < 1300 - 3
    assert gap["best_open_model"].tolist() == ["Llama-70B", "Athene-V2-Chat", "DeepSeek-V3"]
    assert gap["best_closed_model"].tolist() == ["Closed-X", "Closed-X", "Closed-Y"]  # 'Propretary' is closed
    # the unlabelled Maverick-Experimental (1319) is neither open nor closed
    assert gap.iloc[2]["gap_points"] == 20 and gap.iloc[2]["intervals_overlap"] == bool(1304 >= 1317)


def test_ties_go_to_the_better_rank_then_the_name():
    tied = board([("2024-07-01", 1, "C", 1300, "OpenAI", "Proprietary"), ("2024-07-01", 3, "B", 1250, "Meta", "MIT"),
                  ("2024-07-01", 2, "A2", 1250, "Meta", "MIT"), ("2024-07-01", 2, "A1", 1250, "Meta", "MIT")])  # fmt: skip
    assert arena.gap_by_version(prepared(table=tied)).loc[0, "best_open_model"] == "A1"


def test_an_override_turns_an_unlabelled_experimental_variant_closed_and_it_can_lead_the_closed_side():
    overrides = pd.DataFrame(
        [("Maverick-Experimental", "(blank)", "closed", "https://example.org/never-released")],
        columns=list(loader.OVERRIDE_COLUMNS),
    )
    rows = prepared(overrides)
    maverick = rows[rows["model"] == "Maverick-Experimental"].iloc[0]
    assert (maverick["arena_access"], maverick["access"], maverick["overridden"]) == ("unlabelled", "closed", True)
    assert not rows.loc[rows["model"] != "Maverick-Experimental", "overridden"].any()
    # the override is matched case-insensitively
    lower = overrides.assign(model="maverick-experimental")
    assert prepared(lower).loc[lambda r: r["model"] == "Maverick-Experimental", "access"].tolist() == ["closed"]


def test_a_us_labs_fine_tune_of_a_chinese_base_is_chinese_by_maker_and_us_by_organization():
    rows = prepared()
    athene = rows[rows["model"] == "Athene-V2-Chat"].iloc[0]
    assert (athene["maker"], athene["maker_origin"], athene["base_model"]) == ("Alibaba", "China", "Qwen2.5-72B")
    assert (athene["org_name"], athene["org_origin"]) == ("Nexusflow", "United States")
    # spellings of one organization are one maker
    assert set(rows.loc[rows["model"] == "DeepSeek-V2", "org_name"]) == {"DeepSeek"}


def test_an_unknown_organization_is_an_error_naming_it():
    table = board([("2024-07-01", 1, "M", 1300, "Acme Labs", "MIT")])
    with pytest.raises(DataError, match=r"not in data/arena_organizations.csv: 'Acme Labs'"):
        arena.attribute(arena.classify(table, NO_OVERRIDES), ORGS, BASES)


def test_best_open_by_origin_and_the_dates_the_lead_changed_hands_in_both_views():
    rows = prepared()
    maker = arena.best_open_by_origin(rows, "maker")
    first = maker[maker["version"] == "2024-07-01"].set_index("origin")["model"].to_dict()
    assert first == {"United States": "Llama-70B", "China": "DeepSeek-V2", "Rest of world": "Mistral-L"}
    assert maker.loc[maker["leads"], "origin"].tolist() == ["United States", "China", "China"]
    august = maker[maker["version"] == "2024-08-01"].set_index("origin")
    assert august.loc["China", "model"] == "Athene-V2-Chat" and august.loc["China", "credited_to"] == "Alibaba"
    changes = arena.leader_changes(maker)
    assert changes.to_dict("records") == [
        {"version": pd.Timestamp("2024-08-01"), "from_origin": "United States", "from_model": "Llama-70B",
         "to_origin": "China", "to_model": "Athene-V2-Chat"}
    ]  # fmt: skip
    org = arena.best_open_by_origin(rows, "organization")
    assert org.loc[org["leads"], "origin"].tolist() == ["United States", "United States", "China"]
    assert arena.leader_changes(org)["version"].tolist() == [pd.Timestamp("2024-09-01")]
    assert arena.leader_changes(org)["to_model"].tolist() == ["DeepSeek-V3"]
    stacked = arena.stack_views({"maker": maker, "organization": org})
    assert list(stacked.columns[:3]) == ["view", "version", "origin"] and len(stacked) == len(maker) + len(org)
    assert stacked["version"].iloc[0] == "2024-07-01"
    with pytest.raises(ValueError, match="view must be one of maker, organization"):
        arena.best_open_by_origin(rows, "uploader")


def test_origin_difference_and_its_trend_with_a_clustered_bootstrap():
    versions = pd.to_datetime(["2024-01-01", "2024-01-03", "2024-07-01", "2025-01-01", "2025-01-02"])
    years = (versions - versions[0]).days / 365.25
    china = [1250.0 + 100 * y for y in years]  # exactly 100 points a year on the US's constant 1,300
    by_origin = pd.DataFrame(
        {"version": list(versions) * 2, "origin": ["United States"] * 5 + ["China"] * 5, "score": [1300.0] * 5 + china,
         "model": ["L"] * 5 + ["D1", "D1", "D2", "D3", "D3"]}
    )  # fmt: skip
    diff = arena.origin_difference(by_origin)
    assert diff["difference"].round(6).tolist() == [round(100 * y - 50, 6) for y in years]
    assert diff["week"].tolist() == ["2024-W01", "2024-W01", "2024-W27", "2025-W01", "2025-W01"]
    assert diff["models"].tolist()[:3] == ["D1 vs L", "D1 vs L", "D2 vs L"]
    fit = arena.difference_trend(diff, "week", n_boot=200, seed=1)
    assert fit["slope"] == pytest.approx(100) and fit["direction"] == "up"
    assert fit["ci_low"] == pytest.approx(100) and fit["ci_high"] == pytest.approx(100)  # every resample on the line
    assert (fit["n_versions"], fit["n_clusters"], fit["cluster"]) == (5, 3, "week")
    assert arena.difference_trend(diff, "models", n_boot=200, seed=1)["n_clusters"] == 3
    assert arena.difference_trend(diff, "week", n_boot=200, seed=1) == fit  # seeded: the same numbers
    with pytest.raises(ValueError, match="cluster must be one of week, models"):
        arena.difference_trend(diff, "day")
    with pytest.raises(DataError, match="2 week clusters; at least 3"):
        arena.difference_trend(diff.iloc[:2].assign(week=["a", "b"]), "week")
    flat = diff.assign(difference=[1.0, -1.0, 1.0, -1.0, 1.0])
    assert arena.difference_trend(flat, "models", n_boot=200)["direction"] == "flat"


def test_nearest_version_and_its_limits():
    gap = arena.gap_by_version(prepared())
    assert arena.nearest_version(gap, "2024-08-10")["version"] == pd.Timestamp("2024-08-01")
    assert arena.nearest_version(gap, "2024-08-16")["version"] == pd.Timestamp("2024-08-01")  # tie: the earlier
    assert arena.nearest_version(gap, "2024-08-25", on_or_before=True)["version"] == pd.Timestamp("2024-08-01")
    with pytest.raises(DataError, match="history starts 2024-07-01"):
        arena.nearest_version(gap, "2024-01-15", on_or_before=True)


def test_as_of_first_listing_and_month_selections():
    rows = prepared()
    assert arena.up_to(rows, "2024-08-15")["version"].nunique() == 2
    with pytest.raises(ParameterError, match=r"as_of must be on or after the first Arena version \(2024-07-01\)"):
        arena.up_to(rows, "2024-06-30")
    assert arena.first_version_with(rows, "DeepSeek-V3") == pd.Timestamp("2024-09-01")
    with pytest.raises(ParameterError, match="r1_model must be a model on the Arena, got 'R2'"):
        arena.first_version_with(rows, "R2", "r1_model")
    gap = arena.gap_by_version(rows)
    assert arena.versions_in_month(gap, "2024-08")["version"].tolist() == [pd.Timestamp("2024-08-01")]
    with pytest.raises(DataError, match="No Arena version in 2024-10"):
        arena.versions_in_month(gap, "2024-10")
    with pytest.raises(
        ParameterError, match=r"ai_index_date must fall in a month with Arena versions \(2024-07 to 2024-09\)"
    ):
        arena.versions_in_month(gap, "2024-10", "ai_index_date")


def test_the_licence_audit_flags_blank_experimental_changed_and_epoch_disagreements():
    table = board(
        [
            ("2024-07-01", 1, "Closed-X", 1300, "OpenAI", "Proprietary"),
            ("2024-07-01", 2, "Llama-4-Maverick-Experimental", 1290, "Meta", "Llama"),
            ("2024-08-01", 2, "Llama-4-Maverick-Experimental", 1290, "Meta", ""),
            ("2024-07-01", 3, "Qwen-Max-0919", 1280, "Alibaba", "Qwen"),
            ("2024-07-01", 4, "Mistral-Large-2407", 1270, "Mistral", "Proprietary"),
            ("2024-08-01", 4, "Mistral-Large-2407", 1270, "Mistral", "Mistral Research"),
            ("2024-07-01", 5, "Gemma-2-27B-it", 1260, "Google", "Gemma license"),
            ("2024-07-01", 6, "Open-Y", 1250, "Meta", "MIT"),
        ]
    )
    epoch = pd.DataFrame(
        {"model": ["Gemma 2 27B", "Closed-X", "Open-Y"], "access": ["API access", "Open weights (unrestricted)", "Open weights (unrestricted)"]}
    )  # fmt: skip
    overrides = pd.DataFrame(
        [("Qwen-Max-0919", "Qwen", "closed", "https://example.org/api-only")], columns=list(loader.OVERRIDE_COLUMNS)
    )
    audit = arena.licence_audit(table, epoch, overrides).set_index("model")
    assert audit.loc["Llama-4-Maverick-Experimental", "flag"] == (
        "blank licence; experimental variant; label changed between versions"
    )
    assert audit.loc["Llama-4-Maverick-Experimental", "arena_license"] == " | Llama"
    assert audit.loc["Gemma-2-27B-it", "flag"] == "Epoch: not open weights"  # reduced-key match: gemma227b
    assert audit.loc["Gemma-2-27B-it", "epoch_model"] == "Gemma 2 27B"
    assert audit.loc["Closed-X", "flag"] == "Epoch: open weights"
    assert audit.loc["Mistral-Large-2407", "flag"] == "label changed between versions"
    assert (audit.loc["Qwen-Max-0919", "flag"], audit.loc["Qwen-Max-0919", "decision"]) == ("overridden", "closed")
    assert "Open-Y" not in audit.index


@pytest.mark.parametrize(
    ("arena_name", "epoch_name"),
    [("Gemma-2-27B-it", "Gemma 2 27B"), ("Meta-Llama-3.1-405B-Instruct-bf16", "Llama-3.1-405B"),
     ("Qwen2.5-72B-Instruct", "Qwen2.5-72B"), ("DeepSeek-R1", "DeepSeek-R1")],
)  # fmt: skip
def test_match_keys_meet_across_spellings(arena_name, epoch_name):
    assert arena.match_key(arena_name) == arena.match_key(epoch_name)


# --- the real pinned versions -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(request):
    from opentrends.data.availability import first_unavailable

    reason = first_unavailable([ARENA])
    if reason:
        pytest.skip(reason)
    rows = loader.load_arena(ARENA)
    attributed = arena.attribute(
        arena.classify(rows, loader.load_license_overrides()), loader.load_organizations(), loader.load_base_models()
    )
    return rows, attributed, arena.gap_by_version(attributed)


def test_real_history_has_91_versions_from_2024_07_07_to_2025_08_04(real):
    rows, _, gap = real
    assert rows["version"].nunique() == 91 == len(gap)
    assert (gap["version"].min(), gap["version"].max()) == (pd.Timestamp("2024-07-07"), pd.Timestamp("2025-08-04"))
    assert rows.groupby("version").size().agg(["min", "max"]).tolist() == [115, 265]  # 266 lines, Yi-34B-Chat twice


def test_real_gap_at_the_first_version_r1_week_and_the_op_ed_week(real):
    gap = real[2].set_index("version")
    first = gap.loc["2024-07-07"]
    assert (first["best_closed_model"], first["best_closed_score"]) == ("GPT-4o-2024-05-13", 1287)
    assert (first["best_open_model"], first["best_open_score"], first["gap_points"]) == ("Gemma-2-27B-it", 1217, 70)
    r1 = gap.loc["2025-01-24"]
    assert (r1["best_open_model"], r1["best_open_score"], r1["best_open_rank"]) == ("DeepSeek-R1", 1357, 3)
    assert (r1["best_closed_score"], r1["gap_points"]) == (1382, 25)
    op_ed = gap.loc["2025-08-04"]
    assert (op_ed["best_closed_model"], op_ed["best_open_model"]) == ("Gemini-2.5-Pro", "GLM-4.5")
    assert (op_ed["gap_points"], round(op_ed["gap_pct"], 2)) == (36, 2.51)
    assert not gap["intervals_overlap"].any()


def test_real_ai_index_comparison_point_mid_february_2025(real):
    point = arena.nearest_version(real[2], "2025-02-15")
    assert point["version"] == pd.Timestamp("2025-02-16")
    assert (point["best_closed_score"], point["best_open_score"], round(point["gap_pct"], 2)) == (1384, 1361, 1.69)


def test_real_lead_changes_differ_by_attribution(real):
    attributed = real[1]
    maker = arena.leader_changes(arena.best_open_by_origin(attributed, "maker"))
    org = arena.leader_changes(arena.best_open_by_origin(attributed, "organization"))
    assert [str(v.date()) for v in maker["version"]] == ["2024-07-18", "2024-07-26", "2024-11-23"]
    assert [str(v.date()) for v in org["version"]] == ["2024-07-18", "2024-07-26", "2024-12-23"]
    assert (maker.iloc[-1]["to_model"], org.iloc[-1]["to_model"]) == ("Athene-v2-Chat-72B", "Deepseek-v2.5-1210")


def test_real_china_minus_us_best_open_rises_about_a_hundred_points_a_year_in_both_views(real):
    for view in arena.VIEWS:
        diff = arena.origin_difference(arena.best_open_by_origin(real[1], view))
        assert len(diff) == 91
        for cluster in arena.CLUSTERS:
            fit = arena.difference_trend(diff, cluster)
            assert fit["direction"] == "up" and 95 < fit["slope"] < 110 and fit["ci_low"] > 40, (view, cluster, fit)


def test_every_real_audit_flag_has_a_committed_decision(real, real_snapshot):
    from opentrends.catalog.loaders.epoch import load_epoch

    epoch = load_epoch(real_snapshot(EPOCH)).rows
    audit = arena.licence_audit(real[0], epoch, loader.load_license_overrides())
    assert audit.loc[audit["decision"] == "", "model"].tolist() == []
    assert sorted(audit["model"]) == sorted(loader.load_license_overrides()["model"])
