"""`opentrends diff RUN` on hand-made figure folders: rows added and removed, values moved, captions that differ."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from opentrends.cli.main import main

VARIANT = {"population": {"value": "notable", "default": "all"}}


def figure(folder: Path, figure_id: str, csv: str, caption: str, variant: dict | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{figure_id}.csv").write_text(csv)
    sidecar = {"id": figure_id, "title": "Open share by year", "caption": caption}
    if variant:
        sidecar["variant"] = variant
        caption += " Variant with non-default parameters: population='notable' (default 'all')."
        sidecar["caption"] = caption
    (folder / f"{figure_id}.json").write_text(json.dumps(sidecar))


@pytest.fixture
def project(tmp_path, monkeypatch):
    for name in ("figures", "build"):
        monkeypatch.setenv(f"OPENTRENDS_{name.upper()}", str(tmp_path / name))
    default, variant = tmp_path / "figures", tmp_path / "build" / "runs" / "notable" / "figures"
    figure(
        default,
        "share-by-origin",
        "year,origin,share,n\n2023,China,0.5,10\n2023,United States,0.25,8\n2024,China,0.6,12\n",
        "China's open share rose from 50% to 60%.",
    )
    figure(
        variant,
        "share-by-origin",
        "year,origin,share,n\n2023,China,0.4,5\n2023,United States,0.25,8\n2025,China,0.7,3\n",
        "China's open share rose from 40% to 70%.",
        VARIANT,
    )
    figure(default, "same", "year,share\n2023,0.1\n", "Flat.")
    figure(variant, "same", "year,share\n2023,0.1\n", "Flat.", VARIANT)
    figure(default, "not-run-there", "year,share\n2023,0.1\n", "Elsewhere.")
    return tmp_path


def test_diff_prints_rows_added_and_removed_values_moved_and_the_caption_that_differs(project, capsys):
    assert main(["diff", "notable"]) == 0
    lines = capsys.readouterr().out.splitlines()
    run_folder = (project / "build" / "runs" / "notable" / "figures").as_posix()
    assert lines == [
        f"run 'notable' ({run_folder}/) against the default run ({(project / 'figures').as_posix()}/)",
        "parameters: population='notable' (default 'all')",
        "",
        "share-by-origin (rows matched by year, origin):",
        "  1 row added:",
        "    year=2025, origin=China, share=0.7, n=3",
        "  1 row removed:",
        "    year=2024, origin=China, share=0.6, n=12",
        "  1 row with changed values:",
        "    year=2023, origin=China: share 0.5 -> 0.4; n 10 -> 5",
        "  caption differs:",
        "    default: China's open share rose from 50% to 60%.",
        "    notable: China's open share rose from 40% to 70%.",
        "",
        "2 figures in both runs: 1 moved, 1 unchanged",
        "not in 'notable' (its notebooks were not run there): 1 figures",
    ]


def test_diff_of_a_run_that_does_not_exist_lists_the_runs(project, capsys):
    assert main(["diff", "notabel"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: No variant run 'notabel' with figures under ")
    assert "Runs: notable. Fix: name one of them" in err and "Traceback" not in err
    assert main(["diff", "../.."]) == 2  # a path is not a run name


def test_a_variant_folder_is_named_in_full_or_by_its_readable_part(project, capsys):
    runs = project / "build" / "runs"
    (runs / "notable").rename(runs / "population-notable-1a2b3c4d")
    for name in ("population-notable-1a2b3c4d", "population-notable"):
        assert main(["diff", name]) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"run '{name}' ({(runs / 'population-notable-1a2b3c4d' / 'figures').as_posix()}/)")
        assert "share-by-origin (rows matched by year, origin):" in out
    assert main(["diff", "population"]) == 2  # a readable part is the whole name before the digest
    assert "Runs: population-notable-1a2b3c4d." in capsys.readouterr().err


def test_a_readable_name_of_several_runs_takes_the_newest_and_names_the_others(project, capsys):
    runs = project / "build" / "runs"
    (runs / "notable").rename(runs / "min_training_compute-1e-25-f9996a4e")
    newer = runs / "min_training_compute-1e-25-0badcafe" / "figures"
    figure(newer, "same", "year,share\n2023,0.2\n", "Flat.", VARIANT)
    os.utime(newer, (time.time() + 60, time.time() + 60))
    assert main(["diff", "min_training_compute-1e-25"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"run 'min_training_compute-1e-25' ({newer.as_posix()}/)")
    assert (
        lines[1]
        == "the newest of 2 runs named 'min_training_compute-1e-25'; the others: min_training_compute-1e-25-f9996a4e"
    )
