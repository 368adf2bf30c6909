#!/bin/bash
# the worker's kubeconfig, made from the file the cluster admin hands over
set -euo pipefail
kubectl create secret generic worker-east-kubeconfig -n openshift-kueue-operator --from-file=kubeconfig=./worker-east.kubeconfig
kubectl apply -f .
