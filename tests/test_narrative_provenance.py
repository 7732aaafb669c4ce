"""publish.narrative_provenance: the citation list and the snapshot-change sentence of notebook 00 (facts and numbers)."""

from __future__ import annotations

import pandas as pd
from stated import states

from opentrends.publish import narrative_provenance as narrative


def test_one_citation_per_source():
    table = pd.DataFrame(
        {
            "source": ["epoch-ai-models", "epoch-ai-models", "ecosystem-graphs"],
            "license": ["CC-BY-4.0", "CC-BY-4.0", "Apache-2.0"],
            "citation": ["Epoch AI (2026).", "Epoch AI (2026).", "Bommasani et al. (2023)."],
        }
    )
    first, second = narrative.citation_list(table).split("\n")  # one Markdown bullet a source, in table order
    assert first.startswith("- ") and states(first, "epoch-ai-models", "CC-BY-4.0", "Epoch AI (2026).")
    assert second.startswith("- ") and states(second, "ecosystem-graphs", "Apache-2.0", "Bommasani et al. (2023).")


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
    assert states(paragraph, "epoch-ai-models@2026-03-30", "epoch-ai-models@2026-07-19", "notable_ai_models.csv", "981",
                  "2,178", "1,200", "3", "7", "0")  # fmt: skip
    assert states(
        texts["title"], "notable_ai_models.csv", "30 March 2026", "19 July 2026"
    )  # no internal id in an image
    assert states(texts["caption"], "notable_ai_models.csv", "981", "2,178")
    assert states(texts["alt_text"], "1200", "3", "7")
