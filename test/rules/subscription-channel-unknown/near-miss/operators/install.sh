#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")"
export AI_CHANNEL="${AI_CHANNEL:-stable-3.0}"
envsubst '${AI_CHANNEL}' < ai-subscription.yaml | oc apply -f -
