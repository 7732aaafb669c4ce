"""One meaning per colour: the palettes are disjoint, open and closed survive colour-vision deficiency, and every
committed figure's sidecar records colours that each mean one thing (a Chinese series in China's colour)."""

from __future__ import annotations

import itertools
import json

import matplotlib.pyplot as plt
import numpy as np
import pytest

from opentrends.core import paths
from opentrends.publish import palette

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
PROTANOPIA = np.array(
    [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
)
DEUTERANOPIA = np.array(
    [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
)
SIMULATIONS = {"normal vision": np.eye(3), "deuteranopia": DEUTERANOPIA, "protanopia": PROTANOPIA}


def linear_rgb(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(linear: np.ndarray) -> np.ndarray:
    to_xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = to_xyz @ np.clip(linear, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, matrix: np.ndarray) -> float:
    return float(np.linalg.norm(lab(matrix @ linear_rgb(a)) - lab(matrix @ linear_rgb(b))))


def test_origin_access_and_neutral_colours_are_disjoint():
    colours = list(palette.ROLES.values())
    assert len(colours) == len(set(colours)), "a colour stands for two roles"
    assert not set(palette.ORIGIN.values()) & set(palette.ACCESS.values())


OPEN = [c for k, c in palette.ACCESS.items() if k == "open" or k.startswith("Open weights")]
CLOSED = [c for c in palette.ACCESS.values() if c not in OPEN]


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_open_and_closed_stay_apart_and_each_access_label_is_distinct_under_colour_blindness(vision):
    matrix = SIMULATIONS[vision]
    assert min(delta_e(a, b, matrix) for a in OPEN for b in CLOSED) > 40
    stacked = [c for k, c in palette.ACCESS.items() if k not in ("open", "closed")]  # the access-mix stack
    assert min(delta_e(a, b, matrix) for a, b in itertools.combinations(stacked, 2)) > 15


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_the_united_states_and_china_stay_apart_under_colour_blindness(vision):
    assert delta_e(palette.ORIGIN["United States"], palette.ORIGIN["China"], SIMULATIONS[vision]) > 50


def test_labels_name_their_roles():
    assert palette.role_of_label("China") == "origin:China"
    assert palette.role_of_label("China, partial year") == "origin:China"
    assert palette.role_of_label("Rest of the world") == "origin:Rest of world"
    assert palette.role_of_label("Open weights (restricted use)") == "access:Open weights (restricted use)"
    assert palette.role_of_label("Best ECI so far") is None


def test_colour_roles_reads_back_each_labelled_series():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [1, 2], color=palette.ORIGIN["China"], label="China")
    ax.bar([1], [1], color=palette.ACCESS["API access"], label="API access")
    ax.plot([1, 2], [2, 1], color=palette.NEUTRAL, label="All models")
    ax.legend()
    roles = {e["label"]: (e["role"], e["colour"]) for e in palette.colour_roles(fig)}
    plt.close(fig)
    assert roles == {
        "China": ("origin:China", palette.ORIGIN["China"]),
        "API access": ("access:API access", palette.ACCESS["API access"]),
        "All models": ("neutral", palette.NEUTRAL),
    }


def committed_sidecars() -> list[dict]:
    folder = paths.ROOT / "figures"
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json")) if p.name != "index.json"]


def test_every_committed_figure_records_its_colours_and_each_colour_means_one_thing():
    sidecars = [s for s in committed_sidecars() if "id" in s]
    assert sidecars
    missing = [s["id"] for s in sidecars if "colours" not in s]
    assert not missing, f"sidecars without colour roles (rerun their notebooks): {missing}"
    roles_of: dict[str, set[str]] = {}
    for sidecar in sidecars:
        for entry in sidecar["colours"]:
            named = palette.role_of_label(entry["label"])
            if named is not None:
                expected = palette.ROLES[named]
                assert entry["colour"] == expected, f"{sidecar['id']}: {entry['label']!r} drawn in {entry['colour']}"
            if entry["role"] != "unassigned":
                roles_of.setdefault(entry["colour"], set()).add(entry["role"])
    assert {c: r for c, r in roles_of.items() if len(r) > 1} == {}
