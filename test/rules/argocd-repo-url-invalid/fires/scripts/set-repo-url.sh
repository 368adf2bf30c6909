#!/usr/bin/env bash
set -euo pipefail
for f in bootstrap/*.yaml; do
  sed -i "s#{{ REPO_URL }}#${REPO_URL}#g" "$f"
done
