#!/bin/sh
# the runtime is made by processing the template here, not from the dashboard: kubectl validates strictly
oc process -f runtime-template.yaml | oc apply -n models -f -
