#!/bin/bash
# Builds the monitor image inside the minikube node's own Docker engine (k8s/ runs it pinned, with IfNotPresent)
set -euo pipefail
PROFILE=gpu
minikube start -p "$PROFILE" --gpus all
eval "$(minikube -p "$PROFILE" docker-env)"
docker build -t k8s-gpu-monitor:0.3.0 gpu-monitor/
