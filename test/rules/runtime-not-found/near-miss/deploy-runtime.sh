#!/bin/bash
# the runtime is chosen when the script runs: bash expands it in the unquoted heredoc before kubectl reads it
set -euo pipefail
SERVING_RUNTIME="$1"
cat <<EOF | kubectl apply -f -
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: chosen-runtime
  namespace: ai
spec:
  predictor:
    model:
      modelFormat: {name: vLLM}
      runtime: $SERVING_RUNTIME
      storageUri: s3://models/m/
EOF
