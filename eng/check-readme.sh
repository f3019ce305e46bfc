#!/usr/bin/env bash
# Runs the README's commands as a newcomer does on a fresh clone: `./eng/run.sh`, then the README's next shell block
# line by line (the admin key read from data/admin-api-key, the cameras list, /health), each call required to succeed;
# then what the README says the newcomer sees: the demo camera in GET /api/v1/recording/status and the UI.
# The README's port 8080 is replaced by a free one. A developer's own ./data is kept out of the way (the check then runs
# in a folder of its own); on a fresh clone the check uses ./data as the README says, and removes it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
work="$(mktemp -d)"
if [ -e data ]; then
  export Footage__DataDirectory="$work/data"
  here="$work"
  fresh=""
else
  here="$repo"
  fresh="yes"
fi
server=""
cleanup() {
  # run.sh execs `dotnet run`, which starts the server as its child: stop the whole process group
  [ -z "$server" ] || kill -- "-$server" 2>/dev/null || true
  [ -z "$server" ] || wait "$server" 2>/dev/null || true
  [ -z "$fresh" ] || rm -rf "$repo/data"
  rm -rf "$work"
}
trap cleanup EXIT

FOOTAGE_URLS="http://127.0.0.1:$port" setsid ./eng/run.sh >"$work/run.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health" >/dev/null \
  || { tail -50 "$work/run.log" >&2; echo "README: ./eng/run.sh did not serve /health" >&2; exit 1; }
echo "README: ./eng/run.sh serves the system"

# the shell block that reads the admin key, as written but for the port; curl made to fail on an HTTP error
block="$(python3 - "$repo/README.md" <<'EOF'
import re, sys
blocks = re.findall(r"```bash\n(.*?)```", open(sys.argv[1], encoding="utf-8").read(), re.S)
print(next(b for b in blocks if "admin-api-key" in b))
EOF
)"
[ -n "$block" ] || { echo "README: no shell block reads data/admin-api-key" >&2; exit 1; }
(
  cd "$here"
  while IFS= read -r line; do
    line="${line%%#*}"
    [ -n "${line// /}" ] || continue
    line="${line//127.0.0.1:8080/127.0.0.1:$port}"
    line="${line//curl /curl -fsS -o /dev/null }"
    eval "$line" || { echo "README: this command failed: $line" >&2; exit 1; }
    echo "README: ran: $line"
  done <<<"$block"
  key="$(cat data/admin-api-key)"
  recording() {
    curl -fsS -H "X-Api-Key: $key" "http://127.0.0.1:$port/api/v1/recording/status" | python3 -c '
import json, sys
cameras = json.load(sys.stdin)["cameras"]
sys.exit(0 if any(c["name"] == "Demo camera" and c["state"] == "RECORDING" for c in cameras) else 1)'
  }
  for _ in $(seq 1 120); do recording && break; sleep 0.5; done
  recording || { echo "README: GET /api/v1/recording/status does not show the demo camera recording" >&2; exit 1; }
  echo "README: GET /api/v1/recording/status shows the demo camera recording"
  curl -fsS "http://127.0.0.1:$port/" | grep -qi "<html" || { echo "README: the UI is not at /" >&2; exit 1; }
  echo "README: the control-room UI is at /"
)
