"""Every pinned raw-GitHub URL names a path that exists at its commit and serves the pinned bytes (issue 27).

`../shared/upstreams/upstream-manifest.tsv` (override: OPENTRENDS_UPSTREAM_MANIFEST) lists, for each repository
commit a pinned file names, the paths at that commit and the sha256 of their bytes, read from copies of the
upstream repositories. A URL `https://raw.githubusercontent.com/<repo>/<commit>/<path>` is right when the row
(repo, commit, path) carries the pin's sha256. Every mismatch is reported at once; without the manifest the test
skips with a reason that the root conftest repeats as the run's last line.
"""

from __future__ import annotations

import csv
import os
import urllib.parse
import warnings
from pathlib import Path

import pytest

from opentrends.registry.sources import load_registry

ROOT = Path(__file__).resolve().parents[1]
MANIFEST_ENV = "OPENTRENDS_UPSTREAM_MANIFEST"
MANIFEST_SKIP = "upstream manifest"  # the start of the skip reason; the root conftest counts these skips
RAW = "https://raw.githubusercontent.com/"
ABSENT = "absent"  # the manifest's sha256 where the repository copy it was read from lacked the bytes

# Pins the manifest cannot confirm, checked another way against a git copy of the repository at that commit.
# (repo, commit, path) -> (sha256 of the pinned bytes, how it was checked). Each entry must still match a pin.
CHECKED_ELSEWHERE = {
    (
        "Language-Technology-Assessment/main-database",
        "5a388e871b88735e7ab7e6fb230b76c9d460d99a",
        ".zenodo.json",
    ): (
        "1c4ae47edca8d4de7d2763215799d2d753f389b4e68f5b40813d11564e71bd27",
        # The manifest lists only paths whose file name matches a mirrored file; the mirror renamed it _zenodo.json.
        "`git show <commit>:.zenodo.json | sha256sum` equals the pin",
    ),
    (
        "georgetown-cset/aixbiodata",
        "61756292a23c1ea7ae800c83b5f85a3e0405d868",
        "data/ai_models/all_ai_models.csv",
    ): (
        "4d53ed9a16a58d56b019346f34fa04ceb0b24ac8fb8263bd874e385deb80b50f",
        # The manifest marks it absent (the copy lacked the blob); the tree at the commit still names the blob.
        "the commit's tree lists blob b5b28713b926, which `git hash-object` of the pinned bytes gives",
    ),
}


def manifest_path() -> Path:
    """The manifest named by OPENTRENDS_UPSTREAM_MANIFEST, else the shared one beside the project."""
    value = os.environ.get(MANIFEST_ENV, "").strip()
    return Path(value) if value else ROOT.parent / "shared" / "upstreams" / "upstream-manifest.tsv"


def read_manifest(path: Path) -> dict[tuple[str, str, str], str]:
    """(repo, commit, path) -> sha256 (or 'absent'); a malformed file is an error naming it and the columns."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        expected = ["repo", "commit", "path", "sha256"]
        if reader.fieldnames != expected:
            raise AssertionError(f"{path}: expected the columns {expected}, found {reader.fieldnames}")
        return {(row["repo"], row["commit"], row["path"]): row["sha256"] for row in reader}


def raw_github_parts(url: str) -> tuple[str, str, str] | None:
    """(owner/repo, commit, percent-decoded path) of a raw.githubusercontent.com URL, else None."""
    if not url.startswith(RAW):
        return None
    owner, repo, commit, path = url[len(RAW) :].split("/", 3)
    return f"{owner}/{repo}", commit, urllib.parse.unquote(path)


def mismatches(registry, manifest) -> tuple[list[str], list[str], int]:
    """What is wrong with the pinned raw-GitHub URLs, what only another check confirms, and the count checked."""
    commits = {(repo, commit) for repo, commit, _ in manifest}
    wrong, elsewhere, checked = [], [], 0
    for source in registry.values():
        for snap in source.snapshots:
            for pinned in snap.files:
                parts = raw_github_parts(pinned.url or "")
                if parts is None:
                    continue
                checked += 1
                label = f"{snap.ref}/{pinned.path} -> {pinned.url}"
                found = manifest.get(parts)
                if parts in CHECKED_ELSEWHERE and CHECKED_ELSEWHERE[parts][0] == pinned.sha256:
                    elsewhere.append(f"{label} (manifest: {found or 'no row'}; {CHECKED_ELSEWHERE[parts][1]})")
                elif parts[:2] not in commits:
                    wrong.append(f"{label}: the manifest has no row for {parts[0]} at {parts[1]}")
                elif found is None:
                    same = sorted(
                        p for (r, c, p), sha in manifest.items() if (r, c) == parts[:2] and sha == pinned.sha256
                    )
                    hint = f"; the pinned bytes sit at {', '.join(same)}" if same else ""
                    wrong.append(f"{label}: no such path at that commit{hint}")
                elif found != pinned.sha256:
                    wrong.append(f"{label}: the path holds sha256 {found}, the pin is {pinned.sha256}")
    return wrong, elsewhere, checked


@pytest.fixture(scope="module")
def manifest():
    path = manifest_path()
    if not path.is_file():
        pytest.skip(
            f"{MANIFEST_SKIP} not available here: {path} does not exist, so the pinned raw-GitHub URLs were not "
            f"checked against their commits (fix: export {MANIFEST_ENV}=/abs/path/to/upstream-manifest.tsv)"
        )
    return read_manifest(path)


def test_every_pinned_raw_github_url_serves_the_pinned_bytes_at_its_commit(manifest):
    wrong, elsewhere, checked = mismatches(load_registry(), manifest)
    assert checked >= 675  # every pinned file of the registry has a raw-GitHub URL (issue 27)
    assert not wrong, f"{len(wrong)} of {checked} pinned raw-GitHub URLs are wrong:\n" + "\n".join(wrong)
    if elsewhere:  # said on every run, so a pin the manifest cannot confirm is never forgotten
        warnings.warn(
            f"{len(elsewhere)} pinned URL(s) checked outside the manifest:\n" + "\n".join(elsewhere), stacklevel=1
        )


def test_the_check_names_a_wrong_folder_a_wrong_pin_and_an_unknown_commit(tmp_path):
    from types import SimpleNamespace

    repo, commit = "org/data", "a" * 40
    manifest = {(repo, commit, "sub/x.csv"): "1" * 64, (repo, commit, "y.csv"): "2" * 64}

    def pin(path, url, sha):
        return SimpleNamespace(path=path, url=url, sha256=sha)

    files = (
        pin("x.csv", f"{RAW}{repo}/{commit}/x.csv", "1" * 64),
        pin("y.csv", f"{RAW}{repo}/{commit}/y.csv", "3" * 64),
        pin("z.csv", f"{RAW}{repo}/{'b' * 40}/z.csv", "4" * 64),
        pin("ok.csv", f"{RAW}{repo}/{commit}/sub/x.csv", "1" * 64),
    )
    registry = {"s": SimpleNamespace(snapshots=[SimpleNamespace(ref="s@2020-01-01", files=files)])}
    wrong, elsewhere, checked = mismatches(registry, manifest)
    assert checked == 4 and elsewhere == []
    assert wrong == [
        f"s@2020-01-01/x.csv -> {RAW}{repo}/{commit}/x.csv: no such path at that commit; "
        "the pinned bytes sit at sub/x.csv",
        f"s@2020-01-01/y.csv -> {RAW}{repo}/{commit}/y.csv: the path holds sha256 {'2' * 64}, the pin is {'3' * 64}",
        f"s@2020-01-01/z.csv -> {RAW}{repo}/{'b' * 40}/z.csv: the manifest has no row for {repo} at {'b' * 40}",
    ]
