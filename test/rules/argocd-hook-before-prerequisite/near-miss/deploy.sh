#!/bin/sh
# installs the search index chart
helm upgrade --install search charts/indexer -n search --create-namespace
