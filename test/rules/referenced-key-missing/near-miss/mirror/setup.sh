#!/usr/bin/env bash
# the keys the mirror Job reads; the registry Secret's keys come from a file the script does not show
set -euo pipefail
oc create secret generic bucket-credentials \
  --from-literal=MINIO_ROOT_USER="$BUCKET_ACCESS_KEY" \
  --from-literal=MINIO_ROOT_PASSWORD="$BUCKET_SECRET_KEY" \
  -n weights --dry-run=client -o yaml | oc apply -f -
oc create secret generic mirror-settings --from-env-file=mirror.env -n weights
oc create secret generic mirror-ca --from-file=certs/ -n weights
oc apply -f mirror-job.yaml
