"""Claims that need a whole-Hub snapshot become testable when one is registered, with no code change.

A generated `models.parquet` of the hub-stats schema is pinned as `hf-hub-stats@<date>` in a private
registry (a Hub location at a 40-hex revision; the verified bytes sit in a private cache, the first place
`snapshots` looks) and the same claims are evaluated again.
"""

from __future__ import annotations

from dataclasses import replace

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from opentrends.claims import evidence as ev
from opentrends.claims import ledger as claims
from opentrends.data import snapshots
from opentrends.registry import sources, writer
from opentrends.registry.sources import HubLocation

R1 = "deepseek-ai/DeepSeek-R1"
BASE = pa.struct([("models", pa.list_(pa.struct([("id", pa.string())]))), ("relation", pa.string())])


def whole_hub_table(r1_likes: int, r1_derivatives: int, llama_derivatives: int) -> pa.Table:
    """A tiny Hub: R1 and a rival with given likes, R1 and Llama derivatives (some of them second-level)."""
    rows = [
        {"id": R1, "author": "deepseek-ai", "likes": r1_likes, "base": None},
        {"id": "black-forest-labs/FLUX.1-dev", "author": "black-forest-labs", "likes": 5000, "base": None},
        {"id": "meta-llama/Llama-3.1-8B", "author": "meta-llama", "likes": 4000, "base": None},
    ]
    rows += [{"id": f"user{i}/r1-ft-{i}", "author": f"user{i}", "likes": 1, "base": R1} for i in range(r1_derivatives)]
    # half the Llama derivatives are built on another derivative: the family root is still meta-llama
    first = "user-l0/llama-ft-0"
    rows += [
        {
            "id": f"user-l{i}/llama-ft-{i}",
            "author": f"user-l{i}",
            "likes": 0,
            "base": "meta-llama/Llama-3.1-8B" if i % 2 == 0 or i == 0 else first,
        }
        for i in range(llama_derivatives)
    ]
    return pa.table(
        {
            "id": [r["id"] for r in rows],
            "author": [r["author"] for r in rows],
            "createdAt": pa.array(["2025-01-25T00:00:00Z"] * len(rows)),
            "likes": pa.array([r["likes"] for r in rows], pa.int64()),
            "downloads": pa.array([0] * len(rows), pa.int64()),
            "downloadsAllTime": pa.array([0] * len(rows), pa.int64()),
            "tags": pa.array([[] for _ in rows], pa.list_(pa.string())),
            "pipeline_tag": pa.array(["text-generation"] * len(rows)),
            "library_name": pa.array(["transformers"] * len(rows)),
            "baseModels": pa.array(
                [None if r["base"] is None else {"models": [{"id": r["base"]}], "relation": "finetune"} for r in rows],
                BASE,
            ),
        }
    )


@pytest.fixture
def pin_whole_hub(isolated):
    def pin(date: str, table: pa.Table) -> str:
        folder = isolated / "cache" / "hf-hub-stats" / date
        folder.mkdir(parents=True)
        pq.write_table(table, folder / "models.parquet")
        source = sources.load_registry()["hf-hub-stats"]
        snap = snapshots.pin_directory(source, date, folder)
        hub = HubLocation(repo_id="cfahlgren1/hub-stats", revision="ab" * 20, repo_type="dataset", path_in_repo="")
        writer.write_snapshot(source, replace(snap, hub=hub, awaiting_push=False))
        return f"hf-hub-stats@{date}"

    return pin


def ledger(ids):
    return {item["id"]: item for item in claims.evaluate(ids)}


def test_without_a_whole_hub_snapshot_likes_say_what_would_decide_them_and_counts_come_from_growth(real_snapshot):
    real_snapshot("hf-hub-top-models@2026-08-22")
    real_snapshot("hf-derivative-growth@2025-02-18")
    found = ledger(["r1-most-liked", "r1-thousands-variants", "llama-tens-of-thousands"])
    assert found["r1-most-liked"]["verdict"] == "not testable" and "hf-hub-stats" in found["r1-most-liked"]["needs"]
    # Fine-tune counts to 2025-02-18 (Bhandari et al.): R1 alone 1,280 (1,000-1,999: mixed), Llama family 37,064.
    assert found["r1-thousands-variants"]["verdict"] == "mixed"
    assert found["llama-tens-of-thousands"]["verdict"] == "supported"


def test_a_whole_hub_snapshot_in_the_window_makes_them_testable(real_snapshot, pin_whole_hub):
    real_snapshot("hf-hub-top-models@2026-08-22")
    ref = pin_whole_hub("2025-01-27", whole_hub_table(r1_likes=6000, r1_derivatives=2100, llama_derivatives=300))
    found = ledger(["r1-most-liked", "r1-thousands-variants", "llama-tens-of-thousands"])
    assert found["r1-most-liked"]["verdict"] == "supported" and found["r1-most-liked"]["sources"] == [ref]
    assert found["r1-most-liked"]["evidence"]["rank_by_likes"] == 1
    assert found["r1-thousands-variants"]["verdict"] == "supported"
    assert found["r1-thousands-variants"]["evidence"]["derivatives"] == 2100
    assert found["llama-tens-of-thousands"]["verdict"] == "contradicted"  # 300 < 10,000
    assert found["llama-tens-of-thousands"]["evidence"]["derivatives"] == 300  # second-level ones count too


def test_the_rules_read_the_snapshot_not_a_typed_answer(real_snapshot, pin_whole_hub):
    real_snapshot("hf-hub-top-models@2026-08-22")
    pin_whole_hub("2025-01-30", whole_hub_table(r1_likes=10, r1_derivatives=1200, llama_derivatives=0))
    found = ledger(["r1-most-liked", "r1-thousands-variants"])
    assert found["r1-most-liked"]["verdict"] == "contradicted"  # FLUX.1-dev has more likes in this Hub
    assert found["r1-most-liked"]["evidence"]["leader"] == "black-forest-labs/FLUX.1-dev"
    assert found["r1-thousands-variants"]["verdict"] == "mixed"  # 1,000-1,999


def test_a_snapshot_outside_the_window_is_context_not_verdict(real_snapshot, pin_whole_hub):
    real_snapshot("hf-hub-top-models@2026-08-22")
    pin_whole_hub("2025-03-01", whole_hub_table(r1_likes=6000, r1_derivatives=2100, llama_derivatives=0))
    found = ledger(["r1-most-liked"])
    assert found["r1-most-liked"]["verdict"] == "not testable"
    assert ev.Context().parameters()["snapshot"].startswith("epoch-ai-models@")
