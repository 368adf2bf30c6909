#!/bin/sh
# the adapter can also come from its published manifests: a script applying them installs it with the tree
set -e
ADAPTER_MANIFEST="https://raw.githubusercontent.com/example-org/k8s-stackdriver/master/custom-metrics-stackdriver-adapter/deploy/production/adapter_new_resource_model.yaml"
kubectl apply -f "$ADAPTER_MANIFEST"
kubectl apply -f hpa.yaml
