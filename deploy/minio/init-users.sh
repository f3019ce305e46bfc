#!/bin/sh
# Prepares MinIO for Footage with what only MinIO's admin API can do: the three service users (recording, storage,
# playback), each bound to its least-privilege policy from policies/. The buckets, their lifecycle rules and object lock
# are set up by the Storage service itself through the S3 API at its start (docs/operations.md, "Object storage").
# Idempotent: the compose file's minio-init job runs it on every start. Needs the MinIO client `mc` (the minio/mc image).
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

for user in recording storage playback; do
  upper="$(echo "$user" | tr '[:lower:]' '[:upper:]')"
  eval "access=\${${upper}_ACCESS_KEY}"
  eval "secret=\${${upper}_SECRET_KEY}"
  # create replaces the policy's statements, so an updated policies/ file takes effect at the next start
  mc admin policy create footage "footage-$user" "$POLICIES/$user.json"
  mc admin user add footage "$access" "$secret"
  mc admin policy attach footage "footage-$user" --user "$access" 2>/dev/null \
    || echo "policy footage-$user already attached to $access"
done

echo "MinIO ready: 3 service users with their policies"
