#!/usr/bin/env bash
# Installs the NVIDIA GPU operator and configures it once its CRD is there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

echo "Subscribing to the GPU operator"
oc apply -f operators/gpu/

echo "Waiting for the ClusterPolicy CRD"
until oc get crd clusterpolicies.nvidia.com >/dev/null 2>&1; do
  sleep 10
done
oc wait --for condition=established --timeout=300s crd/clusterpolicies.nvidia.com

echo "Creating the ClusterPolicy"
oc apply -f gpu/cluster-policy.yaml
