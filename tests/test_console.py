"""The one table printer and the run summary."""

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
