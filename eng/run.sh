#!/usr/bin/env bash
# Runs the whole system on its embedded defaults: SQLite and filesystem storage under ./data,
# in-memory cache, a demo camera. Extra arguments go to the server (for example --urls http://0.0.0.0:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
eng/install-dependencies.sh run
if command -v npm >/dev/null 2>&1; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
else
  echo "npm is missing: the server runs without its web UI" >&2
fi
# `dotnet run` starts the server in its project folder: the data folder is named here so that it is ./data
# of the checkout, as the README says (an operator's own Footage__DataDirectory wins)
export Footage__DataDirectory="${Footage__DataDirectory:-$PWD/data}"
# a 32 MB first GC generation, as in the image (docs/operations.md, "Sizing")
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x2000000}"
exec dotnet run --project src/Footage.Server -c Release -- --urls "${FOOTAGE_URLS:-http://127.0.0.1:8080}" "$@"
