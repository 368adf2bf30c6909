#!/bin/sh
# Creates the serving project, then deploys the model server into it.
set -e
oc new-project openshift-llm-serving
oc apply -f server.yaml
