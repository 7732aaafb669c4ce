"""Sentences from templates: Jinja2 over `opentrends/templates/`, filled from facts with `core.text`'s number filters.

The wording of every sentence, caption and alt text lives in a template file; Python computes the facts (named
numbers and names, no prose) and `render` fills them in. Markdown and plain text only (autoescape off; the HTML
pages have their own environment). A missing fact is an error (`StrictUndefined`), never an empty string.

Templates are written the way Markdown is read: a single line break inside a paragraph is a space, so templates
wrap at any width; a blank line is a paragraph break (two newlines in the text); a newline the text needs inside a
paragraph (list items) is written `{{ "\\n" }}`. The file's final newline is the file's, not the sentence's: `render`
returns the text without it, so a sentence can be joined to the next.
Whitespace control (`{%-`, `-%}`) removes the space a line break would leave beside a tag.

CSV column descriptions are YAML mappings (`templates/columns/<figure-id>.yaml`, column: description, in CSV order),
filled the same way (not unwrapped) and read by `columns`.

Filters: `pct`, `pp`, `count`, `months`, `year`, `share_of`, `interval` and `day` from `core.text` (`count` is
the thousands separator, replacing Jinja's alias of `length`); lists join with Jinja's own `join` and `map`.
"""

from __future__ import annotations

import re
from functools import cache

import jinja2
import yaml
from jinja2.ext import Extension

from opentrends.core import text

TEMPLATES = "templates"  # the package folder, next to core/, shipped as package data
FILTERS = {f.__name__: f for f in (text.pct, text.pp, text.count, text.months, text.year, text.share_of, text.day)}
FILTERS["interval"] = text.interval
_BREAKS = re.compile(r"\n\s*\n")


def unwrap(source: str) -> str:
    """Template source as the sentence reads: lines of a paragraph joined by spaces, paragraphs by one blank line."""
    paragraphs = _BREAKS.split(source.strip("\n"))
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines() if line.strip()) for p in paragraphs)


class Unwrap(Extension):
    """Join a template's wrapped lines before Jinja parses it (so a fact holding a newline keeps it)."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return source if name and name.endswith(".yaml") else unwrap(source)


@cache
def environment() -> jinja2.Environment:
    """The one environment for Markdown and plain-text templates."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("opentrends", TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,  # Jinja keeps what it reads; `unwrap` drops the file's final newline
        extensions=[Unwrap],
    )
    env.filters.update(FILTERS)
    return env


def render(name: str, /, **facts) -> str:
    """The template `name` (a path under `templates/`, e.g. 'captions/hub-most-liked.caption.txt') filled with
    `facts`; a fact the template needs and `facts` lacks raises `jinja2.UndefinedError` naming it."""
    return environment().get_template(name).render(**facts)


def columns(figure: str, /, **facts) -> dict[str, str]:
    """The CSV column descriptions of `figure` (`templates/columns/<figure>.yaml`), filled with `facts`, in order."""
    return yaml.safe_load(render(f"columns/{figure}.yaml", **facts))
