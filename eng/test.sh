#!/usr/bin/env bash
# Builds everything and runs every test against real servers (PostgreSQL, ffmpeg, Ceph's RADOS Gateway
# for S3, ...), installing what is missing first. Prints one closing line: "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
# the time each step took, printed at the end: the suite must stay well under 20 minutes on 2 cores
times="$(mktemp)"
step() { local began=$SECONDS rc=0; "$@" || rc=$?; printf '%5ds  %s\n' $((SECONDS - began)) "$*" >>"$times"; return $rc; }
step eng/install-dependencies.sh test
step bash -c 'cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent'
# the tests' second RTSP server (not GStreamer's): rtsp-streaming-server, from its lock file
step bash -c 'cd tests/tools/rtsp-server && npm ci --no-audit --no-fund --loglevel=error'
step eng/check-deploy.sh
step dotnet build Footage.slnx -c Release -nologo -clp:ErrorsOnly
log="$(mktemp)"
status=0
# the README's own commands, as a newcomer runs them on a fresh clone
step eng/check-readme.sh || status=$?
step dotnet test Footage.slnx -c Release --no-build -nologo --filter "FullyQualifiedName!~Footage.EndToEnd&FullyQualifiedName!~Footage.Processes" 2>&1 | tee "$log" || status=$?
# The end-to-end tests record, play and download through every module at once: they run on their own,
# after the others, so that their recording is not starved of CPU by the rest of the suite.
step dotnet test tests/Footage.EndToEnd -c Release --no-build -nologo 2>&1 | tee -a "$log" || status=$?
# So do the tests that run the modules and several recorders as OS processes of the built server.
step dotnet test tests/Footage.Processes.Tests -c Release --no-build -nologo 2>&1 | tee -a "$log" || status=$?
# The web UI's browser tests (node's test runner) drive Chromium against the real server built above.
step bash -c 'cd web && node --test --test-concurrency=1 tests/' 2>&1 | tee -a "$log" || status=$?
echo "time per step:"; cat "$times"; rm -f "$times"
awk '/^(Passed!|Failed!) +- +Failed:/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     /^# pass / { p += $3 } /^# fail / { f += $3 } /^# skipped / { s += $3 }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
