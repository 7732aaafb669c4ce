#!/usr/bin/env bash
# Re-resolve the lock from requirements.in in a throwaway venv, then regenerate environment.yml.
# Needs network access to PyPI. Review the diff before committing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3.11 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q -r "$root/requirements.in"
{ echo "# Lock: every package, exact version. Regenerate with scripts/lock.sh; keep environment.yml in step (tests/test_environment.py)."
  "$tmp/venv/bin/pip" freeze --exclude-editable | sort -f; } > "$root/requirements.txt"
python3 "$root/scripts/write_environment.py"
