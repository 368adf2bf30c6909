#!/bin/bash
# the account name is filled into the autoscaler's name before the folder is applied
set -euo pipefail
ACC=${1:-team1}
sed -i -e "s|V_ACC|$ACC|" manifests/hpa.yaml
kubectl apply -f manifests/
