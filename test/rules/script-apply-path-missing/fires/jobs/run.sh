#!/bin/bash
set -e
kubectl apply -f 01-settings.yaml
kubectl apply -f 02-token.yaml
kubectl get jobs
