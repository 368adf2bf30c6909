#!/usr/bin/env bash
# Fills the stack's ${...} from the environment and applies each file: every variable the files use is exported.
set -e
STACK_NS="${STACK_NS:-storefront}"
STACK_IMAGE="quay.io/storefront/web:2.4.1"
expand() {
  python3 -c 'import os, sys; sys.stdout.write(os.path.expandvars(open(sys.argv[1]).read()))' "$1"
}
export STACK_NS STACK_IMAGE
HERE="$(cd "$(dirname "$0")" && pwd)"
for manifest in "${HERE}"/stack/*.yaml; do
  expand "$manifest" | kubectl apply -n "${STACK_NS}" -f -
done
