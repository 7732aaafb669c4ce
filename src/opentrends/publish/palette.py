"""One meaning per colour: the origin palette, the access palette and the neutral greys, and the roles a figure draws.

Origins (United States, China, Rest of world, Multinational, Unknown) and access (open weights in purples,
closed in golds, darker for the family's head) never share a colour, and open and closed stay apart under
deuteranopia and protanopia (tests/test_palette.py simulates both with the Machado et al. 2009 matrices).
A chart of one series draws it in `NEUTRAL`. `colour_roles(fig)` reads back each labelled series' colour
and the role it stands for; `figures.save` records it in the sidecar (`"colours"`), so a page or a test can
check that a Chinese series is drawn in China's colour and that no colour means two things.
"""

from __future__ import annotations

ORIGIN = {
    "United States": "#0072B2",
    "China": "#D55E00",
    "Rest of world": "#009E73",
    "Multinational": "#CC79A7",
    "Unknown": "#BBBBBB",
}
ACCESS = {
    "open": "#5E3C99",
    "Open weights (unrestricted)": "#4B2C8C",
    "Open weights (restricted use)": "#8073AC",
    "Open weights (non-commercial)": "#B2ABD2",
    "closed": "#DDAA33",
    "API access": "#C99A1E",
    "Hosted access (no API)": "#E8C45A",
    "Unreleased": "#F4E3A6",
}
NEUTRAL = "#4D4D4D"  # the one series of a single-series chart
COLORS = {**ORIGIN, **ACCESS, "neutral": NEUTRAL}  # every role's colour by name, for drawing and the pages
REFERENCE = "#999999"  # reference lines, partial periods, context drawn behind the data
MUTED = "#CCCCCC"  # shading: ramp-ups, partial weeks, the rest of a ranking

# Role names as the sidecar records them: "origin:China", "access:open", "neutral".
ROLES = (
    {f"origin:{name}": colour for name, colour in ORIGIN.items()}
    | {f"access:{name}": colour for name, colour in ACCESS.items()}
    | {"neutral": NEUTRAL, "neutral:reference": REFERENCE, "neutral:muted": MUTED}
)
COLOUR_ROLE = {colour: role for role, colour in ROLES.items()}

# What a series label names, as a role ("Rest of the world" and "other" are spellings of one origin).
_LABEL_ALIASES = {"Rest of the world": "Rest of world", "other": "Rest of world", "Other": "Rest of world",
                  "US": "United States", "Open weights": "open", "Open": "open", "Closed": "closed"}  # fmt: skip


def role_of_label(label: str) -> str | None:
    """The role a series label names ('China' -> 'origin:China', 'China, partial year' too), or None."""
    head = str(label).split(",")[0].split(" (")[0].strip() if str(label) not in ACCESS else str(label)
    name = _LABEL_ALIASES.get(head, head)
    if name in ORIGIN:
        return f"origin:{name}"
    if name in ACCESS:
        return f"access:{name}"
    return None


def _colour_of(artist) -> str | None:
    from matplotlib.colors import to_hex  # here: the pages read the palette without importing matplotlib

    for getter in ("get_color", "get_facecolor", "get_edgecolor"):
        if hasattr(artist, getter):
            try:
                value = getattr(artist, getter)()
            except (TypeError, ValueError):
                continue
            if hasattr(value, "ndim") and value.ndim == 2:
                value = value[0] if len(value) else None
            if value is None:
                continue
            colour = to_hex(value, keep_alpha=False).upper()
            if colour != "#FFFFFF" and getattr(artist, "get_fill", lambda: True)() is not False:
                return colour
    return None


def colour_roles(fig) -> list[dict]:
    """Each labelled series (legend entries and labelled artists) as {label, role, colour}, sorted, no repeats.

    The role comes from the label when it names an origin or an access class, else from the colour
    (a palette colour's own role), else 'unassigned'.
    """

    found: dict[tuple[str, str], dict] = {}

    def add(label, artist):
        label = str(label).strip()
        colour = _colour_of(artist)
        if not label or label.startswith("_") or colour is None:
            return
        role = role_of_label(label) or COLOUR_ROLE.get(colour, "unassigned")
        found[(label, colour)] = {"label": label, "role": role, "colour": colour}

    legends = [ax.get_legend() for ax in fig.axes] + list(fig.legends)
    for legend in filter(None, legends):
        for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=False):
            if handle is not None:
                add(text.get_text(), handle)
    for ax in fig.axes:
        for artist in [*ax.lines, *ax.patches, *ax.collections, *ax.containers]:
            if hasattr(artist, "get_label") and not hasattr(artist, "patches"):
                add(artist.get_label(), artist)
            elif hasattr(artist, "patches") and artist.patches:
                add(artist.get_label(), artist.patches[0])
    return sorted(found.values(), key=lambda e: (e["role"], e["label"], e["colour"]))
