#!/bin/sh
set -e
oc apply -f jobs/
