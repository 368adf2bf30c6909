#!/bin/bash
# deploy the Granite service on llm-d
set -euo pipefail
oc apply -f deploy/llmd-deployment.yaml
