#!/usr/bin/env bash
# the chat server is vLLM's own image under a local name
set -euo pipefail
docker pull vllm/vllm-openai:v0.10.1
docker tag vllm/vllm-openai:v0.10.1 lab/chat-server:1
