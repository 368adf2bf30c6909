#!/bin/bash
# makes the infrastructure project, but not the one the serving objects go into
set -euo pipefail
oc new-project llm-infra
oc apply -k deploy/
