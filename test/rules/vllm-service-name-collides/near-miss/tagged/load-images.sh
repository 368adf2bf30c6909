#!/usr/bin/env bash
# the chat server is the Text Generation Inference image under a local name
set -euo pipefail
docker pull ghcr.io/huggingface/text-generation-inference:3.0.1
docker tag ghcr.io/huggingface/text-generation-inference:3.0.1 lab/chat-server:1
