#!/bin/bash
# Puts the embedder image, pulled from the team's mirror and retagged, onto the kind nodes
set -euo pipefail
kind load docker-image embedder:2.1.0 --name gpu-lab
kind load docker-image kind.local/reranker:1.0.3 --name gpu-lab
