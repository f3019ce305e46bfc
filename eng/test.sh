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
# The Dockerfile check publishes the server from a copy of the build context: a second compile. It runs beside the
# solution's build (and the npm install below), whose chain of src projects compiles one project at a time and leaves
# the second core idle; its output is printed once both are done. It copies web/ (dist included) as the image build
# would, so it starts after the UI's build.
deploy_log="$(mktemp)"
began=$SECONDS
eng/check-deploy.sh >"$deploy_log" 2>&1 &
deploy=$!
# the tests' second RTSP server (not GStreamer's): rtsp-streaming-server, from its lock file
build_status=0
step bash -c 'cd tests/tools/rtsp-server && npm ci --no-audit --no-fund --loglevel=error' || build_status=$?
[ "$build_status" -ne 0 ] || step dotnet build Footage.slnx -c Release -nologo -clp:ErrorsOnly || build_status=$?
deploy_status=0
wait "$deploy" || deploy_status=$?
printf '%5ds  %s\n' $((SECONDS - began)) "eng/check-deploy.sh (beside the two steps above)" >>"$times"
cat "$deploy_log"; rm -f "$deploy_log"
[ "$deploy_status" -eq 0 ] || { echo "eng/check-deploy.sh failed" >&2; exit "$deploy_status"; }
[ "$build_status" -eq 0 ] || exit "$build_status"
log="$(mktemp)"
status=0
# the README's own commands, as a newcomer runs them on a fresh clone
step eng/check-readme.sh || status=$?
# every test project but the two below, the longest first (eng/tests.proj says why)
step dotnet test eng/tests.proj -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?
# The end-to-end tests record, play and download through every module at once: they run on their own,
# after the others, so that their recording is not starved of CPU by the rest of the suite.
step dotnet test tests/Footage.EndToEnd -c Release --no-build -nologo 2>&1 | tee -a "$log" || status=$?
# So do the tests that run the modules and several recorders as OS processes of the built server.
step dotnet test tests/Footage.Processes.Tests -c Release --no-build -nologo 2>&1 | tee -a "$log" || status=$?
# The web UI's browser tests (node's test runner) drive Chromium against the real server built above. Those of the pages
# that record nothing (the cameras page at 500 cameras, the groups page) run beside the others, which record and play
# live one file after another.
step eng/test-web.sh 2>&1 | tee -a "$log" || status=$?
echo "time per step:"; cat "$times"; rm -f "$times"
awk '/^(Passed!|Failed!) +- +Failed:/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     /^# pass / { p += $3 } /^# fail / { f += $3 } /^# skipped / { s += $3 }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
