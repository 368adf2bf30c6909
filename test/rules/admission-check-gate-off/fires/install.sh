#!/usr/bin/env bash
# Kueue from its release manifests, then the queues
set -euo pipefail
kubectl apply --server-side -f https://github.com/kubernetes-sigs/kueue/releases/download/v0.5.1/manifests.yaml
kubectl apply -f queues.yaml
