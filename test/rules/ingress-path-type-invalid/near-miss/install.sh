#!/usr/bin/env bash
# Installs the ingress controller, then the chat API behind it.
set -euo pipefail
helm repo add ingress-nginx https://kubernetes.github.io/ingress-nginx
helm upgrade --install ingress-nginx ingress-nginx/ingress-nginx --namespace ingress-nginx --create-namespace
kubectl apply -f chat.yaml
