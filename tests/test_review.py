"""`opentrends review`: progress on every step, and figure problems that name their fix (never its own diff images)."""

from __future__ import annotations

import json
from collections import Counter

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from conftest import ROOT, run_cli  # noqa: E402
from opentrends.cli import nbval_progress, review  # noqa: E402


def png(path, values) -> None:
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot(values)
    fig.savefig(path, dpi=50, metadata={"Software": None})
    plt.close(fig)


def test_figure_problems_name_their_fix_and_skip_the_diff_images_compare_draws(tmp_path):
    committed, fresh = tmp_path / "committed", tmp_path / "fresh"
    committed.mkdir()
    fresh.mkdir()
    png(committed / "a.png", [0, 1, 2])
    png(fresh / "a.png", [2, 1, 0])  # differs: compare_images writes fresh/a-failed-diff.png
    png(committed / "b.png", [0, 1])
    png(fresh / "b.png", [0, 1])
    png(committed / "gone.png", [1, 1])
    png(fresh / "new.png", [1, 2])
    (committed / "a.csv").write_text("x\n1\n")
    (fresh / "a.csv").write_text("x\n2\n")
    problems, n_png, n_csv = review.compare_figures(committed, fresh)
    rerun = "Fix: if the change is intended, run `opentrends run` and commit figures/; else find what changed it"
    assert problems == [
        f"a.png differs (RMS > {review.PNG_TOLERANCE}; {rerun})",
        "gone.png not produced (Fix: restore the notebook cell that saves it, or remove figures/gone.* and commit)",
        f"a.csv data differ ({rerun})",
        "new.png is new (Fix: run `opentrends run` and commit figures/)",
    ]
    assert (fresh / "a-failed-diff.png").exists() and (n_png, n_csv) == (2, 1)
    assert review.compare_figures(committed, fresh)[0] == problems  # a second pass does not list the diff image


def test_every_step_says_when_it_starts_and_ends(monkeypatch):
    def slow_step(progress):
        progress("  nbval: 01_open_vs_closed.ipynb")
        return True, "fine"

    monkeypatch.setattr(review, "CHECKS", (("snapshots", slow_step), ("claims", lambda progress: (False, "off"))))
    lines = []
    checks = review.run(progress=lines.append)
    assert [c.ok for c in checks] == [True, False]
    assert [line.split(" in ")[0] for line in lines] == [
        "[1] snapshots: started",
        "  nbval: 01_open_vs_closed.ipynb",
        "[1] snapshots: passed",
        "[2] claims: started",
        "[2] claims: FAILED",
    ]


def test_the_nbval_line_of_a_notebook_gives_its_counts_or_why_it_was_skipped():
    assert nbval_progress.line("01_a.ipynb", Counter(passed=9)) == "[nbval] 01_a.ipynb: 9 passed"
    assert nbval_progress.line("01_a.ipynb", Counter(passed=7, failed=1, skipped=1)) == (
        "[nbval] 01_a.ipynb: 1 failed, 7 passed, 1 skipped"
    )
    assert nbval_progress.line("01_a.ipynb", Counter(skipped=3), "pinned data x@1 not available here") == (
        "[nbval] 01_a.ipynb: skipped: pinned data x@1 not available here"
    )


def test_a_skipped_check_is_neither_a_pass_nor_a_failure_and_the_review_says_it_is_incomplete(monkeypatch):
    def no_data(progress):
        raise review.Skipped("pytest --nbval notebooks/: 99 skipped; 8 of 8 notebooks not executed: no data")

    monkeypatch.setattr(review, "CHECKS", (("nbval", no_data), ("claims", lambda progress: (True, "10 claims"))))
    lines = []
    checks = review.run(progress=lines.append)
    assert [(c.status, c.ok, c.skipped) for c in checks] == [("SKIP", False, True), ("PASS", True, False)]
    assert lines[1].startswith("[1] nbval: SKIPPED in ")
    page = review.report(checks).splitlines()
    assert page[2].startswith("SKIP  nbval ") and page[2].endswith("8 of 8 notebooks not executed: no data")
    assert page[-1] == "review INCOMPLETE: nbval skipped (see SKIP above: not checked here)"
    checks.append(review.Check("figures", False, "fresh run failed", 1.0))
    assert review.report(checks).splitlines()[-1] == "review FAILED: figures; skipped: nbval"


def test_review_without_data_says_skip_for_nbval_with_a_line_per_notebook_and_exits_1(tmp_path):
    """The real command and the real pytest --nbval on the committed notebooks, with no pinned data to be had."""
    env = {
        "OPENTRENDS_MIRROR": str(tmp_path / "no-mirror"),
        "OPENTRENDS_CACHE": str(tmp_path / "cache"),
        "HF_HUB_OFFLINE": "1",
        "OPENTRENDS_URL_HOST_OVERRIDE": "http://127.0.0.1:9",  # no download reaches the internet
    }
    result = run_cli("review", "--only", "nbval", env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    said = [line for line in lines if line.startswith("  nbval: ")]
    assert [line.split(":")[1].strip() for line in said] == notebooks  # one line per notebook, in order
    assert all(": skipped: pinned data " in line and line.endswith(" not available here") for line in said)
    assert lines[len(said) + 1].startswith("[1] nbval: SKIPPED in ")
    row = next(line for line in lines if line.startswith(("PASS", "FAIL", "SKIP")))
    assert row.startswith("SKIP  nbval ") and f"{len(notebooks)} of {len(notebooks)} notebooks not executed: " in row
    assert "tests skipped: pinned data not available here (fix: OPENTRENDS_MIRROR names " in row
    assert lines[-1] == "review INCOMPLETE: nbval skipped (see SKIP above: not checked here)"


def tiny_notebook(path, source: str, output: str) -> None:
    """A one-cell notebook for the project's kernel whose stored output nbval compares with a fresh one."""
    cell = {"cell_type": "code", "execution_count": 1, "id": "c1", "metadata": {}, "source": source,
            "outputs": [{"name": "stdout", "output_type": "stream", "text": output}]}  # fmt: skip
    kernel = {"name": "opentrends", "display_name": "OpenTrends", "language": "python"}
    path.write_text(
        json.dumps({"cells": [cell], "metadata": {"kernelspec": kernel}, "nbformat": 4, "nbformat_minor": 5})
    )


@pytest.mark.integration
def test_nbval_step_says_each_notebook_as_it_finishes_and_fails_on_a_changed_output(tmp_path):
    """Real kernels: nbval re-executes two one-cell notebooks; the one whose output changed fails the step."""
    tiny_notebook(tmp_path / "01_same.ipynb", "print(6 * 7)", "42\n")
    tiny_notebook(tmp_path / "02_changed.ipynb", "print(6 * 8)", "42\n")
    lines = []
    ok, detail = review.check_nbval(lines.append, notebooks=tmp_path)
    assert lines == ["  nbval: 01_same.ipynb: 1 passed", "  nbval: 02_changed.ipynb: 1 failed"]
    assert ok is False and detail.startswith("pytest --nbval ") and ": 1 failed, 1 passed in " in detail


def test_nbval_on_a_folder_without_notebooks_is_skipped_not_passed(tmp_path):
    with pytest.raises(review.Skipped, match=r"no tests ran in .*; no notebooks collected in "):
        review.check_nbval(None, notebooks=tmp_path)
