"""Catalog loaders on the real snapshots, and their errors on doctored copies (pinned like any snapshot)."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import run_cli
from opentrends.catalog import selection as catalog
from opentrends.catalog import taxonomy, tidy
from opentrends.core.errors import ParameterError
from opentrends.data import snapshots
from opentrends.registry import sources, writer

EPOCH = "epoch-ai-models@2026-03-30"
NOTABLE_NEW = "epoch-ai-models@2026-07-19"


def test_union_population_counts(real_snapshot):
    loaded = catalog.load_epoch(real_snapshot(EPOCH), "all")
    notes = loaded.notes
    assert notes["rows in all_ai_models.csv"] == 3237
    assert notes["duplicate names within all_ai_models.csv"] == 15
    assert notes["notable models missing from all_ai_models.csv"] == 75
    assert notes["large_scale models missing from all_ai_models.csv"] == 8
    assert notes["models"] == len(loaded.rows) == 3305
    assert list(loaded.rows.columns) == tidy.COLUMNS
    assert loaded.rows["notable"].sum() == 981 and loaded.rows["frontier"].sum() == 137
    assert not loaded.rows["model"].str.contains(r"^\s|\s$").any()


def test_union_prefers_the_all_models_row(real_snapshot, mirror_root):
    loaded = catalog.load_epoch(real_snapshot(EPOCH), "all")
    raw_all = pd.read_csv(
        mirror_root / "epoch-ai-models" / "2026-03-30" / "all_ai_models.csv", dtype=str, keep_default_na=False
    )
    raw_all["Model"] = raw_all["Model"].str.strip()
    first = raw_all.drop_duplicates("Model").set_index("Model")["Model accessibility"]
    merged = loaded.rows.set_index("model")["access"]
    common = first.index.intersection(merged.index)
    assert len(common) == 3237 - 15
    assert (merged[common] == first[common].str.strip()).all()


def test_partial_snapshot_refuses_other_populations(real_snapshot):
    with pytest.raises(catalog.CatalogError) as err:
        catalog.load_epoch(real_snapshot(NOTABLE_NEW), "all")
    assert "holds only notable_ai_models.csv" in str(err.value)
    assert "Fix: use population 'notable'" in str(err.value)
    assert len(catalog.load_epoch(NOTABLE_NEW, "notable").rows) == 1036


def test_ecosystem_corrections_are_applied_and_reported(real_snapshot):
    loaded = catalog.load_ecosystem_graphs(real_snapshot("ecosystem-graphs@2025-01-24"))
    rows = loaded.rows.set_index("model")
    assert rows.loc["Deepseek Coder", "origin"] == "China"
    assert rows.loc["Yi", "origin"] == "China"
    assert rows.loc["Mistral Large", "origin"] == "Rest of world"
    assert rows.loc["Mistral NeMo", "origin"] == "Multinational"
    assert set(loaded.rows.loc[loaded.rows["model"] == "Imagen 3", "access"]) == {"limited"}
    assert loaded.notes["corrections applied"] == 15 and len(loaded.corrections) == 15
    assert loaded.corrections["evidence_url"].str.startswith("https://").all()
    assert len(loaded.rows) == 427


def test_select_filters_and_counts_what_it_set_aside(real_snapshot):
    loaded = catalog.load_epoch(real_snapshot(EPOCH), "all")
    chosen = catalog.select(loaded, 2016, 2025)
    assert chosen.set_aside == {"without a date": 13, "outside the years": 338}
    assert len(chosen.rows) == 2954
    released = catalog.select(loaded, 2016, 2025, released_only=True)
    assert "Unreleased" not in set(released.rows["access"])
    assert released.set_aside["unreleased"] == (chosen.rows["access"] == "Unreleased").sum()
    language = catalog.select(loaded, 2016, 2025, domain="Language", min_training_compute=1e23)
    assert language.rows["domain"].str.contains("Language").all() and (language.rows["training_compute"] >= 1e23).all()
    strict = catalog.select(loaded, 2016, 2025, open_definition="unrestricted")
    assert strict.rows["is_open"].sum() == (strict.rows["access"] == "Open weights (unrestricted)").sum()


def test_empty_selections_are_errors(real_snapshot):
    loaded = catalog.load_epoch(real_snapshot(EPOCH), "all")
    with pytest.raises(ParameterError, match="start_year 2025 is after end_year 2016"):
        catalog.select(loaded, 2025, 2016)
    with pytest.raises(ParameterError, match="Unknown domain 'Poetry'"):
        catalog.select(loaded, 2016, 2025, domain="Poetry")
    with pytest.raises(ParameterError, match="open_definition 'libre'"):
        catalog.select(loaded, 2016, 2025, open_definition="libre")
    with pytest.raises(catalog.CatalogError, match="Empty selection: no epoch-ai-models@2026-03-30"):
        catalog.select(loaded, 2016, 2025, min_training_compute=1e40)


def test_years_beyond_the_coverage_are_an_error_naming_it(real_snapshot):
    union = catalog.load_epoch(real_snapshot(EPOCH), "all")
    with pytest.raises(ParameterError) as err:
        catalog.select(union, 2016, 2030)
    assert (
        "Years 2016–2030 are outside the data: epoch-ai-models@2026-03-30 (all) covers dates 1950-07-02 to 2026-02-19"
        in str(err.value)
    )
    assert "2026 only partly" in str(err.value)
    notable = catalog.load_epoch(EPOCH, "notable")
    with pytest.raises(ParameterError, match="covers dates 1950-07-02 to 2025-12-31"):
        catalog.check_years(notable, 2020, 2026)
    with pytest.raises(ParameterError, match="outside the data"):
        catalog.select(union, 1900, 1901)
    assert (
        catalog.select(union, 2016, 2026).coverage.last == "2026-02-19"
    )  # the partial year is allowed, and flagged later


def test_a_secondary_catalogue_is_clipped_to_its_coverage_or_refused(real_snapshot):
    ecosystem = catalog.load_ecosystem_graphs(real_snapshot("ecosystem-graphs@2025-01-24"))
    assert catalog.clip_years(ecosystem, 2016, 2025) == (2019, 2025)
    with pytest.raises(ParameterError) as err:
        catalog.clip_years(ecosystem, 1990, 1995)
    assert "do not overlap the data: ecosystem-graphs@2025-01-24 (models) covers dates 2019-10-01 to 2025-01-14" in str(
        err.value
    )


def test_overlap_years_is_none_instead_of_an_error(real_snapshot):
    ecosystem = catalog.load_ecosystem_graphs(real_snapshot("ecosystem-graphs@2025-01-24"))
    assert catalog.overlap_years(ecosystem, 2016, 2025) == (2019, 2025)
    assert catalog.overlap_years(ecosystem, 1990, 1995) is None


def test_filters_a_source_cannot_apply_are_refused_not_ignored(real_snapshot):
    ecosystem = catalog.load_ecosystem_graphs(real_snapshot("ecosystem-graphs@2025-01-24"))
    for name, value in (("released_only", True), ("domain", "Language"), ("min_training_compute", 1e23)):
        with pytest.raises(ParameterError) as err:
            catalog.select(ecosystem, 2020, 2024, **{name: value})
        assert f"{name}={value!r} does not apply to ecosystem-graphs" in str(err.value)
    applicable, skipped = catalog.source_filters(ecosystem, open_definition="weights", released_only=True, domain=None)
    assert applicable == {"open_definition": "weights"} and skipped == ["released_only"]
    assert len(catalog.select(ecosystem, 2020, 2024, **applicable).rows) > 0


# --- doctored snapshots: real files with one defect, pinned in a private registry -----------------


@pytest.fixture
def doctored(isolated, mirror_root, monkeypatch):
    """Make `epoch-ai-models@2099-01-01` from the real notable file after `edit(frame)`; returns its ref."""
    mirror = isolated / "mirror"
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(mirror))

    def make(edit) -> str:
        frame = pd.read_csv(
            mirror_root / "epoch-ai-models" / "2026-07-19" / "notable_ai_models.csv", dtype=str, keep_default_na=False
        )
        frame = edit(frame)
        folder = mirror / "epoch-ai-models" / "2099-01-01"
        folder.mkdir(parents=True, exist_ok=True)
        frame.to_csv(folder / "notable_ai_models.csv", index=False)
        source = sources.load_registry()["epoch-ai-models"]
        writer.write_snapshot(source, snapshots.pin_directory(source, "2099-01-01", folder))
        return "epoch-ai-models@2099-01-01"

    return make


def test_missing_column_is_named(doctored):
    ref = doctored(lambda f: f.drop(columns=["Model accessibility"]))
    with pytest.raises(catalog.CatalogError) as err:
        catalog.load_epoch(ref, "notable")
    assert "epoch-ai-models@2099-01-01/notable_ai_models.csv: missing column(s) 'Model accessibility'" in str(err.value)
    assert "Fix:" in str(err.value)


def test_unknown_accessibility_label_is_named(doctored):
    def edit(frame):
        frame.loc[3, "Model accessibility"] = "Open weights (sort of)"
        return frame

    with pytest.raises(taxonomy.UnknownLabelError) as err:
        catalog.load_epoch(doctored(edit), "notable")
    assert "'Open weights (sort of)'" in str(err.value) and "column 'Model accessibility'" in str(err.value)
    assert "notable_ai_models.csv" in str(err.value)


def test_unknown_country_is_named(doctored):
    def edit(frame):
        frame.loc[0, "Country (of organization)"] = "Atlantis"
        return frame

    with pytest.raises(taxonomy.UnknownLabelError, match="'Atlantis'"):
        catalog.load_epoch(doctored(edit), "notable")


def test_malformed_date_is_named_with_its_line(doctored):
    def edit(frame):
        frame.loc[10, "Publication date"] = "2024/13/01"
        return frame

    with pytest.raises(catalog.CatalogError) as err:
        catalog.load_epoch(doctored(edit), "notable")
    assert "column 'Publication date' row 12" in str(err.value) and "'2024/13/01'" in str(err.value)
    assert "YYYY-MM-DD" in str(err.value)


def test_impossible_date_is_refused(doctored):
    def edit(frame):
        frame.loc[4, "Publication date"] = "2024-02-30"
        return frame

    with pytest.raises(catalog.CatalogError, match="impossible date '2024-02-30'"):
        catalog.load_epoch(doctored(edit), "notable")


@pytest.mark.integration
def test_notebook_with_an_empty_selection_fails_with_the_reason(real_snapshot, tmp_path):
    real_snapshot(EPOCH)
    result = run_cli(
        "run",
        "02_us_vs_china",
        "-p",
        "min_training_compute=1e30",  # valid, inside the years the data cover (those are refused before any kernel)
        "--name",
        "empty-selection",
        env={"OPENTRENDS_BUILD": str(tmp_path)},
    )
    assert result.returncode == 1
    assert "CatalogError: Empty selection: no epoch-ai-models@2026-07-17 (all) rows match" in result.stdout
    assert (tmp_path / "failed" / "empty-selection" / "02_us_vs_china.ipynb").exists()
