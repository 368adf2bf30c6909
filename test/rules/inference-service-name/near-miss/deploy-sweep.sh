#!/bin/bash
# deploys one service per size; bash fills the name and runtime into the heredoc before kubectl reads it
set -euo pipefail
RUNTIME_NAME="${RUNTIME_NAME:-vllm-runtime}"
for size in small large; do
  svc_name="sweep-$size"
  cat <<EOF | kubectl apply -f -
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: $svc_name
  namespace: ai
spec:
  predictor:
    model:
      modelFormat: {name: vLLM}
      runtime: $RUNTIME_NAME
      storageUri: s3://models/m/
      storage: {key: minio-connection}
EOF
done
