"""scripts/source_metrics.py: the numbers issue 23 measures the package by."""

from __future__ import annotations

import importlib.util

from conftest import ROOT


def load():
    spec = importlib.util.spec_from_file_location("source_metrics", ROOT / "scripts" / "source_metrics.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docstrings_and_string_literals_are_told_apart():
    source = '''"""Module docstring,
over two lines."""

KEY = "key"


def f():
    """One-line docstring."""
    return (
        "a sentence "
        f"with {KEY}"
    )
'''
    literal, docs = load().string_lines(source)
    assert docs == {1, 2, 8}
    assert literal == {4, 10, 11}
