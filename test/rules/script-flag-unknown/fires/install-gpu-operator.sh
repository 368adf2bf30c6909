#!/usr/bin/env bash
set -euo pipefail
kubectl create namespace gpu-operator
kubectl apply -f sharing-config.yaml
helm upgrade --install --wait -n gpu-operator gpu-operator nvidia/gpu-operator -set devicePlugin.config.name=sharing-config
