#!/bin/sh
# One-shot MinIO setup for the compose stack (idempotent): the bucket, and an application user
# limited to the built-in readwrite policy, with the credentials from photomaker.env.
set -eu
: "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}" "${PM_S3_BUCKET:?}" "${PM_S3_ACCESS_KEY:?}" "${PM_S3_SECRET_KEY:?}"
mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD"
mc mb --ignore-existing "local/$PM_S3_BUCKET"
mc admin user add local "$PM_S3_ACCESS_KEY" "$PM_S3_SECRET_KEY"
# mc reports an error when the policy is already attached (every rerun): not a failure here.
mc admin policy attach local readwrite --user "$PM_S3_ACCESS_KEY" || true
# Objects nothing deletes by itself expire: archived job records, Idempotency-Key records and webhook delivery
# logs, by the lifecycle rules Kubernetes applies too (deploy/k8s/base/s3-lifecycle.json; import replaces the
# bucket's rules, so every rerun leaves the same rules).
mc ilm import "local/$PM_S3_BUCKET" < /etc/photomaker/s3-lifecycle.json
echo "bucket $PM_S3_BUCKET ready"
