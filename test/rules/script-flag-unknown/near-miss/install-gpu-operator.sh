#!/usr/bin/env bash
set -euo pipefail
kubectl create namespace gpu-operator
kubectl apply -f sharing-config.yaml
helm upgrade --install --wait -n gpu-operator gpu-operator nvidia/gpu-operator --set devicePlugin.config.name=sharing-config
helm template monitoring ./charts/monitoring -s templates/service.yaml -f values.yaml -a monitoring.coreos.com/v1 > rendered.yaml
helm upgrade -i --atomic --timeout 10m -n gpu-operator gpu-operator nvidia/gpu-operator --dry-run=server --wait
