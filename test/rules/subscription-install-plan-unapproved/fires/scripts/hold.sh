#!/bin/bash
# holds the pending plan back and patches the Subscription instead: neither approves the InstallPlan
PLAN=$(oc get subscription nfd -n openshift-nfd -o jsonpath='{.status.installPlanRef.name}')
oc patch installplan "$PLAN" -n openshift-nfd --type merge -p '{"spec":{"approved":false}}'
oc patch subscription nfd -n openshift-nfd --type merge -p '{"spec":{"approved":true}}'
