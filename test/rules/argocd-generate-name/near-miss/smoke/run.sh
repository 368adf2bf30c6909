#!/bin/sh
set -e
# create, not apply: the API server makes a new name from generateName each run
oc create -f jobs/
