#!/usr/bin/env bash
# The web UI's browser tests (node's test runner, Chromium against the real server), in two runs side by side: the pages
# that record nothing (the cameras page at 500 cameras and the groups page: a server with no camera recording), and every
# other file, which records and plays live, one file at a time so that no two recording servers share the CPU.
set -uo pipefail
cd "$(dirname "$0")/../web"
quiet=(tests/cameras-at-scale.test.mjs tests/groups.test.mjs)
recording=()
for file in tests/*.test.mjs; do
  case " ${quiet[*]} " in *" $file "*) ;; *) recording+=("$file") ;; esac
done
beside="$(mktemp)"
trap 'rm -f "$beside"' EXIT
node --test --test-concurrency=1 "${quiet[@]}" >"$beside" 2>&1 &
quiet_run=$!
status=0
node --test --test-concurrency=1 "${recording[@]}" || status=$?
wait "$quiet_run" || status=$?
cat "$beside"
exit "$status"
