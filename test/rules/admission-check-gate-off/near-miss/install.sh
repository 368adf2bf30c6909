#!/usr/bin/env bash
# Kueue 0.7 runs the ProvisioningRequest check by default, then the queues
set -euo pipefail
kubectl apply --server-side -f https://github.com/kubernetes-sigs/kueue/releases/download/v0.7.0/manifests.yaml
kubectl apply -f queues.yaml
