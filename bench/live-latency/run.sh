#!/usr/bin/env bash
# Builds what the live-latency bench needs and runs it: bench/live-latency/run.sh [seconds=120] [warm-up=20]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
dotnet build Footage.slnx -c Release -nologo -clp:ErrorsOnly
(cd web && npm ci --no-audit --no-fund && npm run build)
exec node bench/live-latency/latency.mjs "$@"
