"""Which notebooks run with which parameters: discovery, declared parameters, params files, overrides.

Precedence, lowest first: the notebook's declared defaults (its `parameters` cell), `common:` of
the params file, the notebook's own section of the params file, then `-p NAME=VALUE` overrides.
Every name must be declared by some notebook (a typo is an error listing the valid names), and no
value may look like a credential: such a value is refused before anything is written, and the
message never repeats it.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from opentrends.core import paths
from opentrends.core.errors import ParameterError, UsageError
from opentrends.core.schema import violation

DEFAULT_PARAMS = "default.yaml"
# Notebook metadata naming the parameters that hold snapshot refs (`source@date` or a list of them):
#   "metadata": {"opentrends": {"snapshot_parameters": ["snapshot", "sources"]}}
# Without it, a parameter whose literal default is a registered ref (or a list of them) is declared by that default.
SNAPSHOT_PARAMETERS_KEY = "snapshot_parameters"

# Credential shapes (from each issuer's documented token formats); a parameter holding one is refused.
CREDENTIAL_PATTERNS = {
    "a Hugging Face token": re.compile(r"\bhf_[A-Za-z0-9]{30,}"),
    "an OpenAI/Anthropic-style API key": re.compile(r"\bsk-[A-Za-z0-9_-]{20,}"),
    "a GitHub token": re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})"),
    "an AWS access key id": re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    "a Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
}


class RunnerError(UsageError, ValueError):
    """A run that cannot start: no parameters cell, an unknown parameter, a notebook that does not exist."""


class CredentialParameterError(ParameterError):
    """A parameter value shaped like a secret; refused before execution (the message never repeats it)."""


# Only `NN_topic.ipynb` files are the project's notebooks: a stray `x.nbconvert.ipynb` (plain nbconvert) or an
# `Untitled.ipynb` (JupyterLab) beside them is neither run, benchmarked nor collected by pytest.
NOTEBOOK_NAME_RE = re.compile(r"^\d{2}_[a-z0-9_]+\.ipynb$")
NOTEBOOK_NAME_RULE = "NN_topic.ipynb (two digits, '_', then lower-case letters, digits or '_')"


def is_project_notebook(path: Path | str) -> bool:
    """True for a file named like the project's notebooks (`NOTEBOOK_NAME_RE`), e.g. `01_open_vs_closed.ipynb`."""
    return bool(NOTEBOOK_NAME_RE.match(Path(path).name))


def project_notebooks(folder: Path | None = None) -> list[Path]:
    """The project's notebooks in `folder` (default: notebooks/), sorted; other `.ipynb` files are ignored."""
    folder = paths.notebooks_dir() if folder is None else folder
    return sorted(p for p in folder.glob("*.ipynb") if is_project_notebook(p))


def discover(names: Iterable[str] = ()) -> list[Path]:
    """Notebooks to run: the named ones (with or without `.ipynb`), or every `notebooks/NN_topic.ipynb`."""
    folder = paths.notebooks_dir()
    available = project_notebooks(folder)
    names = list(names)
    if not names:
        return available
    chosen = []
    for name in names:
        stem = Path(name).stem if name.endswith(".ipynb") else Path(name).name
        match = folder / f"{stem}.ipynb"
        if not is_project_notebook(match):
            raise RunnerError(
                f"'{stem}' is not a project notebook name: notebooks are named {NOTEBOOK_NAME_RULE}, "
                "and other .ipynb files in notebooks/ are ignored. Fix: name one of the known notebooks "
                f"({', '.join(p.stem for p in available) or 'none'}), or rename the file."
            )
        if not match.exists():
            known = ", ".join(p.stem for p in available) or "(none)"
            raise RunnerError(f"No notebook '{stem}' in notebooks/. Known notebooks: {known}.")
        chosen.append(match)
    return chosen


def read_notebook_json(path: Path) -> dict:
    """The notebook file as JSON; a file that is not a notebook is an error naming it."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RunnerError(
            f"notebooks/{path.name} is not valid notebook JSON ({exc}). Fix: restore it from git."
        ) from exc


def tags(cell: dict) -> list[str]:
    """A cell's tags (empty when it has none)."""
    return cell.get("metadata", {}).get("tags", [])


def require_parameters_cell(path: Path, nb: dict) -> None:
    """Refuse a notebook without a `parameters` cell (papermill would inject values unvalidated)."""
    if not any("parameters" in tags(c) for c in nb["cells"]):
        raise RunnerError(
            f"notebooks/{path.name} has no cell tagged 'parameters'. Fix: tag its first code cell "
            "'parameters' (papermill would otherwise inject parameters at the top, unvalidated)."
        )


def declared_parameters(path: Path) -> dict:
    """The notebook's parameters and their default values, read by papermill itself."""
    import papermill

    inspected = papermill.inspect_notebook(str(path))
    declared = {}
    for name, info in inspected.items():
        try:
            declared[name] = ast.literal_eval(info["default"])
        except (ValueError, SyntaxError) as exc:
            raise RunnerError(
                f"notebooks/{path.name}: parameter {name} = {info['default']} is not a literal. Fix: give every "
                "parameter a literal default (number, string, bool, None, list, dict) so runs can be cached."
            ) from exc
    return declared


class DuplicateKeyError(yaml.YAMLError):
    """A key given twice in one YAML mapping."""

    def __init__(self, key, first: int, again: int):
        super().__init__(f"key {key!r} at line {again} was already given at line {first}")
        self.key, self.first, self.again = key, first, again


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, except that a key given twice in one mapping is an error (YAML keeps the last silently)."""


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict = {}  # key -> the line it was first given on
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            if key in seen:
                raise DuplicateKeyError(key, seen[key], key_node.start_mark.line + 1)
            seen[key] = key_node.start_mark.line + 1
        except TypeError:  # an unhashable key: the base constructor reports it
            continue
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def load_params_file(path: Path) -> dict:
    """A parameters YAML: `common:` (for every notebook that declares the name) and `notebooks: {name: {...}}`."""
    shown = paths.relative_to_root(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RunnerError(f"Parameters file {shown} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RunnerError(f"Parameters file {shown} cannot be read: {exc}.") from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader) or {}
    except DuplicateKeyError as exc:
        raise RunnerError(
            f"Parameters file {shown}, line {exc.again}: key {exc.key!r} is given twice in the same mapping "
            f"(first at line {exc.first}); YAML would silently keep the last. Fix: keep one {exc.key!r}."
        ) from None
    except ValueError as exc:  # YAML read an impossible date (2018-02-30) and could not build it
        raise RunnerError(
            f"Parameters file {shown} holds a value YAML cannot read ({exc}). Fix: write real dates as "
            "YYYY-MM-DD, or quote the value to pass it as text."
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise RunnerError(
            f"Parameters file {shown} is not valid YAML{where}: {problem}. "
            "Fix: see params/default.yaml for the layout (common: {...}, notebooks: {name: {...}})."
        ) from None
    if broken := violation(data, __package__, "params.schema.json"):  # the layout: schemas/params.schema.json
        got = "a credential-like value (not shown)" if credential_kind(broken.got) else repr(broken.got)
        raise RunnerError(
            f"{shown}: entry '{broken.where}': expected {broken.expected}, got {got}. "
            "Fix: see params/default.yaml for the layout (common: {...}, notebooks: {name: {...}})."
        )
    sections = data.get("notebooks") or {}
    for name, section in sections.items():
        if not isinstance(section or {}, dict):
            raise RunnerError(f"{shown}: notebooks.{name} must be a mapping of parameter names to values.")
    common = _iso_dates(data.get("common") or {})
    return {"common": common, "notebooks": {k: _iso_dates(v or {}) for k, v in sections.items()}, "file": shown}


def _iso_dates(value):
    """YAML reads `2018-01-01` as a date, which a notebook parameter cannot carry: dates stay ISO text (as with -p)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso_dates(v) for v in value]
    return value


def effective_parameters(name: str, declared: dict, params_file: dict, overrides: dict) -> tuple[dict, list[str]]:
    """Declared defaults <- `common` <- the notebook's section <- command-line overrides.

    Returns the parameters and the override names this notebook does not declare. A name in the
    notebook's own section that it does not declare is an error listing the valid ones.
    """
    own = params_file["notebooks"].get(name) or {}
    unknown = sorted(set(own) - set(declared))
    if unknown:
        raise RunnerError(
            f"Unknown parameter(s) {', '.join(unknown)} for notebook {name}. "
            f"Valid parameters: {', '.join(sorted(declared))}."
        )
    values = dict(declared)
    values.update({k: v for k, v in params_file["common"].items() if k in declared})
    values.update(own)
    values.update({k: v for k, v in overrides.items() if k in declared})
    return values, sorted(set(overrides) - set(declared))


def variant_parameters(name: str, values: dict, declared: dict, variant: bool) -> dict:
    """A variant run's changed parameters, `{parameter: {"value": ..., "default": ...}}`, for its figures to cite.

    "default" is the default run's value (declared default <- params/default.yaml); empty for the default run
    itself (`variant` False) or when nothing differs.
    """
    if not variant:
        return {}
    default_file = paths.params_dir() / DEFAULT_PARAMS
    default_params = load_params_file(default_file) if default_file.exists() else {"common": {}, "notebooks": {}}
    defaults, _ = effective_parameters(name, declared, default_params, {})
    return {k: {"value": v, "default": defaults[k]} for k, v in sorted(values.items()) if defaults.get(k, v) != v}


def check_names_declared(
    params_file: dict, overrides: dict, selected: dict[str, dict], everyone: dict[str, dict]
) -> None:
    """Every name must be declared: a `common:` key by some notebook, an override by a selected one,
    and every section under `notebooks:` must name a notebook. Errors list the valid names."""
    shown = params_file.get("file", "the parameters file")
    valid = sorted({k for declared in everyone.values() for k in declared})
    unknown = sorted(set(params_file["common"]) - set(valid))
    if unknown and everyone:
        raise RunnerError(
            f"Unknown parameter(s) {', '.join(unknown)} under 'common:' in {shown}; no notebook "
            f"declares them. Valid parameters: {', '.join(valid)}."
        )
    sections = sorted(set(params_file["notebooks"]) - set(everyone))
    if sections and everyone:
        raise RunnerError(
            f"{shown}: no notebook {', '.join(sections)} (under 'notebooks:'). "
            f"Known notebooks: {', '.join(sorted(everyone))}."
        )
    valid = sorted({k for declared in selected.values() for k in declared})
    unknown = sorted(set(overrides) - set(valid))
    if unknown and selected:
        raise RunnerError(f"Unknown parameter(s) {', '.join(unknown)}. Valid parameters: {', '.join(valid)}.")


# An AWS secret access key: 40 characters of base64, mixed case with a digit (a 40-hex git revision is not one).
AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")


def _looks_like_aws_secret(text: str) -> bool:
    return any(
        re.search(r"[A-Z]", m) and re.search(r"[a-z]", m) and re.search(r"[0-9]", m) for m in AWS_SECRET.findall(text)
    )


def credential_kind(value) -> str | None:
    """What kind of credential `value` (or any string inside it) looks like, or None."""
    if isinstance(value, str):
        kind = next((kind for kind, pattern in CREDENTIAL_PATTERNS.items() if pattern.search(value)), None)
        return kind or ("an AWS secret access key" if _looks_like_aws_secret(value) else None)
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple | set):
        return next((kind for kind in map(credential_kind, value) if kind), None)
    return None


def refuse_credentials(values: dict, where: str) -> None:
    """Refuse any parameter whose value looks like a secret, naming the parameter but never the value."""
    for name, value in values.items():
        kind = credential_kind(value) or credential_kind(name)
        if kind:
            raise CredentialParameterError(
                f"Parameter {name!r} ({where}) looks like {kind}; refused before execution and not written anywhere. "
                "Fix: notebooks read pinned data only; credentials come from the environment (HF_TOKEN) "
                "and are never passed as parameters."
            )


def snapshot_parameter_names(nb: dict, declared: dict, known_sources: set[str]) -> list[str]:
    """The parameters that name snapshots: the notebook's metadata list, else those whose default is a ref."""
    listed = nb.get("metadata", {}).get("opentrends", {}).get(SNAPSHOT_PARAMETERS_KEY)
    if listed is not None:
        missing = sorted(set(listed) - set(declared))
        if missing:
            raise RunnerError(
                f"Notebook metadata opentrends.{SNAPSHOT_PARAMETERS_KEY} names {', '.join(missing)}, "
                f"which the parameters cell does not declare. Declared: {', '.join(sorted(declared))}."
            )
        return sorted(listed)
    return sorted(name for name, default in declared.items() if _is_ref_value(default, known_sources))


def _is_ref_value(value, known_sources: set[str]) -> bool:
    if isinstance(value, str):
        source, sep, date = value.partition("@")
        return bool(sep) and source in known_sources
    if isinstance(value, list | tuple) and value:
        return all(_is_ref_value(v, known_sources) for v in value)
    return False


def snapshot_refs(values: dict, names: Iterable[str]) -> list[str]:
    """The refs held by the snapshot parameters `names` (a None value names no snapshot)."""
    refs = []
    for name in names:
        value = values.get(name)
        refs.extend([value] if isinstance(value, str) else [v for v in value or []])
    return refs


def check_snapshot_refs(notebook: str, values: dict, names: Iterable[str], registry: dict) -> None:
    """A declared snapshot parameter must hold registered refs; the error lists the registered dates."""
    for name in names:
        value = values.get(name)
        if value is None:
            continue
        for ref in [value] if isinstance(value, str) else value if isinstance(value, list | tuple) else [value]:
            source_id, _, date = str(ref).partition("@") if isinstance(ref, str) else ("", "", "")
            source = registry.get(source_id)
            if source is not None and any(s.date == date for s in source.snapshots):
                continue
            valid = (
                [f"{source_id}@{s.date}" for s in source.snapshots]
                if source is not None
                else [f"{sid}@DATE" for sid in sorted(registry)]
            )
            raise ParameterError(
                f"Parameter {name} of notebook {notebook} names snapshot {ref!r}, which the registry does not hold. "
                f"Valid values: {', '.join(valid)}. Fix: use a registered snapshot (`opentrends sources` lists them)."
            )


def parse_assignments(pairs: list[str]) -> dict:
    """`-p NAME=VALUE` pairs as a dict; values are YAML scalars/lists (so `n=4` is an int).

    YAML would read `2024-06-01` as a date, which a notebook parameter cannot carry; dates stay ISO text.
    Parameters are Python literals, so the text `None` is None (YAML would read it as the string 'None').
    """
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            shown = "a credential-like value (not shown)" if credential_kind(pair) else repr(pair)
            raise RunnerError(f"-p expects NAME=VALUE, got {shown}.")
        try:
            parsed = yaml.safe_load(value) if value.strip() else ""
            parsed = None if value.strip() == "None" else parsed
            params[key.strip()] = parsed.isoformat() if isinstance(parsed, dt.date) else parsed
        except (yaml.YAMLError, ValueError):  # not YAML, or a date YAML cannot build (2018-02-30): the literal text
            params[key.strip()] = value
    return params
