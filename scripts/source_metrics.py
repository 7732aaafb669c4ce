"""Lines of `src/opentrends` per folder and the share of lines that carry string literals (docstrings apart).

Issue 23 measures the package by these two numbers: `python scripts/source_metrics.py [SRC]` prints them.
A docstring is a string token standing alone as a statement; every other string token (prose, keys, SQL)
counts as a string-literal line, each line once.
"""

from __future__ import annotations

import io
import sys
import tokenize
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATEMENT_EDGE = (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)


def string_lines(source: str) -> tuple[set[int], set[int]]:
    """(lines holding a string literal outside docstrings, lines of docstrings) of one module."""
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(source).readline)
        if t.type not in (tokenize.NL, tokenize.COMMENT)
    ]
    literal, docs = set(), set()
    for i, token in enumerate(tokens):
        if token.type != tokenize.STRING:
            continue
        before = tokens[i - 1].type if i else tokenize.NEWLINE
        after = tokens[i + 1].type if i + 1 < len(tokens) else tokenize.NEWLINE
        span = range(token.start[0], token.end[0] + 1)
        (docs if before in STATEMENT_EDGE and after == tokenize.NEWLINE else literal).update(span)
    return literal - docs, docs


def main(src: Path) -> None:
    per_folder: Counter[str] = Counter()
    total = literal_total = doc_total = 0
    for path in sorted(src.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        literal, docs = string_lines(text)
        per_folder[str(path.parent.relative_to(src)) + "/"] += lines
        total, literal_total, doc_total = total + lines, literal_total + len(literal), doc_total + len(docs)
    for folder, lines in sorted(per_folder.items(), key=lambda item: -item[1]):
        print(f"{folder:<28} {lines:>6,}")
    print(f"{'total':<28} {total:>6,}")
    print(
        f"string-literal lines outside docstrings: {literal_total:,} ({literal_total / total:.1%}); docstrings {doc_total:,}"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "src" / "opentrends")
