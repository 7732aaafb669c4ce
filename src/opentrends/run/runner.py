r"""Run notebooks with papermill: plan, skip or execute, publish, remember.

A run is either the *default run* (`params/default.yaml`, no overrides): executed notebooks
replace `notebooks/*.ipynb` and figures land in `figures/`; or a *variant run* (`-p`,
`--params FILE` or `--name`): everything goes under `build/runs/<name>/` and the committed
files are never touched.

Only `notebooks/NN_topic.ipynb` files run (`params.NOTEBOOK_NAME_RE`); a stray `x.nbconvert.ipynb` or
`Untitled.ipynb` is not run, and naming one is an error that says the rule.

One run at a time per clone (`lock`). Each notebook executes in its own kernel with figures
written to a staging folder (`execute`); only when every cell succeeded are the notebook and its
figures moved into place, here in the orchestrating process, one notebook at a time, so a figure
id that belongs to another notebook is refused instead of overwriting that notebook's figures.
The run state (`build/state/*.json`) records what each notebook depended on (`fingerprint`) and
the sha256 of every output it produced; a notebook is skipped only when both still hold. The
gallery (`figures/index.html`) is recorded too: an edited or missing gallery is rebuilt, with one line
saying why, and the report (`report/`) with it. Missing snapshots are reported once, before any kernel.

Public surface: `run`, `notebook_snapshots`, `RunnerError` (the CLI prints what `run` reports); `read_parameters`
and `parameters_digest` say how a run reads its parameters and names a variant's folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from opentrends.core import paths
from opentrends.core.atomic import move_file, write_text_atomic
from opentrends.core.errors import OpenTrendsError, UsageError
from opentrends.core.files import no_space
from opentrends.registry.sources import load_registry
from opentrends.run import fingerprint, injected, param_spec
from opentrends.run import params as runparams
from opentrends.run.execute import Job, Outcome, require_kernel, staged_figures, staged_notebook
from opentrends.run.lock import no_space_error, run_lock, writable_folders
from opentrends.run.params import RunnerError
from opentrends.run.workers import execute_all

__all__ = ["RunnerError", "notebook_snapshots", "parameters_digest", "read_parameters", "run"]

Report = Callable[..., None]
GALLERY_STATE_KEY = "(gallery)"  # never a notebook name (NN_topic), so no notebook entry is mistaken for it


@dataclass
class RunPlan:
    name: str  # "default" or the variant's name
    notebooks_out: Path
    figures_out: Path
    state_file: Path


def _slug(overrides: dict) -> str:
    # `+` only says "positive" (1e+25): dropped, so it does not turn into a `-` that reads as a minus
    text = "_".join(f"{k}-{v}" for k, v in sorted(overrides.items())).replace("+", "")
    text = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")
    return text[:80] if text else "variant"


def parameters_digest(values: dict) -> str:
    """Eight hex digits of the sha256 of `values` as canonical JSON (sorted keys, no spaces): the part of a
    variant's folder name that tells apart parameters whose readable names coincide (1e-25 and 1e+25)."""
    text = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _plan_for(name: str | None, params_path: Path, overrides: dict, params: dict | None = None) -> RunPlan:
    custom_file = params_path.resolve() != (paths.params_dir() / runparams.DEFAULT_PARAMS).resolve()
    build = paths.build_dir()
    if not (name or overrides or custom_file):
        return RunPlan("default", paths.notebooks_dir(), paths.figures_dir(), build / "state" / "default.json")
    # Named after --name, else readably after the parameters file and/or the overrides, plus a digest of the
    # exact values: a readable name alone drops characters (`1e-25` and `1e+25` both read `1e-25`) and is cut
    # at 80 characters, so two different variants could share a folder.
    run_name = name
    if not run_name:
        readable = "_".join([params_path.stem] * custom_file + [_slug(overrides)] * bool(overrides))
        file_values = {k: (params or {}).get(k, {}) for k in ("common", "notebooks")} if custom_file else {}
        run_name = f"{readable}-{parameters_digest({'file': file_values, 'overrides': overrides})}"
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", run_name):
        raise RunnerError(f"Run name {run_name!r} must be letters, digits, '.', '_' or '-'.")
    root = build / "runs" / run_name
    return RunPlan(run_name, root / "notebooks", root / "figures", build / "state" / f"run-{run_name}.json")


def _load_state(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _declared(path: Path, nb: dict, previous: dict | None) -> dict:
    """papermill's inspection of the parameters, reused from the state while the notebook source is unchanged."""
    if previous and previous.get("components", {}).get("notebook source") == fingerprint.source_digest(nb):
        return dict(previous["declared"])
    return runparams.declared_parameters(path)


def notebook_snapshots(paths_: Iterable[Path] | None = None) -> list[str]:
    """Every snapshot ref the notebooks' default parameters name (what a default run reads)."""
    known = set(load_registry())
    refs = set()
    for path in paths_ if paths_ is not None else runparams.discover():
        nb = runparams.read_notebook_json(path)
        declared = runparams.declared_parameters(path)
        refs.update(runparams.snapshot_refs(declared, runparams.snapshot_parameter_names(nb, declared, known)))
    return sorted(refs)


def _check_params_names(params: dict, overrides: dict, declared_by: dict[str, dict], state: dict) -> None:
    """Unknown names are errors; `common:` keys and sections may belong to notebooks outside this selection."""
    everyone = dict(declared_by)
    if set(params["common"]) - {k for d in declared_by.values() for k in d} or set(params["notebooks"]) - set(everyone):
        for path in runparams.discover():
            if path.stem not in everyone:
                everyone[path.stem] = _declared(path, runparams.read_notebook_json(path), state.get(path.stem))
    runparams.check_names_declared(params, overrides, declared_by, everyone)


def _figure_owners(plan: RunPlan, state: dict, name: str) -> dict[str, str]:
    """figure id -> the other notebook that produced it (from the run state and the published sidecars)."""
    owners = {}
    for other, entry in state.items():
        for label in entry.get("outputs", {}) if other != name else ():
            if label.startswith("figures/"):
                owners[Path(label).stem] = other
    for sidecar in plan.figures_out.glob("*.json"):
        try:
            notebook = json.loads(sidecar.read_text(encoding="utf-8")).get("notebook")
        except (ValueError, OSError, AttributeError):
            continue
        if notebook and notebook != name:
            owners.setdefault(sidecar.stem, notebook)
    # A notebook that no longer exists (renamed, removed) owns nothing: its successor may take its ids over.
    return {fid: owner for fid, owner in owners.items() if (paths.notebooks_dir() / f"{owner}.ipynb").exists()}


def _publish(job: Job, outcome: Outcome, plan: RunPlan, state: dict) -> Outcome:
    """Move a successful job's staged outputs into place and record their hashes; refuse a taken figure id."""
    owners = _figure_owners(plan, state, job.name)
    taken = sorted({Path(f).stem for f in outcome.figures if Path(f).stem in owners})
    if taken:
        Path(job.failed_path).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staged_notebook(job), job.failed_path)
        shutil.rmtree(job.staging_dir, ignore_errors=True)
        clash = ", ".join(f"'{fid}' (from {owners[fid]})" for fid in taken)
        return Outcome(
            job.name,
            "failed",
            outcome.seconds,
            job.reason,
            f"figure id {clash} already belongs to another notebook; {job.name} may not replace it. "
            f"Fix: give the figure in {job.name} its own id",
        )
    plan.figures_out.mkdir(parents=True, exist_ok=True)
    for file in outcome.figures:  # each file replaces its old version whole, even from another filesystem
        move_file(staged_figures(job) / file, plan.figures_out / file)
    plan.notebooks_out.mkdir(parents=True, exist_ok=True)
    move_file(staged_notebook(job), plan.notebooks_out / f"{job.name}.ipynb")
    Path(job.failed_path).unlink(missing_ok=True)
    shutil.rmtree(job.staging_dir, ignore_errors=True)
    labels = [f"notebooks/{job.name}.ipynb", *(f"figures/{f}" for f in outcome.figures)]
    state[job.name] = {
        "components": job.components,
        "declared": list(job.declared.items()),
        "outputs": fingerprint.output_hashes(labels, plan.notebooks_out, plan.figures_out),
        "seconds": round(outcome.seconds, 1),
    }
    return outcome


def run(
    notebooks: Iterable[str] = (),
    overrides: dict | None = None,
    params_file: str | None = None,
    jobs: int | None = None,
    force: bool = False,
    name: str | None = None,
    report: Report = lambda line, error=False: None,
) -> tuple[RunPlan, list[Outcome]]:
    """Plan, skip or execute the notebooks; returns the plan and one outcome per notebook. `report(line,
    error=False)` receives progress lines as they happen ("NAME: running (why)", "NAME: done in N s")."""
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs must be a whole number of at least 1 (parallel kernels), got {jobs}.")
    params_path, params, overrides = read_parameters(params_file, overrides or {})
    if name and runparams.credential_kind(name):
        raise runparams.CredentialParameterError("--name looks like a credential; refused (not written anywhere).")
    plan = _plan_for(name, params_path, overrides, params)
    try:
        with run_lock(_masked_command()):  # the lock proves the build folder writable
            _remove_stale_staging(report)
            selected = runparams.discover(notebooks)
            with writable_folders(plan.notebooks_out, plan.figures_out):  # a rejected run leaves no empty folder
                return plan, _run_locked(plan, selected, params, overrides, jobs, force, report)
    except OSError as exc:  # a full disk anywhere the run writes (state, publishing, gallery): one error, no traceback
        if not no_space(exc):
            raise
        failed_in = [Path(exc.filename).parent] if exc.filename else []
        raise no_space_error(*failed_in, paths.build_dir(), plan.notebooks_out, plan.figures_out) from None


def read_parameters(params_file: str | None, overrides: dict) -> tuple[Path, dict, dict]:
    """The params file's path and contents and the overrides, each refused when it holds a credential, with
    text that reads as a number made a number where the parameter is declared one (`1e25`; YAML keeps it text)."""
    overrides = param_spec.numbers_from_text(overrides)
    runparams.refuse_credentials(overrides, "from -p")
    params_path = Path(params_file).resolve() if params_file else paths.params_dir() / runparams.DEFAULT_PARAMS
    params = runparams.load_params_file(params_path)
    params["common"] = param_spec.numbers_from_text(params["common"])
    params["notebooks"] = {nb: param_spec.numbers_from_text(v, nb) for nb, v in params["notebooks"].items()}
    runparams.refuse_credentials(params["common"], f"under 'common:' in {params['file']}")
    for section, values in params["notebooks"].items():
        runparams.refuse_credentials(values, f"for {section} in {params['file']}")
    return params_path, params, overrides


def _masked_command() -> str:
    import sys

    args = ["<credential-like value>" if runparams.credential_kind(a) else a for a in sys.argv[1:]]
    return " ".join(["opentrends", *args])


def _plan_jobs(
    plan: RunPlan,
    selected: list[Path],
    params: dict,
    overrides: dict,
    force: bool,
    state: dict,
    report: Report = lambda line, error=False: None,
) -> tuple[dict[str, Outcome], list[Job], dict[str, list[str]]]:
    """Skipped outcomes, the jobs to run (each with its reason) and the snapshot refs each job reads; `report`
    gets a warning for each committed notebook whose injected parameters cell was edited by hand."""
    env = fingerprint.Environment.current()
    registry = load_registry()
    build = paths.build_dir()
    outcomes: dict[str, Outcome] = {}
    pending: list[Job] = []
    refs_by_job: dict[str, list[str]] = {}
    notebooks = {}
    for path in selected:
        nb = runparams.read_notebook_json(path)
        runparams.require_parameters_cell(path, nb)
        notebooks[path] = (nb, _declared(path, nb, state.get(path.stem)))
    _check_params_names(params, overrides, {p.stem: declared for p, (_, declared) in notebooks.items()}, state)
    default_file = paths.params_dir() / runparams.DEFAULT_PARAMS
    default_params = runparams.load_params_file(default_file) if default_file.exists() else None
    default_state = (
        state if plan.state_file.stem == "default" else _load_state(paths.build_dir() / "state" / "default.json")
    )
    for path, (nb, declared) in notebooks.items():
        # The committed notebook is the default run's: its injected cell holds what the last default run injected
        # (recorded in its state), else, before any recorded run, the default values as they stand.
        last = default_state.get(path.stem, {}).get("components", {}).get("parameters")
        empty = {"common": {}, "notebooks": {}}
        expected = (
            json.loads(last)
            if last
            else runparams.effective_parameters(path.stem, declared, default_params or empty, {})[0]
        )
        if warning := injected.edited_cell_warning(path.stem, nb, expected):
            report(warning)
        values, _ = runparams.effective_parameters(path.stem, declared, params, overrides)
        param_spec.check_values(path.stem, values, declared)  # types and listed values, before any kernel
        snapshot_names = runparams.snapshot_parameter_names(nb, declared, set(registry))
        runparams.check_snapshot_refs(path.stem, values, snapshot_names, registry)
        refs = sorted(set(runparams.snapshot_refs(values, snapshot_names)))
        components = fingerprint.dependency_components(nb, values, refs, registry, env)
        previous = state.get(path.stem)
        reason = (
            "--force" if force else fingerprint.why_rerun(previous, components, plan.notebooks_out, plan.figures_out)
        )
        if reason is None:
            outcomes[path.stem] = Outcome(path.stem, "skipped", reason="unchanged")
            continue
        refs_by_job[path.stem] = refs
        pending.append(
            Job(
                name=path.stem,
                input_path=str(path),
                staging_dir=str(build / "staging" / plan.name / path.stem),
                failed_path=str(build / "failed" / plan.name / path.name),
                parameters=values,
                components=components,
                declared=declared,
                reason=reason,
                variant=runparams.variant_parameters(path.stem, values, declared, plan.state_file.stem != "default"),
            )
        )
    return outcomes, pending, refs_by_job


def _hold_back_unavailable(
    pending: list[Job], refs_by_job: dict[str, list[str]], outcomes: dict[str, Outcome], report: Report
) -> list[Job]:
    """Say ONCE which snapshots cannot be had, what was tried and the fix; fail the jobs that need them, keep the rest.

    Their previous outputs and state stay as they were: nothing about them was shown to be stale.
    """
    from opentrends.data.availability import why_unavailable
    from opentrends.run.console import unavailable_block

    needed = sorted({r for job in pending for r in refs_by_job[job.name]})
    missing = [m for m in map(why_unavailable, needed) if m is not None]
    if not missing:
        return pending
    names = {m.ref for m in missing}
    blocked = [j for j in pending if names & set(refs_by_job[j.name])]
    report("error: " + unavailable_block(missing, [j.name for j in blocked]), error=True)
    for job in blocked:
        needs = ", ".join(r for r in refs_by_job[job.name] if r in names)
        outcomes[job.name] = Outcome(job.name, "failed", reason=job.reason, error=f"needs {needs} (not available)")
        report(f"{job.name}: failed ({outcomes[job.name].error})")
    return [j for j in pending if j not in blocked]


def _refresh_gallery(plan: RunPlan, state: dict, outcomes: dict[str, Outcome], report: Report) -> None:
    """Rebuild index.html when a notebook published figures, or when it is missing or edited (said in one line)."""
    index = plan.figures_out / "index.html"
    recorded = state.get(GALLERY_STATE_KEY, {}).get("sha256")
    why = None
    if recorded is not None:  # a gallery this run state knows: say why it is rebuilt when it no longer matches
        why = "missing" if not index.is_file() else None
        why = why or ("changed since the last run" if fingerprint.sha256_file(index) != recorded else None)
    published = recorded is None or any(o.status == "done" for o in outcomes.values())
    if not (why or published) or not any(plan.figures_out.glob("*.json")):
        return
    from opentrends.publish import gallery
    from opentrends.publish import report as report_page

    if why:
        report(f"{paths.relative_to_root(index)}: {why}; rebuilt from the figure sidecars")
    try:
        gallery.build(plan.figures_out)
        report_page.build(plan.figures_out, plan.notebooks_out)  # report/ beside figures/: findings, notebooks, sources
    except OpenTrendsError as exc:
        if not any(o.status == "failed" for o in outcomes.values()):
            raise
        # a failed notebook published no figures: say why the pages were kept, then let the summary follow
        report(f"gallery and report not rebuilt: {exc}", error=True)
        return
    state[GALLERY_STATE_KEY] = {"sha256": fingerprint.sha256_file(index)}
    write_text_atomic(plan.state_file, json.dumps(state, indent=1, sort_keys=True) + "\n")


def _run_locked(
    plan: RunPlan, selected: list[Path], params: dict, overrides: dict, jobs: int | None, force: bool, report: Report
) -> list[Outcome]:
    state = _load_state(plan.state_file)
    outcomes, pending, refs_by_job = _plan_jobs(plan, selected, params, overrides, force, state, report)
    for skipped in outcomes:
        report(f"{skipped}: skipped, unchanged")
    pending = _hold_back_unavailable(pending, refs_by_job, outcomes, report)
    if pending:
        require_kernel()
    build = paths.build_dir()
    # Longest first (last run's time, else notebook size), so parallel kernels finish together.
    pending.sort(key=lambda j: (-state.get(j.name, {}).get("seconds", 0), -Path(j.input_path).stat().st_size))
    try:
        for outcome in execute_all(pending, jobs, report):
            job = next(j for j in pending if j.name == outcome.name)
            if outcome.status == "done":
                outcome = _publish(job, outcome, plan, state)
            outcomes[outcome.name] = outcome
            if outcome.status == "done":
                report(f"{outcome.name}: done in {outcome.seconds:.1f} s")
            else:
                report(f"{outcome.name}: failed ({outcome.error})")
                state.pop(outcome.name, None)  # a failure is never remembered as up to date
            write_text_atomic(plan.state_file, json.dumps(state, indent=1, sort_keys=True) + "\n")
    finally:
        shutil.rmtree(build / "staging" / plan.name, ignore_errors=True)  # Ctrl-C included: nothing stays staged
        _remove_empty(build / "staging")
    if any(o.no_space for o in outcomes.values()):  # the build folder filled up while notebooks ran
        raise no_space_error(build, plan.notebooks_out, plan.figures_out)
    _refresh_gallery(plan, state, outcomes, report)
    return [outcomes[p.stem] for p in selected]


def _remove_stale_staging(report: Report) -> None:
    """Under the lock no other run stages anything: a staging folder now was left by a run that was killed."""
    staging = paths.build_dir() / "staging"
    if staging.exists():
        shutil.rmtree(staging, ignore_errors=True)
        report(f"{paths.relative_to_root(staging)}: left behind by a run that did not finish; removed")


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty (another run's variant) or already gone
        folder.rmdir()
