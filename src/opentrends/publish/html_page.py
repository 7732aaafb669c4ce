"""The head every self-contained page of the project shares (the gallery and the report): one place for its tags."""

from __future__ import annotations

import html


def head(title: str, css: str) -> str:
    """`<!DOCTYPE html>` through `<body>`: UTF-8, mobile viewport, light and dark schemes, no icon request, inline CSS."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{html.escape(title)}</title>
<link rel="icon" href="data:,">
<style>{css}</style>
</head>
<body>
"""
