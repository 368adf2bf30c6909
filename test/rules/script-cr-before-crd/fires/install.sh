#!/usr/bin/env bash
# Installs the NVIDIA GPU operator and configures it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

echo "Subscribing to the GPU operator"
oc apply -f operators/gpu/

echo "Creating the ClusterPolicy"
oc apply -f gpu/cluster-policy.yaml
