#!/usr/bin/env bash
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "${HERE}/../shared/common.sh"
export WORKER_CLUSTER=gpu-east WORKER_API=https://api.gpu-east.example.com:6443
render_and_apply "${HERE}/worker-config.yaml"
