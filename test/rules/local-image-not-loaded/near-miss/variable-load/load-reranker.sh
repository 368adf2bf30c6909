#!/bin/bash
# Builds the reranker and hands it to the minikube node; the image name is kept in one variable
set -euo pipefail
RERANKER_IMAGE="reranker:0.4.2"
docker build -t "${RERANKER_IMAGE}" -f reranker.Dockerfile .
minikube -p gpu-lab image load "${RERANKER_IMAGE}"
