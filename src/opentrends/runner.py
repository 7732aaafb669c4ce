"""Run notebooks with papermill: parameters, parallel kernels, an incremental cache, clean outputs.

A run is either the *default run* (`params/default.yaml`, no overrides): executed notebooks
replace `notebooks/*.ipynb` and figures land in `figures/`; or a *variant run* (`-p`,
`--params FILE` or `--name`): everything goes under `build/runs/<name>/` and the committed
files are never touched.

Each notebook executes in its own kernel (the environment's `python3`) with figures written
to a staging folder; only when every cell succeeded are the notebook and its figures moved
into place. A failing notebook is saved, with its error, under `build/failed/` and the
others carry on. A notebook is skipped when nothing it depends on changed: its cells, its
effective parameters, the sha256 pins of the snapshots its parameters name, the
`opentrends` source, the data registry, and the pandas/matplotlib/seaborn versions.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import yaml

from . import paths
from .atomic import write_text_atomic
from .errors import UsageError

TRACKED_LIBRARIES = ("pandas", "matplotlib", "seaborn")
VOLATILE_PAPERMILL_KEYS = ("start_time", "end_time", "duration", "exception", "input_path", "output_path",
                           "environment_variables", "version")
DEFAULT_PARAMS = "default.yaml"
CREDENTIALS = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")


class RunnerError(UsageError, ValueError):
    """A run that cannot start: no parameters cell, an unknown parameter, a notebook that does not exist."""


# --- discovery and parameters ---------------------------------------------------------------------


def discover(names: Iterable[str] = ()) -> list[Path]:
    """Notebooks to run: the named ones (with or without `.ipynb`), or every `notebooks/*.ipynb`."""
    folder = paths.notebooks_dir()
    available = sorted(folder.glob("*.ipynb"))
    names = list(names)
    if not names:
        return available
    chosen = []
    for name in names:
        stem = Path(name).stem
        match = folder / f"{stem}.ipynb"
        if not match.exists():
            known = ", ".join(p.stem for p in available) or "(none)"
            raise RunnerError(f"No notebook '{stem}' in notebooks/. Known notebooks: {known}.")
        chosen.append(match)
    return chosen


def read_notebook_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def source_digest(nb: dict) -> str:
    """Hash of what the author wrote: cell types, tags and sources (not outputs, not injected parameters)."""
    digest = hashlib.sha256()
    for cell in nb["cells"]:
        if "injected-parameters" in _tags(cell):
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        digest.update(json.dumps([cell["cell_type"], sorted(_tags(cell)), source]).encode())
    return digest.hexdigest()


def require_parameters_cell(path: Path, nb: dict) -> None:
    if not any("parameters" in _tags(c) for c in nb["cells"]):
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
                "parameter a literal default (number, string, bool, None, list, dict) so runs can be cached and compared."
            ) from exc
    return declared


def load_params_file(path: Path) -> dict:
    """A parameters YAML: `common:` (for every notebook that declares the name) and `notebooks: {name: {...}}`."""
    if not path.exists():
        raise RunnerError(f"Parameters file {paths.relative_to_root(path)} does not exist.")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = set(data) - {"common", "notebooks"}
    if unknown or not isinstance(data.get("common", {}), dict) or not isinstance(data.get("notebooks", {}), dict):
        raise RunnerError(
            f"{paths.relative_to_root(path)}: expected top-level keys 'common' and 'notebooks' (mappings); "
            f"got {sorted(data)}. See params/default.yaml for the layout."
        )
    return {"common": data.get("common") or {}, "notebooks": data.get("notebooks") or {}}


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


# --- what a notebook depends on -------------------------------------------------------------------


def _hash_tree(folder: Path, patterns: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(folder.rglob(pattern)):
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _snapshot_refs(value, known: set[str]) -> list[str]:
    if isinstance(value, str):
        source_id = value.partition("@")[0]
        return [value] if source_id in known else []
    if isinstance(value, list | tuple):
        return [r for v in value for r in _snapshot_refs(v, known)]
    if isinstance(value, dict):
        return [r for v in value.values() for r in _snapshot_refs(v, known)]
    return []


def notebook_snapshots(paths_: Iterable[Path] | None = None) -> list[str]:
    """Every snapshot ref the notebooks' default parameters name (what a default run reads)."""
    from .sources import load_registry

    known = set(load_registry())
    refs = set()
    for path in paths_ if paths_ is not None else discover():
        refs.update(_snapshot_refs(declared_parameters(path), known))
    return sorted(refs)


def snapshot_pins(params: dict) -> dict[str, list[str]]:
    """sha256 pins of every snapshot the parameters name (`source@date` values, also inside lists)."""
    from .sources import get_snapshot, load_registry

    registry = load_registry()
    pins = {}
    for ref in sorted(set(_snapshot_refs(params, set(registry)))):
        snap = get_snapshot(ref, registry)
        pins[snap.ref] = [f"{f.path}:{f.sha256}" for f in snap.files]
    return pins


@dataclass
class Environment:
    """Inputs shared by every notebook of a run, computed once."""

    code: str
    data: str
    libraries: dict[str, str]

    @classmethod
    def current(cls) -> Environment:
        return cls(
            code=_hash_tree(paths.package_dir(), ["*.py"]),
            data=_hash_tree(paths.data_dir(), ["*.yaml", "*.csv"]),
            libraries={lib: metadata.version(lib) for lib in TRACKED_LIBRARIES},
        )


def dependency_components(nb_digest: str, params: dict, env: Environment) -> dict:
    """Everything a notebook's outputs depend on, as comparable parts."""
    return {
        "notebook source": nb_digest,
        "parameters": json.dumps(params, sort_keys=True, default=str),
        "snapshot data": json.dumps(snapshot_pins(params), sort_keys=True),
        "opentrends code": env.code,
        "data registry": env.data,
        "library versions": json.dumps(env.libraries, sort_keys=True),
    }


# --- jobs -----------------------------------------------------------------------------------------


@dataclass
class Job:
    name: str
    input_path: str
    output_path: str
    figures_dir: str
    staging_dir: str
    failed_path: str
    parameters: dict
    components: dict
    declared: dict
    reason: str


@dataclass
class Outcome:
    name: str
    status: str  # "done" | "skipped" | "failed"
    seconds: float = 0.0
    reason: str = ""
    error: str = ""
    figures: list[str] = field(default_factory=list)


def normalize_notebook(nb) -> None:
    """Strip what changes from run to run: papermill timings and paths, execution timestamps, random cell ids."""
    pm = nb.metadata.get("papermill", {})
    for key in VOLATILE_PAPERMILL_KEYS:
        pm.pop(key, None)
    for key in ("widgets",):
        nb.metadata.pop(key, None)
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        if "id" in cell:
            cell["id"] = f"cell-{index:02d}"
        for output in cell.get("outputs", []):
            output.get("metadata", {}).pop("execution", None)


def write_notebook(nb, target: Path) -> None:
    import nbformat

    normalize_notebook(nb)
    write_text_atomic(target, nbformat.writes(nb) + "\n")


def error_summary(nb) -> str:
    """'cell N: Error: message' for the first failing cell, N counted as the author sees the notebook."""
    added_by_papermill = {"injected-parameters", "papermill-error-cell-tag"}
    authored = [c for c in nb.cells if not added_by_papermill & set(c.get("metadata", {}).get("tags", []))]
    for number, cell in enumerate(authored, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"cell {number}: {output.get('ename')}: {output.get('evalue')}"
    return "the kernel stopped without reporting an error"


def execute(job: Job) -> Outcome:
    """Execute one notebook in a fresh kernel (runs in a worker process)."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    started = time.perf_counter()
    staging = Path(job.staging_dir)
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "figures").mkdir(parents=True)
    kernel_env = {"OPENTRENDS_FIGURE_OUTPUT": str(staging / "figures"), "OPENTRENDS_NOTEBOOK": job.name,
                  "HF_HUB_DISABLE_PROGRESS_BARS": "1", "PYTHONHASHSEED": "0"}
    saved_env = {k: os.environ.get(k) for k in (*kernel_env, *CREDENTIALS)}
    os.environ.update(kernel_env)  # the kernel inherits this process's environment
    for name in CREDENTIALS:  # notebooks read pinned data only; credentials stay with the CLI
        os.environ.pop(name, None)
    executed = staging / f"{job.name}.ipynb"
    try:
        papermill.execute_notebook(
            job.input_path, str(executed), parameters=job.parameters, kernel_name="python3",
            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
            cwd=str(paths.notebooks_dir()), kernel_manager_class="opentrends.kernel.LocalKernelManager",
            # jupyter_client interrupts every kernel before shutting it down; a kernel caught mid-handler
            # then logs a harmless "KeyboardInterrupt caught in kernel". Cell errors still reach the
            # notebook and a dead kernel still fails the run.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )
    except PapermillExecutionError:
        nb = nbformat.read(executed, as_version=4)
        write_notebook(nb, Path(job.failed_path))
        return Outcome(job.name, "failed", time.perf_counter() - started, job.reason, error_summary(nb))
    except Exception as exc:  # kernel died, bad notebook JSON, ...: reported, the others carry on
        if executed.exists():
            write_notebook(nbformat.read(executed, as_version=4), Path(job.failed_path))
        return Outcome(job.name, "failed", time.perf_counter() - started, job.reason, f"{type(exc).__name__}: {exc}")
    finally:
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    nb = nbformat.read(executed, as_version=4)
    figures_dir = Path(job.figures_dir)
    figures_dir.mkdir(parents=True, exist_ok=True)
    produced = sorted(p.name for p in (staging / "figures").iterdir() if not p.name.startswith("."))
    for name in produced:  # each file replaces its old version whole
        os.replace(staging / "figures" / name, figures_dir / name)
    write_notebook(nb, Path(job.output_path))
    Path(job.failed_path).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)
    return Outcome(job.name, "done", time.perf_counter() - started, job.reason, figures=produced)


# --- the run --------------------------------------------------------------------------------------


@dataclass
class RunPlan:
    name: str  # "default" or the variant's name
    notebooks_out: Path
    figures_out: Path
    state_file: Path


def _slug(overrides: dict) -> str:
    text = "_".join(f"{k}-{v}" for k, v in sorted(overrides.items()))
    text = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")
    return text[:80] if text else "variant"


def plan_for(name: str | None, params_path: Path, overrides: dict) -> RunPlan:
    custom_file = params_path.resolve() != (paths.params_dir() / DEFAULT_PARAMS).resolve()
    build = paths.build_dir()
    if not (name or overrides or custom_file):
        return RunPlan("default", paths.notebooks_dir(), paths.figures_dir(), build / "state" / "default.json")
    # Named after --name, else the parameters file and/or the overrides.
    run_name = name or "_".join([params_path.stem] * custom_file + [_slug(overrides)] * bool(overrides))
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", run_name):
        raise RunnerError(f"Run name {run_name!r} must be letters, digits, '.', '_' or '-'.")
    root = build / "runs" / run_name
    return RunPlan(run_name, root / "notebooks", root / "figures", build / "state" / f"run-{run_name}.json")


def _load_state(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _why_rerun(previous: dict | None, components: dict, plan: RunPlan, name: str) -> str | None:
    if previous is None:
        return "no previous run"
    changed = [k for k, v in components.items() if previous.get("components", {}).get(k) != v]
    if changed:
        return ", ".join(f"{k} changed" for k in changed)
    if not (plan.notebooks_out / f"{name}.ipynb").exists():
        return "executed notebook missing"
    missing = [f for f in previous.get("figures", []) if not (plan.figures_out / f).exists()]
    if missing:
        return f"{len(missing)} figure file(s) missing"
    return None


def _print(line: str) -> None:
    print(line, flush=True)


def run(notebooks: Iterable[str] = (), overrides: dict | None = None, params_file: str | None = None,
        jobs: int | None = None, force: bool = False, name: str | None = None) -> tuple[RunPlan, list[Outcome]]:
    """Plan, skip or execute the notebooks; returns the plan and one outcome per notebook."""
    overrides = dict(overrides or {})
    params_path = Path(params_file).resolve() if params_file else paths.params_dir() / DEFAULT_PARAMS
    params = load_params_file(params_path)
    plan = plan_for(name, params_path, overrides)
    state = _load_state(plan.state_file)
    env = Environment.current()
    selected = discover(notebooks)

    outcomes: dict[str, Outcome] = {}
    pending: list[Job] = []
    unused = set(overrides)
    declared_by: dict[str, dict] = {}
    build = paths.build_dir()
    for path in selected:
        nb_json = read_notebook_json(path)
        require_parameters_cell(path, nb_json)
        digest = source_digest(nb_json)
        previous = state.get(path.stem)
        if previous and previous["components"].get("notebook source") == digest:
            declared = dict(previous["declared"])  # papermill's inspection of this exact source, in declared order
        else:
            declared = declared_parameters(path)
        declared_by[path.stem] = declared
        values, not_declared = effective_parameters(path.stem, declared, params, overrides)
        unused &= set(not_declared)
        components = dependency_components(digest, values, env)
        reason = "--force" if force else _why_rerun(previous, components, plan, path.stem)
        if reason is None:
            outcomes[path.stem] = Outcome(path.stem, "skipped", reason="unchanged")
            continue
        pending.append(Job(
            name=path.stem, input_path=str(path), output_path=str(plan.notebooks_out / path.name),
            figures_dir=str(plan.figures_out), staging_dir=str(build / "staging" / plan.name / path.stem),
            failed_path=str(build / "failed" / plan.name / path.name), parameters=values,
            components=components, declared=declared, reason=reason,
        ))
    if unused and selected:
        valid = sorted({k for declared in declared_by.values() for k in declared})
        raise RunnerError(f"Unknown parameter(s) {', '.join(sorted(unused))}. Valid parameters: {', '.join(valid)}.")

    for skipped in outcomes:
        _print(f"{skipped}: skipped, unchanged")
    if pending:
        # Longest first (last run's time, else notebook size), so parallel kernels finish together.
        pending.sort(key=lambda j: (-state.get(j.name, {}).get("seconds", 0), -Path(j.input_path).stat().st_size))
        for job in pending:
            _print(f"{job.name}: running ({job.reason})")
        for outcome in _execute_all(pending, jobs):
            outcomes[outcome.name] = outcome
            if outcome.status == "done":
                _print(f"{outcome.name}: done in {outcome.seconds:.1f} s")
                job = next(j for j in pending if j.name == outcome.name)
                state[outcome.name] = {"components": job.components, "declared": list(job.declared.items()),
                                       "figures": outcome.figures, "seconds": round(outcome.seconds, 1)}
            else:
                _print(f"{outcome.name}: failed ({outcome.error})")
                state.pop(outcome.name, None)  # a failure is never remembered as up to date
            write_text_atomic(plan.state_file, json.dumps(state, indent=1, sort_keys=True) + "\n")
    gallery_stale = any(o.status == "done" for o in outcomes.values()) or not (plan.figures_out / "index.html").exists()
    if gallery_stale and any(plan.figures_out.glob("*.json")):
        from . import gallery

        gallery.build(plan.figures_out)
    return plan, [outcomes[p.stem] for p in selected]


def _execute_all(jobs_list: list[Job], jobs: int | None):
    workers = max(1, min(jobs or os.cpu_count() or 1, len(jobs_list)))
    if workers == 1:
        for job in jobs_list:
            yield execute(job)
        return
    import multiprocessing

    # fork: workers start at once instead of re-importing the package. Safe here: the CLI has started no
    # threads, and a fork pool launches every worker before its own management thread.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        futures: dict[Future, Job] = {pool.submit(execute, job): job for job in jobs_list}
        try:
            remaining = set(futures)
            while remaining:
                done, remaining = wait(remaining, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        yield future.result()
                    except Exception as exc:  # a worker that died
                        job = futures[future]
                        yield Outcome(job.name, "failed", 0.0, job.reason, f"{type(exc).__name__}: {exc}")
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def summary_table(plan: RunPlan, outcomes: list[Outcome]) -> str:
    rows = [["notebook", "status", "seconds", "detail"]]
    for o in outcomes:
        detail = o.error if o.status == "failed" else o.reason
        rows.append([o.name, o.status, f"{o.seconds:.1f}" if o.status != "skipped" else "-", detail])
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    where = "notebooks/ and figures/" if plan.name == "default" else f"build/runs/{plan.name}/"
    failed = [o for o in outcomes if o.status == "failed"]
    lines.append(f"run '{plan.name}': {len(outcomes) - len(failed)} ok, {len(failed)} failed; outputs in {where}")
    if failed:
        lines.append("failed notebooks were saved with their errors under build/failed/" + plan.name + "/")
    return "\n".join(lines)


def run_cli(notebooks, overrides, params_file, jobs, force, name) -> int:
    """`opentrends run`: run, print the summary table, exit non-zero when a notebook failed."""
    try:
        plan, outcomes = run(notebooks, overrides, params_file, jobs, force, name)
    except RunnerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary_table(plan, outcomes))
    return 1 if any(o.status == "failed" for o in outcomes) else 0
