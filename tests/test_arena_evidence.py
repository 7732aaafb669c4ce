"""The Arena change indicator of us-slipping: both views, its unit named, naive and clustered intervals."""

import pytest

from opentrends.claims import arena_evidence
from opentrends.claims import evidence as ev


@pytest.fixture(scope="module")
def ctx():
    return ev.Context()  # the session's conftest points the mirror at the pinned snapshots


def test_as_of_sees_only_versions_before_the_cutoff_and_names_its_unit(ctx):
    then, now = arena_evidence.indicator(ctx.at("2025-08-01")), arena_evidence.indicator(ctx)
    assert then["fit"]["last"] < "2025-08-01" <= now["fit"]["last"]
    for item in (then, now):
        assert item["clustering_unit"] in ("week", "models") and item["n_clusters"] >= 3
        low, high = item["interval_clustered"]
        assert low <= item["fit"]["estimate"] <= high and item["interval_naive"][0] is not None
        assert set(item["variants"]) == {"organization_view"}
