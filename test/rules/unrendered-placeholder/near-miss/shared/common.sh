#!/usr/bin/env bash
# helpers the setup scripts load with `source`
render_and_apply() {
  local manifest="$1"
  envsubst '${WORKER_CLUSTER}${WORKER_API}' < "${manifest}" | oc apply -f -
}
