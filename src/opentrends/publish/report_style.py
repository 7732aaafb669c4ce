"""The report page's inline stylesheet: house layout, light and dark schemes, and the notebooks' code colours."""

from __future__ import annotations


def _code_colours() -> str:
    """Pygments' default colours for nbconvert's highlighted code (same version, same bytes)."""
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style="default").get_style_defs(".highlight")


LAYOUT = """
:root { color-scheme: light dark; --fg: #222; --bg: #fff; --muted: #555; --rule: #ddd; --box: #f6f6f6;
        --link: #0063a0; --ok: #1a7f37; --mixed: #9a6700; --no: #b42318; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e6e6; --bg: #16181c; --muted: #a8adb5; --rule: #3a3f47; --box: #22262c; --link: #6cb8ff;
          --ok: #4ac26b; --mixed: #d4a72c; --no: #ff7b72; }
  img { background: #fff; }
  .highlight, .output_area pre { color: #222; }
}
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5rem auto; max-width: 86rem;
       padding: 0 1rem; color: var(--fg); background: var(--bg); line-height: 1.45; overflow-wrap: break-word; }
a { color: var(--link); }
h1 { font-size: 1.7rem; margin: 0 0 0.3rem; }
p.lead { color: var(--muted); margin: 0 0 0.8rem; }
ol.glance { padding-left: 1.3rem; margin: 0.5rem 0 1rem; }
ol.glance li { margin: 0.45rem 0; }
ol.glance strong { margin-right: 0.3rem; }
main { min-width: 0; }
nav.toc { border: 1px solid var(--rule); padding: 0.3rem 1rem 0.6rem; margin: 0 0 2rem; font-size: 0.92rem;
          overflow-wrap: anywhere; }
/* Wide screens: the contents in a sticky column beside the page, so the answers come first on screen. */
@media (min-width: 64rem) {
  .layout { display: grid; grid-template-columns: 16rem minmax(0, 1fr); gap: 2rem; align-items: start; }
  nav.toc { position: sticky; top: 1rem; max-height: calc(100vh - 2rem); overflow-y: auto; margin: 0; }
}
nav.toc h2 { font-size: 1.1rem; margin: 0.4rem 0; }
nav.toc ol { padding-left: 1.1rem; margin: 0.2rem 0; }
nav.toc ul { padding-left: 1.1rem; margin: 0.1rem 0 0.4rem; font-size: 0.9rem; }
section.answer { border-top: 2px solid var(--fg); margin: 2rem 0; padding-top: 0.4rem; }
section.answer h2 { font-size: 1.35rem; margin: 0.3rem 0; }
p.sentence { font-size: 1.08rem; }
section.answer figure { margin: 0.8rem 0; }
section.answer figure img { max-width: 100%; height: auto; border: 1px solid var(--rule); }
figcaption { color: var(--muted); font-size: 0.9rem; }
table { border-collapse: collapse; font-size: 0.88rem; }
th, td { border-top: 1px solid var(--rule); padding: 0.3rem 0.6rem 0.3rem 0; text-align: left; vertical-align: top; }
table.claims td:first-child { width: 34%; }
table.claims td:nth-child(2) { white-space: nowrap; }
.verdict { font-weight: 600; }
.v-supported { color: var(--ok); }
.v-mixed { color: var(--mixed); }
.v-contradicted { color: var(--no); }
.v-not-testable { color: var(--muted); }
#notebooks > h2, #sources > h2 { font-size: 1.5rem; border-bottom: 2px solid var(--fg); margin-top: 3rem; }
section.notebook { border-top: 1px solid var(--rule); margin-top: 2.5rem; }
p.nb-file { color: var(--muted); font-size: 0.85rem; }
section.notebook h1 { font-size: 1.45rem; }
section.notebook h2 { font-size: 1.2rem; }
section.notebook h3 { font-size: 1.05rem; }
a.anchor-link { margin-left: 0.3rem; text-decoration: none; color: var(--muted); font-size: 0.8em; }
details.code { margin: 0.4rem 0; }
details.code summary { cursor: pointer; color: var(--muted); font-size: 0.85rem; }
.highlight pre, .output_area pre { background: var(--box); padding: 0.5rem 0.7rem; overflow-x: auto;
                                   font-size: 0.82rem; white-space: pre-wrap; }
.highlight { background: #f8f8f8; }
.output_area img { max-width: 100%; height: auto; }
.output_area table, .rendered_html table { margin: 0.5rem 0; display: block; overflow-x: auto; }
.output_stderr pre { border-left: 3px solid var(--mixed); }
@media (max-width: 40rem) { body { margin: 1rem auto; } table.claims td:nth-child(2) { white-space: normal; } }
"""

CSS = LAYOUT + _code_colours()
