"""The pages' Jinja2 templates (`opentrends/templates/pages/`): one autoescaped environment for the gallery and the report.

Every page extends `base.html.j2` (the shared head: UTF-8, mobile viewport, light and dark schemes, no icon
request, the inline stylesheet `style.css.j2`), so a page stays one self-contained file. Python gathers the
values (which figures, which sentences, in what order) and passes them as they are: the templates escape
every value they print. A value that is already HTML must come in as `markupsafe.Markup`, with the reason
beside it.
"""

from __future__ import annotations

import re
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_eval_context, select_autoescape
from markupsafe import Markup

from opentrends.publish import palette

PAGES = "templates/pages"  # inside the opentrends package (shipped as package data, see pyproject.toml)

# Autoescape (markupsafe) spells the quotes &#39; and &#34;; the pages have always spelled them &#x27; and &quot;
# (Python's html.escape). A browser reads both the same; keeping the old spelling keeps the committed pages'
# bytes. Only the quotes are spelled here: every other character is escaped by autoescape (Markup.join).
QUOTES = {"'": Markup("&#x27;"), '"': Markup("&quot;")}
QUOTE = re.compile(r"(['\"])")


@pass_eval_context
def _spell_quotes(eval_ctx, value):
    if not eval_ctx.autoescape or hasattr(value, "__html__"):
        return value
    return Markup("").join(QUOTES.get(part, part) for part in QUOTE.split(str(value)))


@cache
def environment() -> Environment:
    """The pages' environment: `*.html.j2` autoescaped, the stylesheet and script (`*.css.j2`, `*.js`) not."""
    env = Environment(
        loader=PackageLoader("opentrends", PAGES),
        autoescape=select_autoescape(
            enabled_extensions=("html.j2",), disabled_extensions=("css.j2", "js"), default=True
        ),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        finalize=_spell_quotes,
    )
    env.globals["open_rgb"] = _rgb(palette.ACCESS["open"])  # the gallery's band swatches: the figures' open colour
    env.globals["open_hex"] = palette.ACCESS["open"]
    return env


def _rgb(hex_colour: str) -> str:
    """'#5E3C99' -> '94, 60, 153' (for a CSS rgba())."""
    return ", ".join(str(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5))


def render(template: str, **values) -> str:
    """`template` (a file name in `templates/pages/`) rendered with `values`."""
    return environment().get_template(template).render(**values)


def render_page(page: str, **values) -> str:
    """A whole page, `<page>.html.j2`: `page` also picks that page's rules in the shared stylesheet."""
    return render(f"{page}.html.j2", page=page, **values)
