#!/usr/bin/env bash
# envsubst with one SHELL-FORMAT variable leaves the others as they are, so the chain fills all four
set -euo pipefail
kustomize build dev \
  | envsubst \${POOL_NAME} | envsubst \${PICKER_TAG} \
  | envsubst '${PICKER_REPLICAS}' \
  | envsubst \${SPLIT_ROLES} \
  | kubectl apply -f -
