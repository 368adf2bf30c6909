#!/bin/bash
# creates the bucket credentials the serving namespace reads, from the operator's environment
set -euo pipefail
STORE_USER="${STORE_USER:?export STORE_USER first}"
oc create secret generic store-connection \
  --from-literal=AWS_ACCESS_KEY_ID="$STORE_USER" \
  --from-literal=AWS_SECRET_ACCESS_KEY="$STORE_KEY" \
  --from-literal=AWS_S3_ENDPOINT=http://minio.object-store.svc:9000 \
  -n serving --dry-run=client -o yaml | oc apply -f -
