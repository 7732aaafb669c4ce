"""Ready-to-paste text for writers: a citation and embed snippets (Markdown, LaTeX, HTML) for one figure.

Pure functions of a figure sidecar (the JSON `figures.save` writes): no I/O, no matplotlib, so the
gallery can build them from sidecars alone. Every snippet names the image under the published base URL
(`OPENTRENDS_BASE_URL`, e.g. `https://example.org/opentrends/`: images at `<base>figures/<id>.<ext>`), or by
its path in the project (`figures/<id>.<ext>`) when the setting is unset, and carries the data credit (the
source line), which the data licences (CC BY and the like) require wherever the figure appears. The
citation names the year (of the newest snapshot the figure plots), the URL and a BibTeX entry.
"""

from __future__ import annotations

from collections.abc import Mapping

from opentrends.publish import html_page

PROJECT = "OpenTrends"
AUTHORS = "OpenTrends contributors"  # the same entity CITATION.cff names as author
FIGURES_PREFIX = "figures/"
BASE_URL_ENV = "OPENTRENDS_BASE_URL"
FIGURE_LICENSE = "CC BY 4.0"
# figures.SINGLE is 3.5 in and figures.DOUBLE 7.2 in (tests keep this in step): anything wider than
# a column plus a margin is a page-wide figure, which two-column LaTeX layouts place with figure*.
WIDE_INCHES = 5.0

# The order snippets appear in sidecars and on gallery cards, with the label a reader sees.
KINDS = {"citation": "Citation", "markdown": "Markdown", "latex": "LaTeX", "html": "HTML"}

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
# Characters that would start emphasis, code, links or HTML inside Markdown text.
_MARKDOWN_SPECIAL = set("\\`*_[]<>")


def latex_escape(text: str) -> str:
    """`text` safe inside a LaTeX argument: 'n_open / 45%' -> 'n\\_open / 45\\%'."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(text))


def markdown_escape(text: str) -> str:
    """`text` shown literally by Markdown renderers (backslash before emphasis, code, link and HTML marks)."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in str(text))


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _file(sidecar: Mapping, ext: str, prefix: str) -> str:
    name = sidecar.get("files", {}).get(ext) or f"{sidecar['id']}.{ext}"
    return f"{prefix}{name}"


def data_credit(sources) -> str:
    """'Epoch AI, Data on AI Models (snapshot 2026-03-30), CC BY 4.0' for each producer and title, joined by '; '."""
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for entry in sources:
        key = (entry["producer"], entry["title"], entry.get("license") or "licence not stated")
        grouped.setdefault(key, []).append(entry["snapshot"])
    return "; ".join(
        f"{producer}, {title} (snapshot{'s' if len(dates) > 1 else ''} {', '.join(dates)}), {licence}"
        for (producer, title, licence), dates in grouped.items()
    )


def variant_parameters(variant: Mapping) -> str:
    """ "population='notable' (default 'all'), start_year=2018 (default 2016)": a variant's changed parameters."""
    return ", ".join(
        f"{name}={entry['value']!r} (default {entry['default']!r})" for name, entry in sorted(variant.items())
    )


def variant_note(variant: Mapping) -> str:
    """The sentence a variant figure's caption ends with ('' for a figure of the default run)."""
    if not variant:
        return ""
    return f"Variant with non-default parameters: {variant_parameters(variant)}."


def base_prefix() -> str:
    """Where snippets point for images: `$OPENTRENDS_BASE_URL` + 'figures/', or 'figures/' (relative) when unset."""
    import os

    base = os.environ.get(BASE_URL_ENV, "").strip()
    return f"{base.rstrip('/')}/{FIGURES_PREFIX}" if base else FIGURES_PREFIX


def year(sidecar: Mapping) -> str:
    """The citation year: that of the newest snapshot the figure plots (so the same data cites the same year)."""
    return max(str(entry["snapshot"])[:4] for entry in sidecar["sources"])


def citation(sidecar: Mapping, version: str | None = None, prefix: str = FIGURES_PREFIX) -> str:
    """A plain-text reference for the figure, crediting the project and the data it plots (and a variant's parameters)."""
    release = f"{PROJECT}, version {version}" if version else PROJECT
    title = _one_line(sidecar["title"]).rstrip(".")
    variant = sidecar.get("variant") or {}
    which = f"figure {sidecar['id']}" + (f", variant {variant_parameters(variant)}" if variant else "")
    return (
        f"{AUTHORS} ({year(sidecar)}). {title} [{which}]. {release}. {_file(sidecar, 'png', prefix)}. "
        f"Licence {FIGURE_LICENSE}. Data: {data_credit(sidecar['sources'])}."
    )


def bibtex(sidecar: Mapping, version: str | None = None, prefix: str = FIGURES_PREFIX) -> str:
    """A BibTeX `@misc` entry for the figure, keyed `opentrends-<id>`."""
    fields = {
        "author": f"{{{AUTHORS}}}",
        "title": f"{{{latex_escape(_one_line(sidecar['title']).rstrip('.'))}}}",
        "year": year(sidecar),
        "howpublished": f"\\url{{{_file(sidecar, 'png', prefix)}}}",
        "note": latex_escape(
            f"{PROJECT}{', version ' + version if version else ''}, figure {sidecar['id']}. "
            f"Licence {FIGURE_LICENSE}. Data: {data_credit(sidecar['sources'])}"
        ),
    }
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items())
    return f"@misc{{opentrends-{sidecar['id']},\n{body}\n}}"


def markdown(sidecar: Mapping, prefix: str = FIGURES_PREFIX) -> str:
    """An image with alt text, then the caption paragraph with its data credit."""
    alt = markdown_escape(_one_line(sidecar["alt_text"]))
    title = markdown_escape(_one_line(sidecar["title"]).rstrip("."))
    body = markdown_escape(_one_line(f"{sidecar['caption']} {sidecar['source_line']}"))
    return f"![{alt}]({_file(sidecar, 'png', prefix)})\n\n**{title}.** {body}"


def latex(sidecar: Mapping, prefix: str = FIGURES_PREFIX) -> str:
    """A float with `\\includegraphics` (the PDF), `\\caption` and `\\label{fig:<id>}`; alt text as a comment."""
    wide = float((sidecar.get("size_inches") or [0])[0]) > WIDE_INCHES
    env, width = ("figure*", r"\textwidth") if wide else ("figure", r"\columnwidth")
    title = latex_escape(_one_line(sidecar["title"]).rstrip("."))
    body = latex_escape(_one_line(f"{sidecar['caption']} {sidecar['source_line']}"))
    return "\n".join(
        [
            rf"\begin{{{env}}}[tbp]",
            r"  \centering",
            rf"  \includegraphics[width={width}]{{{_file(sidecar, 'pdf', prefix)}}}",
            rf"  \caption[{{{title}}}]{{\textbf{{{title}.}} {body}}}",
            rf"  \label{{fig:{sidecar['id']}}}",
            f"  % Alt text: {_one_line(sidecar['alt_text'])}",
            rf"\end{{{env}}}",
        ]
    )


def html_figure(sidecar: Mapping, prefix: str = FIGURES_PREFIX) -> str:
    """A `<figure>` with the image's alt text and a `<figcaption>` holding title, caption and data credit.

    The HTML is `templates/pages/snippet_figure.html.j2` (autoescaped, like every page).
    """
    return html_page.render(
        "snippet_figure.html.j2",
        id=sidecar["id"],
        src=_file(sidecar, "png", prefix),
        alt_text=_one_line(sidecar["alt_text"]),
        title=_one_line(sidecar["title"]).rstrip("."),
        caption=_one_line(sidecar["caption"]),
        source_line=_one_line(sidecar["source_line"]),
    )


def for_figure(sidecar: Mapping, version: str | None = None, prefix: str | None = None) -> dict[str, str]:
    """Every snippet for one figure, keyed as in `KINDS` (images under `base_prefix()` unless `prefix` is given)."""
    prefix = base_prefix() if prefix is None else prefix
    return {
        "citation": citation(sidecar, version, prefix),
        "markdown": markdown(sidecar, prefix),
        "latex": latex(sidecar, prefix),
        "html": html_figure(sidecar, prefix),
        "bibtex": bibtex(sidecar, version, prefix),  # for writers, in the sidecar; the cards show KINDS
    }


def project_version() -> str | None:
    """The installed package's version (pyproject.toml), or None when the package is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("opentrends")
    except PackageNotFoundError:
        return None
