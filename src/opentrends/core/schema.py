"""JSON Schema checks of YAML documents, reported the project's way: the entry, what was expected, what was found.

Schemas are JSON files inside the package (`<layer>/schemas/<name>.schema.json`, draft-07). Each subschema may
carry an `expected` annotation, the words an error uses ("64 hexadecimal characters"); the caller adds the
file and the fix. Validation uses `fastjsonschema` (compiled once per process, a few milliseconds): importing
`jsonschema` costs about a second (its optional IRI format checker builds a grammar at import), which every
kernel and every short command would pay when it reads the registry.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

# Words for a failure whose subschema carries no `expected` annotation.
_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}


@dataclass(frozen=True)
class Violation:
    """The first place a document breaks its schema."""

    where: str  # the entry, as the registry README writes it: `snapshots[1].files[0].sha256`, or "(top level)"
    expected: str  # what the schema expects there, in words
    got: Any  # what the document holds there (None for a missing key)


@functools.cache
def load_schema(package: str, name: str) -> dict:
    """The schema `name` (e.g. "source.schema.json") from the `schemas/` folder of `package`."""
    return json.loads(resources.files(package).joinpath("schemas", name).read_text(encoding="utf-8"))


@functools.cache
def _validator(package: str, name: str) -> Callable[[Any], Any]:
    import fastjsonschema

    return fastjsonschema.compile(load_schema(package, name))


def plain(value: Any) -> Any:
    """`value` with YAML's dates as ISO text (the registry and params files treat dates as text)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def _resolve(subschema: dict, root: dict) -> dict:
    """A local `{"$ref": "#/definitions/x"}` replaced by what it names (its own keys win)."""
    ref = subschema.get("$ref", "")
    if not ref.startswith("#/"):
        return subschema
    target = root
    for part in ref[2:].split("/"):
        target = target[part]
    return {**_resolve(target, root), **{k: v for k, v in subschema.items() if k != "$ref"}}


def _where(document: Any, path: list[str]) -> str:
    """`["snapshots", "0", "files"]` -> `snapshots[0].files` (list positions in brackets, as in the docs)."""
    text, node = "", document
    for part in path:
        if isinstance(node, list):
            text += f"[{part}]"
            node = node[int(part)]
        else:
            text += f".{part}" if text else part
            node = node.get(part) if isinstance(node, dict) else None
    return text or "(top level)"


def _kinds(subschema: dict) -> list[str]:
    kinds = subschema.get("type")
    return [kinds] if isinstance(kinds, str) else list(kinds or [])


def _words(subschema: dict) -> str:
    if "expected" in subschema:
        return subschema["expected"]
    if "enum" in subschema:
        return "one of " + ", ".join(str(v) for v in subschema["enum"] if v is not None)
    return " or ".join(_TYPE_WORDS.get(k, k) for k in _kinds(subschema) if k != "null") or "a value the schema allows"


def _missing_words(subschema: dict) -> str:
    """What a missing key should hold: a mapping or list says so; any other value is "a non-empty value"."""
    return _words(subschema) if {"object", "array"} & set(_kinds(subschema)) else "a non-empty value"


def violation(document: Any, package: str, name: str) -> Violation | None:
    """None when `document` (YAML-decoded; dates are taken as ISO text) satisfies the schema, else where it breaks."""
    import fastjsonschema

    document = plain(document)
    try:
        _validator(package, name)(document)
    except fastjsonschema.JsonSchemaValueException as exc:
        root = load_schema(package, name)
        path = [str(p) for p in exc.path[1:]]  # exc.path starts with fastjsonschema's name for the document
        definition = _resolve(exc.definition or {}, root)
        properties = definition.get("properties", {})
        value = exc.value
        if exc.rule == "required" and isinstance(value, dict):
            key = next(k for k in definition["required"] if k not in value)
            return Violation(
                _where(document, [*path, key]), _missing_words(_resolve(properties.get(key, {}), root)), None
            )
        if exc.rule == "additionalProperties" and isinstance(value, dict):
            key = sorted(str(k) for k in value if k not in properties)[0]
            return Violation(_where(document, [*path, key]), f"one of the keys {', '.join(properties)}", key)
        return Violation(_where(document, path), _words(definition), value)
    return None
