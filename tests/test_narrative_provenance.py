"""publish.narrative_provenance: the citation list and the snapshot-change sentence of notebook 00 (facts and numbers)."""

from __future__ import annotations

import pandas as pd

from opentrends.publish import narrative_provenance as narrative


def test_one_citation_per_source():
    table = pd.DataFrame(
        {
            "source": ["epoch-ai-models", "epoch-ai-models", "ecosystem-graphs"],
            "license": ["CC-BY-4.0", "CC-BY-4.0", "Apache-2.0"],
            "citation": ["Epoch AI (2026).", "Epoch AI (2026).", "Bommasani et al. (2023)."],
        }
    )
    assert narrative.citation_list(table) == (
        "- **epoch-ai-models** (CC-BY-4.0): Epoch AI (2026).\n- **ecosystem-graphs** (Apache-2.0): Bommasani et al. (2023)."
    )


def test_snapshot_changes_with_a_kind_absent_counted_as_zero():
    counts = pd.DataFrame({"change": ["added", "removed", "Model accessibility changed"], "n": [1200, 3, 7]})
    paragraph, texts = narrative.snapshot_changes_text(
        counts, 981, 2178, "epoch-ai-models@2026-03-30", "epoch-ai-models@2026-07-19", "notable_ai_models.csv"
    )
    facts = narrative.snapshot_changes_facts(
        counts, 981, 2178, "epoch-ai-models@2026-03-30", "epoch-ai-models@2026-07-19", "notable_ai_models.csv"
    )
    assert (facts["added"], facts["removed"], facts["access"], facts["dates"]) == (1200, 3, 7, 0)
    assert (facts["source"], facts["old_date"], facts["new_date"]) == ("epoch-ai-models", "2026-03-30", "2026-07-19")
    assert paragraph.startswith("Between **epoch-ai-models@2026-03-30** and **epoch-ai-models@2026-07-19**, `notable_")
    for number in ("from 981 to 2,178 rows: 1,200 models were added and 3 removed", "7 changed accessibility label",
                   "and 0 changed publication date."):  # fmt: skip
        assert number in paragraph
    assert texts["title"] == "What changed in notable_ai_models.csv (epoch-ai-models) between 2026-03-30 and 2026-07-19"
    assert texts["caption"].endswith("of notable_ai_models.csv (981 and 2,178 rows).")
    assert "1200 models added, 3 removed, 7 accessibility labels changed." in texts["alt_text"]
