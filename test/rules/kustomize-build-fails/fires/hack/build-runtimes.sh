#!/bin/sh
# run from the repository's root; the runtimes overlay reads a patch of shared/, so kustomize must not restrict loading
set -eu
restrictor_flag="--load-restrictor LoadRestrictionsNone"
kustomize build runtimes ${restrictor_flag} | kubectl apply -f -
