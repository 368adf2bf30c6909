#!/usr/bin/env bash
# makes the object-store credentials the mirror Job reads; the values come from the caller's environment
set -euo pipefail
oc create secret generic bucket-credentials \
  --from-literal=accesskey="$BUCKET_ACCESS_KEY" \
  --from-literal=secretkey="$BUCKET_SECRET_KEY" \
  -n weights --dry-run=client -o yaml | oc apply -f -
oc apply -f mirror-job.yaml
