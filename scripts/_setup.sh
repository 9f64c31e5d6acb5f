# Shared set-up of ./scripts/run and ./scripts/test (sourced, not run): a Python 3.12+ interpreter, .venv with
# the dependencies of pyproject.toml (reinstalled only when pyproject.toml changes), and development defaults.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

die() { printf 'Error: %s\n' "$*" >&2; exit 1; }

python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }

find_python() {
  local candidate
  if [ -n "${PYTHON:-}" ]; then
    python_ok "$PYTHON" || die "PYTHON=$PYTHON is not Python 3.12 or newer."
    echo "$PYTHON"; return
  fi
  for candidate in python3.14 python3.13 python3.12; do
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then command -v "$candidate"; return; fi
  done
  local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
  if command -v pyenv >/dev/null 2>&1; then pyenv_root="$(pyenv root)"; fi
  for candidate in $(ls -d "$pyenv_root"/versions/3.1[2-9]* 2>/dev/null | sort -rV); do
    if [ -x "$candidate/bin/python" ] && python_ok "$candidate/bin/python"; then echo "$candidate/bin/python"; return; fi
  done
  if command -v python3 >/dev/null 2>&1 && python_ok python3; then command -v python3; return; fi
  die "DAK Portal needs Python 3.12 or newer (Django 6.1 requires it), and none was found: not python3.13, python3.12, pyenv's versions, nor python3 ($(python3 --version 2>&1 || echo 'missing')). Install Python 3.12+ (e.g. 'pyenv install 3.12') or set PYTHON=/path/to/python3.12."
}

ensure_venv() {
  # $1: "dev" to include the test tools.
  local extras="${1:-}"
  if [ ! -x .venv/bin/python ] || ! python_ok .venv/bin/python; then
    local python; python="$(find_python)"
    echo "Creating .venv with $("$python" --version) ($python)"
    rm -rf .venv
    "$python" -m venv .venv || die "could not create .venv with $python (on Debian: apt-get install python3-venv)."
  fi
  local stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)-${extras:-base}"
  if [ ! -f "$stamp" ]; then
    echo "Installing dependencies from pyproject.toml${extras:+ (with $extras tools)}..."
    .venv/bin/python - "$extras" > .venv/requirements.txt <<'PY'
import sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
requirements = list(project["dependencies"])
if sys.argv[1]:
    requirements += project["optional-dependencies"][sys.argv[1]]
print("\n".join(requirements))
PY
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r .venv/requirements.txt \
      || die "installing the dependencies failed (see pip's message above); check the network and rerun."
    rm -f .venv/.installed-*
    touch "$stamp"
    if [ -n "$extras" ]; then touch "${stamp%-"$extras"}-base"; fi  # the dev set includes the base set
  fi
}

# Development defaults; anything already set in the environment wins.
export DEBUG="${DEBUG:-1}"
export PYTHONUNBUFFERED=1
