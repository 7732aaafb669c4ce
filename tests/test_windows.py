"""Registered windows: one pair per two-period indicator, whole months, equal lengths, read by the ledger."""

import pandas as pd
import pytest

from opentrends.claims import ledger, windows
from opentrends.core.errors import ParameterError


def test_every_pair_is_whole_months_of_equal_length_in_order():
    for name, w in windows.WINDOWS.items():
        if "first" not in w:
            assert pd.Timestamp(windows.start(name))
            continue
        (a, b), (c, d) = windows.pair(name)
        months = [pd.Period(m, "M") for m in (a, b, c, d)]
        assert months[0] <= months[1] < months[2] <= months[3], name
        assert (months[1] - months[0]).n == (months[3] - months[2]).n, name


def test_the_hub_comparison_avoids_the_structurally_zero_start():
    assert windows.pair("hub_new_finetunes_chinese_share") == (("2023-07", "2023-12"), ("2024-07", "2024-12"))
    with pytest.raises(ParameterError, match="No registered window pair"):
        windows.pair("open_share_trend")  # a slope: it has a start, not a pair


def test_the_ledger_reads_its_windows_from_the_table():
    t = ledger.claim_thresholds("builders-turn-to-chinese")
    assert t["hub_window"] == windows.pair("hub_new_finetunes_chinese_share")
    assert t["trending_window"] == windows.pair("hub_trending_maker_share")
    assert ledger.claim_thresholds("us-slipping")["eci_from"] == windows.start("open_eci_trend")
    assert {row["indicator"] for row in windows.table()} == set(windows.WINDOWS)
