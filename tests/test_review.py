"""`opentrends review`: progress on every step, and figure problems that name their fix (never its own diff images)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from opentrends.cli import review  # noqa: E402


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


def test_nbval_progress_names_each_notebook_once_from_pytest_verbose_lines():
    lines = [
        "notebooks/01_open_vs_closed.ipynb::Cell 0 PASSED                [  1%]",
        "notebooks/01_open_vs_closed.ipynb::Cell 1 PASSED                [  2%]",
        "/abs/notebooks/02_us_vs_china.ipynb::Cell 0 SKIPPED (pinned data)  [  3%]",
        "tests/test_x.py::test_y PASSED",
    ]
    names = [m.group(1) for m in map(review.NBVAL_ITEM.match, lines) if m]
    assert names == ["01_open_vs_closed.ipynb", "01_open_vs_closed.ipynb", "02_us_vs_china.ipynb"]
