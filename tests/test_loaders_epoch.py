"""The source seam: each loader holds its labels, required columns and filters; Epoch corrections are reported."""

from __future__ import annotations

import pandas as pd
import pytest

from opentrends.catalog import loaders
from opentrends.catalog import selection as catalog
from opentrends.catalog.loaders import ecosystem_graphs, epoch
from opentrends.core import paths
from opentrends.data import snapshots
from opentrends.registry import sources, writer

EPOCH = "epoch-ai-models@2026-03-30"


@pytest.mark.parametrize("module", [epoch, ecosystem_graphs])
def test_each_loader_declares_what_update_and_select_read(module):
    assert module.SOURCE_ID in loaders.LOADERS and loaders.loader(module.SOURCE_ID) is module
    registered = {f.path for snap in sources.load_registry()[module.SOURCE_ID].snapshots for f in snap.files}
    assert set(module.REQUIRED_COLUMNS) <= registered
    assert all(isinstance(columns, tuple) and columns for columns in module.REQUIRED_COLUMNS.values())
    assert set(module.FILTERS) <= set(catalog.SOURCE_FILTERS)
    assert "weights" in module.OPEN_DEFINITIONS


def test_only_epoch_declares_the_epoch_filters():
    assert set(epoch.FILTERS) == {"released_only", "domain", "min_training_compute"}
    assert ecosystem_graphs.FILTERS == {}


def test_required_columns_are_in_the_real_files(real_snapshot, mirror_root):
    real_snapshot(EPOCH)
    for file, required in epoch.REQUIRED_COLUMNS.items():
        header = pd.read_csv(mirror_root / "epoch-ai-models" / "2026-03-30" / file, nrows=0).columns
        assert set(required) <= set(header), file


@pytest.mark.parametrize(
    "cell, names",
    [
        ("Google,Tsinghua University", ["Google", "Tsinghua University"]),
        (
            "Jiangsu Huizhi Intelligent Digital Technology Co., Ltd.",
            ["Jiangsu Huizhi Intelligent Digital Technology Co., Ltd."],
        ),
        ("Hangzhou EZVIZ Software Co., Ltd. (Hikvision)", ["Hangzhou EZVIZ Software Co., Ltd. (Hikvision)"]),
        ("SambaNova Systems, Inc", ["SambaNova Systems, Inc"]),
        ("", []),
    ],
)
def test_organization_lists_keep_legal_forms_attached(cell, names):
    assert epoch.split_organizations(cell) == names


def test_aliases_are_evidence_backed_and_cover_the_google_family():
    aliases = catalog.load_organization_aliases()
    assert {aliases[a] for a in ("Google Research", "Google DeepMind", "Google Brain")} == {"Google"}
    assert aliases["IBM Research"] == "IBM" and aliases["Facebook AI Research"] == "Meta"
    assert not set(aliases.values()) & set(aliases)  # no chains


def test_alias_without_evidence_is_refused(tmp_path, monkeypatch):
    (tmp_path / "organization_aliases.csv").write_text("alias,organization,evidence_url,note\nGoogle Brain,Google,,\n")
    monkeypatch.setattr(paths, "data_dir", lambda: tmp_path)
    with pytest.raises(catalog.CatalogError, match="row 2: every alias needs an evidence_url"):
        catalog.load_organization_aliases()


@pytest.fixture
def corrected_notable(isolated, mirror_root, monkeypatch, tmp_path):
    """A pinned copy of the real 2026-07-19 notable file and a corrections file with one Epoch correction."""
    mirror = isolated / "mirror"
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(mirror))
    frame = pd.read_csv(
        mirror_root / "epoch-ai-models" / "2026-07-19" / "notable_ai_models.csv", dtype=str, keep_default_na=False
    )
    model = frame.loc[0, "Model"].strip()
    old = frame.loc[0, "Model accessibility"]
    folder = mirror / "epoch-ai-models" / "2099-01-01"
    folder.mkdir(parents=True)
    frame.to_csv(folder / "notable_ai_models.csv", index=False)
    source = sources.load_registry()["epoch-ai-models"]
    writer.write_snapshot(source, snapshots.pin_directory(source, "2099-01-01", folder))
    data = tmp_path / "data"
    data.mkdir()
    new = "Unreleased" if old != "Unreleased" else "API access"
    pd.DataFrame(
        [
            {
                "source": "epoch-ai-models",
                "model": model,
                "field": "Model accessibility",
                "old_value": old,
                "new_value": new,
                "evidence_url": "https://example.org/evidence",
                "note": "test",
            }
        ]
    ).to_csv(data / "corrections.csv", index=False)
    monkeypatch.setattr(paths, "data_dir", lambda: data)
    return "epoch-ai-models@2099-01-01", model, new


def test_epoch_keeps_and_reports_the_corrections_it_applied(corrected_notable):
    ref, model, new = corrected_notable
    loaded = catalog.load_epoch(ref, "notable")
    assert loaded.notes["corrections applied"] == 1
    assert loaded.corrections[["model", "new_value", "rows"]].to_dict("records") == [
        {"model": model, "new_value": new, "rows": 1}
    ]
    assert loaded.rows.set_index("model").loc[model, "access"] == new


def test_an_epoch_correction_that_no_longer_matches_is_an_error(corrected_notable):
    ref, _model, _new = corrected_notable
    table = pd.read_csv(paths.data_dir() / "corrections.csv", dtype=str, keep_default_na=False)
    table.loc[0, "old_value"] = (
        "Hosted access (no API)" if table.loc[0, "old_value"] != "Hosted access (no API)" else "API access"
    )
    table.to_csv(paths.data_dir() / "corrections.csv", index=False)
    with pytest.raises(catalog.CatalogError, match="row 2: no file of epoch-ai-models@2099-01-01 has a row"):
        catalog.load_epoch(ref, "notable")


def test_the_november_2024_export_reproduces_the_quoted_notable_share(real_snapshot):
    rows = epoch.load_database_export(real_snapshot("epoch-open-models-report@2024-11-05"))
    notable_2023 = rows[rows["notable"] & (rows["year"] == 2023)]
    known = notable_2023["is_open"].dropna()
    assert (int(known.sum()), len(known)) == (52, 79)  # 65.8%, as issue 11 quotes
