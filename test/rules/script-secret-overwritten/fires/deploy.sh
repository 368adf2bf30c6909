#!/usr/bin/env bash
# vLLM with an API key: the script runs every step, in order
set -euo pipefail
kubectl apply -f manifests/namespace.yaml
# a random API key
kubectl -n llm create secret generic vllm-secrets --from-literal=VLLM_API_KEY=$(openssl rand -hex 32)
kubectl apply -f manifests/
