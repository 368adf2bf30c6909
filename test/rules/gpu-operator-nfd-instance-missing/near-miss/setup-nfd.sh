#!/usr/bin/env bash
# the NFD operator's own example instance, taken from its ClusterServiceVersion once the install finishes, is what
# starts nfd-master and nfd-worker: nodes get the PCI vendor labels
set -euo pipefail
NS=openshift-nfd
oc apply -f operators.yaml
until oc get csv -n "$NS" -o name | grep -q nfd; do sleep 5; done
CSV=$(oc get csv -n "$NS" -o name | grep nfd)
EXAMPLE=$(oc get "$CSV" -n "$NS" -o jsonpath='{.metadata.annotations.alm-examples}' | jq -r '.[] | select(.kind == "NodeFeatureDiscovery")')
oc apply -n "$NS" -f - <<END
$EXAMPLE
END
