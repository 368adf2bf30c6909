#!/usr/bin/env node
/**
 * Regenerates the typed bindings under imports/ and the description-free CRD schemas under schemas/crds/<set>/
 * (one folder per component release; each platform validates with its sets) from the real CustomResourceDefinitions.
 *
 *   npm run import                        # reads ../shared/crds
 *   npm run import -- --crds <dir>        # reads another folder holding the same files
 *
 * Descriptions are stripped first: they are most of the bytes of a CRD (the InferenceService CRD is ~1 MB)
 * and would otherwise become ~50k lines of doc comments in the bindings and slow every compile and load.
 * Bindings are generated for the kinds the library renders only; ClusterServingRuntime is in upstream KServe's set only
 * (OpenShift AI does not install it).
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const YAML = require('yaml');

const ROOT = path.resolve(__dirname, '..');

/**
 * Which CRD files form which binding module. Kueue's bindings come from 0.16, whose CRDs serve both v1beta1 (class
 * ClusterQueue, …) and v1beta2 (ClusterQueueV1Beta2, …): KueueQuota writes the version its platform stores.
 */
const MODULES = [
  {
    module: 'serving.kserve.io',
    files: ['serving.kserve.io_inferenceservices.yaml', 'serving.kserve.io_servingruntimes.yaml'],
  },
  {
    module: 'kueue.x-k8s.io',
    files: ['kueue-v0.16/kueue.x-k8s.io_resourceflavors.yaml', 'kueue-v0.16/kueue.x-k8s.io_clusterqueues.yaml', 'kueue-v0.16/kueue.x-k8s.io_localqueues.yaml'],
  },
  {
    module: 'machine.openshift.io',
    files: ['machine.openshift.io_machinesets.yaml'],
  },
  {
    module: 'argoproj.io',
    files: ['argocd/application-crd.yaml', 'argocd/appproject-crd.yaml', 'argocd/applicationset-crd.yaml'],
  },
];

/**
 * The schema sets under schemas/crds/<set>/: each is the CRDs of one component at one pinned release (the files
 * and tags are in ../shared/crds/SOURCES.md). A platform of lib/platform/platform.ts lists the sets it validates with.
 */
const SCHEMA_SETS = {
  // OpenShift AI 3.0: red-hat-data-services/kserve rhoai-3.0 = opendatahub-io/kserve odh-v3.0 (KServe 0.15.2)
  'odh-kserve-3.0': ['serving.kserve.io_inferenceservices.yaml', 'serving.kserve.io_servingruntimes.yaml', 'serving.kserve.io_llminferenceservices.yaml'],
  // Open Data Hub / OpenShift AI 3.4: opendatahub-io/kserve odh-v3.4 (KServe 0.17.0)
  'odh-kserve-3.4': [
    'odh-kserve-v3.4/serving.kserve.io_inferenceservices.yaml',
    'odh-kserve-v3.4/serving.kserve.io_servingruntimes.yaml',
    'odh-kserve-v3.4/serving.kserve.io_llminferenceservices.yaml',
    'odh-kserve-v3.4/serving.kserve.io_llminferenceserviceconfigs.yaml',
  ],
  // upstream kserve/kserve v0.20.0
  'kserve-0.20': [
    'upstream-kserve-v0.20.0/serving.kserve.io_inferenceservices.yaml',
    'upstream-kserve-v0.20.0/serving.kserve.io_servingruntimes.yaml',
    'upstream-kserve-v0.20.0/serving.kserve.io_clusterservingruntimes.yaml',
  ],
  // kubernetes-sigs/kueue v0.14.8 (Red Hat build of Kueue 1.2): v1beta1 only
  'kueue-0.14': ['kueue.x-k8s.io_resourceflavors.yaml', 'kueue.x-k8s.io_clusterqueues.yaml', 'kueue.x-k8s.io_localqueues.yaml'],
  // kubernetes-sigs/kueue v0.16.9 (Red Hat build of Kueue 1.3): v1beta2 stored, v1beta1 deprecated
  'kueue-0.16': [
    'kueue-v0.16/kueue.x-k8s.io_resourceflavors.yaml',
    'kueue-v0.16/kueue.x-k8s.io_clusterqueues.yaml',
    'kueue-v0.16/kueue.x-k8s.io_localqueues.yaml',
    'kueue-v0.16/kueue.x-k8s.io_cohorts.yaml',
    'kueue-v0.16/kueue.x-k8s.io_workloadpriorityclasses.yaml',
  ],
  // openshift/api release-4.20, feature set Default
  'openshift-4.20': ['machine.openshift.io_machinesets.yaml'],
  // opendatahub-operator v3.0.0
  'odh-operator-3.0': ['infrastructure.opendatahub.io_hardwareprofiles.yaml'],
  // argoproj/argo-cd v3.1.16
  'argocd-3.1': ['argocd/application-crd.yaml', 'argocd/appproject-crd.yaml', 'argocd/applicationset-crd.yaml'],
  // day-two objects: kedacore/keda v2.20.2 (KEDA's authentication for the Prometheus trigger)
  'keda-2.20': ['keda/keda.sh_scaledobjects.yaml', 'keda/keda.sh_triggerauthentications.yaml'],
  // prometheus-operator v0.93.0 (user-workload monitoring)
  'prometheus-operator-0.93': [
    'prometheus-operator/monitoring.coreos.com_podmonitors.yaml',
    'prometheus-operator/monitoring.coreos.com_servicemonitors.yaml',
    'prometheus-operator/monitoring.coreos.com_prometheusrules.yaml',
  ],
};

function parseArgs(argv) {
  const i = argv.indexOf('--crds');
  const crds = i >= 0 ? argv[i + 1] : path.resolve(ROOT, '..', 'shared', 'crds');
  if (!crds || !fs.existsSync(crds)) {
    throw new Error(`CRD folder not found: ${crds}. Pass --crds <dir> with the CustomResourceDefinition files.`);
  }
  return { crds: path.resolve(crds) };
}

/** Deletes every schema `description` (a string), keeping properties that happen to be called "description". */
function stripDescriptions(node) {
  if (Array.isArray(node)) {
    node.forEach(stripDescriptions);
  } else if (node && typeof node === 'object') {
    for (const key of Object.keys(node)) {
      if (key === 'description' && typeof node[key] === 'string') {
        delete node[key];
      } else {
        stripDescriptions(node[key]);
      }
    }
  }
  return node;
}

function readCrd(dir, file) {
  const full = path.join(dir, file);
  const doc = YAML.parse(fs.readFileSync(full, 'utf8'));
  if (doc?.kind !== 'CustomResourceDefinition') {
    throw new Error(`${full} is not a CustomResourceDefinition`);
  }
  return stripDescriptions(doc);
}

/** The part of a CRD the validator needs, in a stable key order. */
function toSchemaFile(crd) {
  return {
    group: crd.spec.group,
    kind: crd.spec.names.kind,
    plural: crd.spec.names.plural,
    scope: crd.spec.scope,
    versions: crd.spec.versions
      .filter((v) => v.served)
      .map((v) => ({ name: v.name, storage: v.storage === true, ...(v.deprecated ? { deprecated: true } : {}), schema: v.schema.openAPIV3Schema })),
  };
}

function main() {
  const { WORKLOAD_FILE } = require('./derive-kueue-workloads');
  const { crds } = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-vllm-crds-'));
  const schemaDir = path.join(ROOT, 'schemas', 'crds');
  for (const [set, files] of Object.entries(SCHEMA_SETS)) {
    // only this script's sets: scripts/derive-workload-crds.js writes others beside them, and
    // scripts/derive-kueue-workloads.js the Workload schema into the Kueue sets, which is kept
    const dir = path.join(schemaDir, set);
    const kept = path.join(dir, WORKLOAD_FILE);
    const workload = fs.existsSync(kept) ? fs.readFileSync(kept) : undefined;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    if (workload) fs.writeFileSync(kept, workload);
    for (const f of files) {
      const crd = readCrd(crds, f);
      fs.writeFileSync(path.join(schemaDir, set, `${crd.spec.names.plural}.${crd.spec.group}.json`), JSON.stringify(toSchemaFile(crd)) + '\n');
    }
  }

  const cdk8s = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
  for (const m of MODULES) {
    const docs = m.files.map((f) => readCrd(crds, f));
    const input = path.join(tmp, `${m.module}.yaml`);
    fs.writeFileSync(input, docs.map((d) => YAML.stringify(d)).join('---\n'));
    execFileSync(cdk8s, ['import', input, '--language', 'typescript', '--output', 'imports', '--no-save', '--no-check-upgrade'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`imports/ and schemas/crds/<set>/ regenerated from ${crds}`);
}

module.exports = { SCHEMA_SETS, stripDescriptions, toSchemaFile };
if (require.main === module) main();
