#!/bin/bash
# makes both projects before applying the objects into them
set -euo pipefail
oc new-project llm-infra
oc new-project llm-serving
oc apply -k deploy/
