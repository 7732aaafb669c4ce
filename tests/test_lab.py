"""`make setup` registers the `opentrends` kernel inside the venv; `make lab` opens JupyterLab on notebooks/ with it."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

from conftest import ROOT
from opentrends.run.params import is_project_notebook, project_notebooks

KERNEL = "opentrends"


@pytest.fixture(scope="module")
def kernelspec():
    try:
        return KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        pytest.fail(f"no '{KERNEL}' kernelspec in this environment: run `make setup` (it installs it into .venv)")


@pytest.mark.integration
def test_setup_installed_the_kernelspec_into_the_venv(kernelspec):
    resource_dir = Path(kernelspec.resource_dir).resolve()
    assert resource_dir == (Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL).resolve()
    assert kernelspec.display_name == "Python (opentrends)"
    assert kernelspec.language == "python"
    assert Path(kernelspec.argv[0]) == Path(sys.executable)  # this venv's interpreter, not whatever is on PATH
    assert kernelspec.env == {"PYTHONHASHSEED": "0"}


@pytest.mark.integration
def test_the_kernel_starts_and_imports_this_checkout_of_opentrends(kernelspec):
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name=KERNEL, cwd=str(ROOT / "notebooks"))
    outputs: list[str] = []

    def collect(message):
        if message["msg_type"] == "stream":
            outputs.append(message["content"]["text"])

    try:
        reply = client.execute_interactive(
            "import os, sys, opentrends\n"
            "print(opentrends.__file__, sys.prefix, os.environ.get('PYTHONHASHSEED'), sep='\\n')",
            timeout=120,
            output_hook=collect,
        )
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert reply["content"]["status"] == "ok"
    module_file, prefix, hash_seed = "".join(outputs).split()
    assert Path(module_file) == ROOT / "src" / "opentrends" / "__init__.py"
    assert Path(prefix) == Path(sys.prefix)
    assert hash_seed == "0"


def make_lab_command(env: dict) -> str:
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "lab"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return " ".join(result.stdout.replace("\\\n", " ").split())


@pytest.mark.integration
@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
def test_make_lab_adds_no_browser_only_without_a_display_and_allow_root_only_as_root():
    base = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    headless = make_lab_command(base)
    with_display = make_lab_command(base | {"DISPLAY": ":0"})
    for command in (headless, with_display):
        assert f'jupyter lab --ServerApp.root_dir="{ROOT}/notebooks"' in command
        assert "--MappingKernelManager.default_kernel_name=opentrends" in command
        assert ("--allow-root" in command) == (os.geteuid() == 0)
    if sys.platform != "darwin":
        assert "--no-browser" in headless
    assert "--no-browser" not in with_display


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_command(env: dict, root_dir: Path, extra: list[str]) -> list[str]:
    """What `make lab` runs (from `make -n lab`, so the flags are the Makefile's), on `root_dir`, plus `extra`."""
    words = shlex.split(make_lab_command(env))  # `make -n` also prints the setup step before it
    start = next(i for i, w in enumerate(words) if w.endswith("/jupyter") and words[i + 1 : i + 2] == ["lab"])
    words = words[start:]
    assert any(w.startswith("--ServerApp.root_dir=") for w in words), words
    return [f"--ServerApp.root_dir={root_dir}" if w.startswith("--ServerApp.root_dir=") else w for w in words] + extra


@pytest.mark.integration
@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
def test_the_lab_server_lists_the_notebooks_with_the_opentrends_kernel_as_default(tmp_path):
    """The server `make lab` starts (headless, local port only): its default kernel is ours and it lists the
    project's notebooks; a side file from plain nbconvert (README) or an Untitled.ipynb does not disturb it.

    The server is started directly (not through `make lab`, whose `setup` step is tested elsewhere), its API is
    polled until it answers (bounded), and it is stopped by its process group: seconds, not a minute.
    """
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copy(notebooks / "03_frontier_gap.ipynb", notebooks / "03_frontier_gap.nbconvert.ipynb")
    (notebooks / "Untitled.ipynb").write_text((ROOT / "tests/fixtures/save_outside_runner.ipynb").read_text())
    port, token = free_port(), "lab-test-token"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    # Runtime files, config and workspaces in the test's folder, so nothing lands in ~ or the checkout.
    env |= {
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
        "JUPYTER_DATA_DIR": str(tmp_path / "data"),
    }
    extra = [
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--LabApp.news_url=",  # no news fetch from the network
        "--LabServerApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    log = (tmp_path / "lab.log").open("w")
    process = subprocess.Popen(
        lab_command(env, notebooks, extra),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def get(path: str) -> dict:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.load(response)

    try:
        deadline = time.monotonic() + 60  # bounded: a server that has not answered by then has failed
        while True:
            try:
                specs = get("/api/kernelspecs")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the lab server did not serve: {(tmp_path / 'lab.log').read_text()[-3000:]}")
                time.sleep(0.1)
        contents = get("/api/contents")
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the jupyter server, nothing else
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
    assert specs["default"] == KERNEL
    assert specs["kernelspecs"][KERNEL]["spec"]["display_name"] == "Python (opentrends)"
    listed = sorted(c["name"] for c in contents["content"] if c["type"] == "notebook")
    committed = sorted(p.name for p in project_notebooks(ROOT / "notebooks"))
    assert committed and [n for n in listed if is_project_notebook(Path(n))] == committed
    assert {"03_frontier_gap.nbconvert.ipynb", "Untitled.ipynb"} <= set(listed)  # listed, and harmless


@pytest.mark.integration
def test_papermill_runs_a_notebook_on_the_opentrends_kernel_as_the_runner_would(kernelspec, tmp_path, monkeypatch):
    """What the runner needs to switch to kernel_name="opentrends": papermill finds it via sys.prefix.

    papermill keeps the notebook's own kernelspec metadata, so the committed notebooks must name the
    kernel themselves (metadata.kernelspec.name == "opentrends") for JupyterLab to pick it.
    """
    import papermill

    from conftest import FIXTURES

    monkeypatch.setenv("OPENTRENDS_FIGURE_OUTPUT", str(tmp_path / "figures"))
    executed = tmp_path / "executed.ipynb"
    papermill.execute_notebook(
        str(FIXTURES / "save_outside_runner.ipynb"),
        str(executed),
        parameters={"n": 4},
        kernel_name=KERNEL,
        kernel_manager_class="opentrends.run.kernel.LocalKernelManager",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    assert json.loads(executed.read_text())["metadata"]["papermill"]["exception"] is None
    sidecar = json.loads((tmp_path / "figures" / "scratch-squares.json").read_text())
    assert sidecar["parameters"] == {"n": 4}
