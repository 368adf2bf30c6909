#!/bin/bash
set -euo pipefail
DIR="$(cd "$(dirname "$0")" && pwd)"
export NAMESPACE=${NAMESPACE:-demo}
envsubst < "$DIR/manifests/settings.yaml" | oc apply -f -
