#!/usr/bin/env bash
# the storage Secret with one entry per connection, the entry's JSON built from the caller's environment
set -euo pipefail
ENTRY="{\"type\":\"s3\",\"access_key_id\":\"$S3_USER\",\"secret_access_key\":\"$S3_PASSWORD\",\"endpoint_url\":\"http://object-store:9000\",\"bucket\":\"models\"}"
oc create secret generic storage-config \
  --from-literal=object-store-connection="$ENTRY" \
  -n lab-serving --dry-run=client -o yaml | oc apply -f -
oc apply -f predictor.yaml
