"""environment.yml (conda) and requirements.txt (pip lock) must pin the same packages at the same versions."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pip_lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            assert "==" in line, f"requirements.txt: '{line}' is not an exact pin (NAME==VERSION)"
            name, version = line.split("==", 1)
            pins[normalize(name)] = version
    return pins


def conda_env() -> tuple[dict[str, str], dict[str, str], dict]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda, pip = {}, {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for line in dep["pip"]:
                if line.startswith("-e "):
                    continue
                name, version = line.split("==", 1)
                pip[normalize(name)] = version
        elif dep not in ("pip",) and not dep.startswith("python="):
            name, _, version = dep.partition("=")
            assert version, f"environment.yml: '{dep}' has no exact version"
            conda[normalize(name)] = version
    return conda, pip, env


def test_lock_pins_every_direct_dependency():
    lock = pip_lock()
    wanted = [
        normalize(l.split("==")[0])
        for l in (ROOT / "requirements.in").read_text().splitlines()
        if l.strip() and not l.startswith("#")
    ]
    assert [w for w in wanted if w not in lock] == []
    assert lock["seaborn"] == "0.13.2"
    assert lock["pandas"].startswith("3.")
    assert lock["huggingface-hub"].startswith("2.")


def test_environment_yml_matches_lock_exactly():
    lock = pip_lock()
    conda, pip, env = conda_env()
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"]
    assert not set(conda) & set(pip), "a package is pinned in both the conda and the pip section"
    combined = {**conda, **pip}
    assert {k: v for k, v in combined.items() if lock.get(k) != v} == {}, "environment.yml pins differ from the lock"
    assert sorted(set(lock) - set(combined)) == [], "packages in the lock missing from environment.yml"
