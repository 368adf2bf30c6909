#!/usr/bin/env bash
# no set -e: the first apply of the ClusterPolicy may fail, the loop applies it again until the CRD is served
oc apply -f operators/gpu/
oc apply -f gpu/cluster-policy.yaml
for attempt in $(seq 1 30); do
  oc apply -f gpu/cluster-policy.yaml && break
  sleep 10
done
