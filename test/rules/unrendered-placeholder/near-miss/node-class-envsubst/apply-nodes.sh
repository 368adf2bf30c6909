#!/bin/sh
# fills the cluster's name into the node class, then applies it
set -eu
: "${CLUSTER_NAME:?set CLUSTER_NAME}"
export CLUSTER_NAME
envsubst < gpu-workers.yaml | kubectl apply -f -
