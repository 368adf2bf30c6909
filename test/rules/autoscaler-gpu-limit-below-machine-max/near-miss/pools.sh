#!/bin/bash
# adds a GPU MachineSet cloned from the first worker MachineSet, then labels its nodes for the autoscaler
clone_pool(){
  SIZE=${1:-m6i.xlarge}
  POOL=${2:-${SIZE//./-}}
  BASE=$(oc -n openshift-machine-api get machineset -o name | grep worker | head -n1)
  oc -n openshift-machine-api get "${BASE}" -o yaml | \
    sed "/name/ s/${BASE##*/}/${POOL}/g
      s/instanceType.*/instanceType: ${SIZE}/
      s/replicas.*/replicas: 0/" | \
    oc apply -f -
}

label_pool(){
  POOL=$1
  KIND=$2
  oc -n openshift-machine-api patch machineset "${POOL}" --type=merge \
    -p '{"spec":{"template":{"spec":{"metadata":{"labels":{"cluster-api/accelerator":"'"${KIND}"'"}}}}}}'
}

clone_pool zz9.huge gpu-a10g
label_pool gpu-a10g nvidia-a10g
