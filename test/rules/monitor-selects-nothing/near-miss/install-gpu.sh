#!/bin/sh
set -e
helm repo add ngc https://helm.ngc.nvidia.com/nvidia && helm repo update
helm upgrade --install gpu-operator ngc/gpu-operator -n gpu-operator --create-namespace --wait
kubectl apply -f gpu-metrics.yaml
