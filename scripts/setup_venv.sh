#!/usr/bin/env bash
# `make setup`: the project's .venv with the exact pins of requirements.txt, opentrends editable, and the
# notebooks' kernel registered inside it. Quiet and quick when everything is already in place.
#
# Installer: uv (`uv venv` + `uv pip sync requirements.txt`; uv itself is pinned in the lock and, when it is
# not on PATH at that version, installed once into build/tools/ with the interpreter's own pip).
# Fallback: INSTALLER=pip (python -m venv + pip install), also taken when uv cannot be had.
# A .venv made with another Python (say `make setup PYTHON=python3.12` once) is rebuilt, not reused.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
VENV=${VENV:-.venv}
INSTALLER=${INSTALLER:-uv}
WANT=3.11 # pyproject.toml: requires-python = ">=3.11,<3.12"
STAMP="$VENV/.opentrends-setup"
KERNEL="$VENV/share/jupyter/kernels/opentrends/kernel.json"
UV_VERSION=$(sed -n 's/^uv==//p' requirements.txt)

say() { echo "setup: $*"; }
fail() {
  echo "setup: error: $*" >&2
  exit 1
}

if ! HAVE=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); then
  fail "'$PYTHON' was not found (or did not run). The project needs Python $WANT. Fix: install it (Debian/Ubuntu: \
apt install python3.11 python3.11-venv; macOS: brew install python@3.11; any system: pyenv install 3.11 or uv \
python install 3.11), or name one you have: make setup PYTHON=/path/to/python3.11"
fi
if [ "$HAVE" != "$WANT" ]; then
  fail "'$PYTHON' is Python $HAVE; the project needs Python $WANT (pyproject.toml requires-python). Fix: make \
setup PYTHON=python3.11 (or the path of a Python $WANT interpreter)"
fi
EXE=$("$PYTHON" -c 'import sys; print(sys.executable)')

if [ -e "$VENV" ]; then
  VENV_HAS=$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo "none")
  if [ "$VENV_HAS" != "$WANT" ]; then
    say "$VENV was made with Python $VENV_HAS, the project needs $WANT: rebuilding it with $EXE"
    rm -rf "$VENV"
  fi
fi

if [ -f "$STAMP" ] && [ -f "$KERNEL" ] && [ "$STAMP" -nt requirements.txt ] && [ "$STAMP" -nt pyproject.toml ]; then
  exit 0 # up to date
fi

find_uv() {
  # The pinned uv: the venv's own (a re-sync), one on PATH, else a private copy under build/tools/.
  local candidate
  for candidate in "$VENV/bin/uv" "$(command -v uv 2>/dev/null || true)" "build/tools/uv-$UV_VERSION/bin/uv"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" --version 2>/dev/null | grep -q "^uv $UV_VERSION\b"; then
      echo "$candidate"
      return 0
    fi
  done
  "$PYTHON" -m pip install --quiet --disable-pip-version-check --target "build/tools/uv-$UV_VERSION" \
    "uv==$UV_VERSION" >/dev/null 2>&1 || return 1
  echo "build/tools/uv-$UV_VERSION/bin/uv"
}

install_with_uv() {
  local uv=$1
  say "installing the lock with $("$uv" --version) into $VENV"
  [ -x "$VENV/bin/python" ] || "$uv" venv --quiet --python "$EXE" "$VENV"
  # --compile-bytecode as pip does by default: a kernel then never compiles pandas & co. from source (which it
  # would on every start where PYTHONDONTWRITEBYTECODE is set, and on the first start everywhere else).
  "$uv" pip sync --quiet --compile-bytecode --python "$VENV/bin/python" requirements.txt
  "$uv" pip install --quiet --python "$VENV/bin/python" --no-deps -e .
  "$uv" pip check --quiet --python "$VENV/bin/python"
}

install_with_pip() {
  say "installing the lock with pip into $VENV"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip --version >/dev/null 2>&1 || "$VENV/bin/python" -m ensurepip --quiet --default-pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.txt
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e .
  "$VENV/bin/python" -m pip check
}

rm -f "$STAMP"
if [ "$INSTALLER" = "uv" ]; then
  if UV=$(find_uv); then
    install_with_uv "$UV"
  else
    say "uv $UV_VERSION could not be had; falling back to pip (INSTALLER=pip skips this attempt)"
    install_with_pip
  fi
elif [ "$INSTALLER" = "pip" ]; then
  install_with_pip
else
  fail "INSTALLER=$INSTALLER is not known. Fix: INSTALLER=uv (the default) or INSTALLER=pip"
fi

# The package's own bytecode too (kernels import it on every start; stale files are simply ignored).
"$VENV/bin/python" -m compileall -q -j 0 src >/dev/null

# The notebooks' kernel, registered inside the venv (--sys-prefix) so jupyter, nbconvert and papermill started
# from the venv find it by name and nothing is written to ~/.local. PYTHONHASHSEED=0 as in every other run.
"$VENV/bin/python" -m ipykernel install --sys-prefix --name opentrends --display-name "Python (opentrends)" \
  --env PYTHONHASHSEED 0 >/dev/null
touch "$STAMP"
say "ready: $VENV (Python $WANT, $(grep -c '==' requirements.txt) pinned packages, kernel 'opentrends')"
