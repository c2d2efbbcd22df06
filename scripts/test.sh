#!/usr/bin/env bash
# The whole test suite, from a fresh machine with only Python 3.11 and pip.
# Installs what the suite needs: uv (which installs the locked Python packages) and
# Debian's chromium for the browser tests (never `playwright install`: it downloads).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check uv
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "scripts/test.sh: the browser tests need Debian's chromium at /usr/bin/chromium;" \
             "install it (sudo apt-get install chromium) and rerun." >&2
        exit 1
    fi
fi
exec python3 -m uv run --locked pytest "$@"
