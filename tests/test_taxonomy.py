"""Label sets: they cover every label in the real snapshots, and an unseen label is a clear error."""

import pytest

from opentrends.catalog import selection as catalog
from opentrends.catalog import taxonomy

US, CN = "United States of America", "China"


@pytest.mark.parametrize(
    "ref, population",
    [
        ("epoch-ai-models@2026-03-30", "all"),
        ("epoch-ai-models@2026-03-30", "notable"),
        ("epoch-ai-models@2026-03-30", "large_scale"),
        ("epoch-ai-models@2026-03-30", "frontier"),
        ("epoch-ai-models@2026-07-19", "notable"),
    ],
)
def test_every_epoch_label_is_classified(real_snapshot, ref, population):
    loaded = catalog.load_epoch(real_snapshot(ref), population)
    rows = loaded.rows
    assert set(rows["access"]) <= set(taxonomy.ACCESS_CLASS)
    assert set(rows["access_class"]) <= {"open", "closed", "unknown"}
    assert set(rows["origin"]) <= set(taxonomy.ORIGINS)
    assert rows["model"].is_unique


def test_every_ecosystem_label_is_classified(real_snapshot):
    rows = catalog.load_ecosystem_graphs(real_snapshot("ecosystem-graphs@2025-01-24")).rows
    assert set(rows["access"]) == {"open", "limited", "closed"}
    assert set(rows["origin"]) <= set(taxonomy.ORIGINS)


@pytest.mark.parametrize(
    "countries, rule, expected",
    [
        ((US,), "exclusive", ("United States",)),
        ((CN,), "exclusive", ("China",)),
        ((), "exclusive", ("Unknown",)),
        (("France",), "exclusive", ("Rest of world",)),
        (("France", "Germany"), "exclusive", ("Multinational",)),
        ((CN, US), "exclusive", ("Multinational",)),
        (("Multinational",), "exclusive", ("Multinational",)),
        ((CN, US), "any", ("China", "United States")),
        (("France", "Germany"), "any", ("Rest of world",)),
        (("United Kingdom of Great Britain and Northern Ireland", US), "any", ("Rest of world", "United States")),
        ((), "any", ("Unknown",)),
    ],
)
def test_origin_rules(countries, rule, expected):
    assert taxonomy.origins(countries, rule) == expected


def test_hong_kong_and_macao_can_count_as_china():
    assert taxonomy.origins((CN, "Hong Kong"), "exclusive") == ("Multinational",)
    assert taxonomy.origins((CN, "Hong Kong"), "exclusive", hong_kong_macao_as_china=True) == ("China",)
    assert taxonomy.origins(("Macao",), "exclusive", hong_kong_macao_as_china=True) == ("China",)


def test_open_definitions():
    assert catalog.is_open("Open weights (non-commercial)", "weights") is True
    assert catalog.is_open("Open weights (non-commercial)", "unrestricted") is False
    assert catalog.is_open("Open weights (unrestricted)", "unrestricted") is True
    assert catalog.is_open("Unreleased", "weights") is False
    assert catalog.is_open("", "weights") is None
    assert catalog.is_open("limited", "weights", "ecosystem-graphs") is False
    assert catalog.is_open("open", "weights", "ecosystem-graphs") is True
    with pytest.raises(ValueError, match="does not apply to ecosystem-graphs"):
        catalog.is_open("open", "unrestricted", "ecosystem-graphs")


def test_unknown_label_names_label_column_and_file():
    with pytest.raises(taxonomy.UnknownLabelError) as err:
        taxonomy.check_labels(
            ["API access", "Open weights (sort of)"],
            taxonomy.ACCESS_CLASS,
            "Model accessibility",
            "epoch-ai-models@2099-01-01/notable_ai_models.csv",
        )
    message = str(err.value)
    assert "'Open weights (sort of)'" in message
    assert "column 'Model accessibility'" in message
    assert message.startswith("epoch-ai-models@2099-01-01/notable_ai_models.csv")
    assert "Fix:" in message


def test_taxonomy_holds_only_shared_labels_and_no_forwarders_to_the_loaders():
    from opentrends.catalog.loaders import epoch

    assert "EPOCH_COUNTRIES" not in vars(taxonomy) and "ECOSYSTEM_NATIONALITY" not in vars(taxonomy)
    assert "United States of America" in epoch.COUNTRIES
    with pytest.raises(AttributeError):
        _ = taxonomy.EPOCH_COUNTRIES
