"""The one table printer and the run summary."""

from pathlib import Path

from opentrends.run.console import format_table, run_summary
from opentrends.run.execute import Outcome


def test_format_table_pads_columns_and_rules_the_header():
    text = format_table([["a", 1], ["long-name", 22]], ["name", "n"])
    assert text.splitlines() == ["name       n", "---------  --", "a          1", "long-name  22"]


def test_run_summary_counts_and_says_where_outputs_are():
    outcomes = [
        Outcome("01_a", "done", 2.04, "no previous run"),
        Outcome("02_b", "skipped", reason="unchanged"),
        Outcome("03_c", "failed", 1.0, "--force", "cell 2: ValueError: bad"),
    ]
    lines = run_summary("wide", outcomes).splitlines()
    assert lines[2].split() == ["01_a", "done", "2.0", "no", "previous", "run"]
    assert lines[3].split() == ["02_b", "skipped", "-", "unchanged"]
    assert lines[-2] == "run 'wide': 2 ok, 1 failed; outputs in build/runs/wide/"
    assert lines[-1] == "failed notebooks were saved with their errors under build/failed/wide/"


def test_the_summary_names_the_folder_a_run_really_wrote():
    from opentrends.core import paths
    from opentrends.run.console import outputs_place

    assert outputs_place(paths.ROOT / "notebooks", paths.ROOT / "figures") == "notebooks/ and figures/"
    named_default = paths.ROOT / "build" / "runs" / "default"
    where = outputs_place(named_default / "notebooks", named_default / "figures")
    assert where == "build/runs/default/"
    lines = run_summary("default", [Outcome("01_a", "done", 1.0, "--force")], where).splitlines()
    assert lines[-1] == "run 'default': 1 ok, 0 failed; outputs in build/runs/default/"
    elsewhere = Path("/srv/opentrends-build/runs/wide")  # OPENTRENDS_BUILD outside the project: said in full
    assert outputs_place(elsewhere / "notebooks", elsewhere / "figures") == f"{elsewhere.as_posix()}/"
