#!/bin/bash
# CI: builds the scoring API and loads it onto the kind cluster's nodes
set -euo pipefail
docker build -f Dockerfile.serve -t headline-scorer:latest .
kind load docker-image headline-scorer:latest --name ci
