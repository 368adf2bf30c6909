#!/usr/bin/env bash
set -euo pipefail
helm repo add nvidia https://helm.ngc.nvidia.com/nvidia
helm upgrade --install gpu-operator nvidia/gpu-operator \
  --namespace gpu-operator --create-namespace \
  --set mig.strategy=mixed
kubectl create namespace search
kubectl apply -f embedder.yaml
