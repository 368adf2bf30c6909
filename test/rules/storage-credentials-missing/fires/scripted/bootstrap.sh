#!/usr/bin/env bash
# the storage Secret written flat, one AWS variable a key, where KServe looks up entries by storage key
set -euo pipefail
NS=lab-serving
oc create secret generic storage-config \
  --from-literal=AWS_ACCESS_KEY_ID="$S3_USER" \
  --from-literal=AWS_SECRET_ACCESS_KEY="$S3_PASSWORD" \
  --from-literal=AWS_S3_ENDPOINT="http://object-store.$NS.svc:9000" \
  -n "$NS" --dry-run=client -o yaml | oc apply -f -
oc apply -f predictor.yaml
