#!/bin/sh
# Copies a Hugging Face checkpoint into the team's bucket: upload-model.sh <hub id> <prefix>
set -e
MODEL_ID="$1"
PREFIX="$2"
huggingface-cli download "$MODEL_ID" --local-dir /tmp/checkpoint
aws s3 sync /tmp/checkpoint "s3://models/$PREFIX/"
