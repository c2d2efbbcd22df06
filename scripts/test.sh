#!/usr/bin/env bash
# The whole test suite, from a fresh machine with only Python 3.11 and pip.
# Installs what the suite needs: uv (which installs the locked Python packages), Debian's
# chromium for the browser tests (never `playwright install`: it downloads) and a headless
# Java runtime for the HermiT reasoner that owlready2 ships.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check uv
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "scripts/test.sh: the suite needs ${missing[*]} (Debian packages): the browser" \
             "tests run /usr/bin/chromium and the reasoner tests run java;" \
             "install them (sudo apt-get install ${missing[*]}) and rerun." >&2
        exit 1
    fi
fi
# The gates first: lint (ruff: pycodestyle, pyflakes, import order, bugbear, pyupgrade) and
# types (mypy on kg/), both configured in pyproject.toml; then the tests and kg/'s doctests.
python3 -m uv run --locked ruff check .
python3 -m uv run --locked mypy
exec python3 -m uv run --locked pytest "$@"
