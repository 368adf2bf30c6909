#!/bin/sh
# Renders another file of the tree; the Secret and the runtime here are applied as they are.
envsubst < "$(dirname "$0")/overlays/extra-config.yaml" | oc apply -f -
