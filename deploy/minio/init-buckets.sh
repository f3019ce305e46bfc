#!/bin/sh
# Prepares MinIO for Footage: the spec's four buckets with their lifecycle rules, and the three service users
# (recording, storage, playback), each bound to a least-privilege policy from policies/. Idempotent: run it on every
# start (the compose file's minio-init job does). Needs the MinIO client `mc` (the minio/mc image has it).
set -eu

: "${MINIO_URL:=http://minio:9000}"
: "${MINIO_ROOT_USER:?the MinIO root user}"
: "${MINIO_ROOT_PASSWORD:?the MinIO root password}"
: "${RECORDING_ACCESS_KEY:?}" "${RECORDING_SECRET_KEY:?}"
: "${STORAGE_ACCESS_KEY:?}" "${STORAGE_SECRET_KEY:?}"
: "${PLAYBACK_ACCESS_KEY:?}" "${PLAYBACK_SECRET_KEY:?}"
POLICIES="${POLICIES:-$(dirname "$0")/policies}"

# wait for the server (the compose health check usually makes this one pass)
tries=0
until mc alias set footage "$MINIO_URL" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1; do
  tries=$((tries + 1))
  [ "$tries" -ge 30 ] && { echo "MinIO at $MINIO_URL did not answer" >&2; exit 1; }
  sleep 2
done

# bucket, days kept (0: kept until deleted through the API)
for spec in cctv-recordings:90 cctv-exports:7 cctv-thumbnails:30 cctv-clips:0; do
  bucket="${spec%%:*}"
  days="${spec##*:}"
  mc mb --ignore-existing "footage/$bucket"
  # replace the bucket's rules with exactly ours, so that a changed number of days takes effect on the next run
  mc ilm rule rm --all --force "footage/$bucket" >/dev/null 2>&1 || true
  if [ "$days" -gt 0 ]; then
    mc ilm rule add --expire-days "$days" "footage/$bucket"
  fi
done

for user in recording storage playback; do
  upper="$(echo "$user" | tr '[:lower:]' '[:upper:]')"
  eval "access=\${${upper}_ACCESS_KEY}"
  eval "secret=\${${upper}_SECRET_KEY}"
  mc admin policy create footage "footage-$user" "$POLICIES/$user.json"
  mc admin user add footage "$access" "$secret"
  mc admin policy attach footage "footage-$user" --user "$access" 2>/dev/null \
    || echo "policy footage-$user already attached to $access"
done

mc ilm rule ls footage/cctv-recordings
echo "MinIO ready: 4 buckets, 3 service users"
