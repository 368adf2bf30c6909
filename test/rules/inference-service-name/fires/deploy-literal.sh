#!/bin/bash
# the quoted delimiter keeps the body as written: kubectl receives the name '$svc_name' itself
set -euo pipefail
svc_name="literal-model"
kubectl apply -f - <<'EOF'
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: $svc_name
  namespace: ai
spec:
  predictor:
    model:
      modelFormat: {name: vLLM}
      runtime: vllm-runtime
      storageUri: s3://models/m/
      storage: {key: minio-connection}
EOF
