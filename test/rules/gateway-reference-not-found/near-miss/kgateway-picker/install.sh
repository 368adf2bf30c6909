#!/bin/sh
# kgateway with the inference extension: its controller deploys an endpoint
# picker named <pool>-endpoint-picker beside each InferencePool
set -e
helm upgrade --install kgateway oci://cr.kgateway.dev/kgateway-dev/charts/kgateway \
  --version v2.0.3 --namespace kgateway-system --create-namespace \
  --set inferenceExtension.enabled=true \
  --set inferenceExtension.autoProvision=true
kubectl apply -f pool.yaml
