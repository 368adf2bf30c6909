#!/bin/sh
# records which model the serving namespace runs; every name the heredoc writes is set above it
set -eu
MODEL_ID=granite-3-8b
NAMESPACE=serving
cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: ConfigMap
metadata:
  name: model-$MODEL_ID
  namespace: $NAMESPACE
data:
  model: ibm-granite/granite-3.3-8b-instruct
EOF
