"""run.selection_checks: the Epoch choices notebooks 01 and 02 share, checked once."""

from __future__ import annotations

import pytest

from opentrends.core.errors import ParameterError
from opentrends.run import selection_checks

DEFAULTS = dict(
    population="all",
    start_year=2016,
    end_year=2025,
    open_definition="weights",
    released_only=False,
    domain=None,
    min_training_compute=None,
    hong_kong_macao_as_china=False,
)


def test_the_filters_are_what_select_takes():
    choices = selection_checks.epoch_choices(**{**DEFAULTS, "domain": "Language", "min_training_compute": 1e23})
    assert choices.filters == {
        "open_definition": "weights",
        "released_only": False,
        "domain": "Language",
        "min_training_compute": 1e23,
    }


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "population",
            "everything",
            "Parameter population='everything' is not valid. Valid values: 'all', 'notable', ",
        ),
        ("open_definition", "open", "Parameter open_definition='open' is not valid. Valid values: 'weights', "),
        ("released_only", 1, "Parameter released_only=1 is not valid. Valid values: True, False."),
        (
            "hong_kong_macao_as_china",
            "maybe",
            "Parameter hong_kong_macao_as_china='maybe' is not valid. Valid values: True",
        ),
        ("domain", "Cooking", "Parameter domain='Cooking' is not valid. Valid values: None, "),
        (
            "min_training_compute",
            -1,
            "Parameter min_training_compute=-1 is not valid. Valid values: None or a number >= 0.",
        ),
        ("start_year", 2016.5, "Parameter start_year=2016.5 is not valid. Valid values: a whole number."),
        ("end_year", "2025", "Parameter end_year='2025' is not valid. Valid values: a whole number."),
    ],
)
def test_each_impossible_choice_names_itself_and_the_valid_values(name, value, message):
    with pytest.raises(ParameterError) as error:
        selection_checks.epoch_choices(**{**DEFAULTS, name: value})
    assert str(error.value).startswith(message), str(error.value)


def test_load_checks_the_snapshot_and_clips_a_comparison_to_its_coverage(real_snapshot):
    ref = real_snapshot("epoch-ai-models@2026-03-30")
    choices = selection_checks.epoch_choices(**{**DEFAULTS, "start_year": 1940, "end_year": 1960})
    with pytest.raises(
        ParameterError,
        match=r"Parameter snapshot='ecosystem-graphs@2025-01-24' is not valid. Valid values: a registered snapshot: epoch-ai-models@2026-03-30",
    ):
        choices.load("snapshot", "ecosystem-graphs@2025-01-24")
    loaded, chosen = choices.load("snapshot", ref, "notable", clip=True)
    assert loaded.population == "notable"
    assert (chosen.filters["start_year"], chosen.filters["end_year"]) == (1950, 1960)
    assert chosen.coverage.first == "1950-07-02"
