#!/usr/bin/env bash
# prints the NFD operator's example instance for the reader to look at: nothing here creates it
set -euo pipefail
CSV=$(oc get csv -n openshift-nfd -o name | grep nfd)
oc get "$CSV" -n openshift-nfd -o jsonpath='{.metadata.annotations.alm-examples}' | jq '.[] | select(.kind == "NodeFeatureDiscovery")' > nfd-example.json
echo "review nfd-example.json, then create the instance"
