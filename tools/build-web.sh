#!/usr/bin/env bash
# Builds the web client into web/dist (kaiwa serve's default --web-dir). Installs its npm
# packages from the lockfile first when they are missing or older than the lockfile.
set -euo pipefail
cd "$(dirname "$0")/../web"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build >/dev/null
echo "web client built in web/dist" >&2
