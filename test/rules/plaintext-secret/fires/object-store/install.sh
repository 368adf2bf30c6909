#!/bin/bash
# creates the bucket credentials the serving namespace reads
set -euo pipefail
STORE_USER="minio"
STORE_KEY="minio123"
oc create secret generic store-connection \
  --from-literal=AWS_ACCESS_KEY_ID="$STORE_USER" \
  --from-literal=AWS_SECRET_ACCESS_KEY="$STORE_KEY" \
  -n serving --dry-run=client -o yaml | oc apply -f -
