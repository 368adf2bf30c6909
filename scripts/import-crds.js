#!/usr/bin/env node
/**
 * Regenerates the typed bindings under imports/ and the description-free CRD schemas under schemas/crds/
 * from the real CustomResourceDefinitions.
 *
 *   npm run import                        # reads ../shared/crds
 *   npm run import -- --crds <dir>        # reads another folder holding the same files
 *
 * Descriptions are stripped first: they are most of the bytes of a CRD (the InferenceService CRD is ~1 MB)
 * and would otherwise become ~50k lines of doc comments in the bindings and slow every compile and load.
 * Only the kinds the library renders are kept (no ClusterServingRuntime: OpenShift AI does not install it).
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const YAML = require('yaml');

const ROOT = path.resolve(__dirname, '..');

/** Which CRD files form which binding module, and which served version each module targets. */
const MODULES = [
  {
    module: 'serving.kserve.io',
    files: ['serving.kserve.io_inferenceservices.yaml', 'serving.kserve.io_servingruntimes.yaml'],
  },
  {
    module: 'kueue.x-k8s.io',
    files: ['kueue.x-k8s.io_resourceflavors.yaml', 'kueue.x-k8s.io_clusterqueues.yaml', 'kueue.x-k8s.io_localqueues.yaml'],
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

/** CRDs whose schemas the validator needs but for which no binding is generated. */
const SCHEMA_ONLY = [
  'infrastructure.opendatahub.io_hardwareprofiles.yaml',
  'serving.kserve.io_llminferenceservices.yaml',
  // day-two objects: KEDA's authentication for the Prometheus trigger, user-workload monitoring
  'keda/keda.sh_scaledobjects.yaml',
  'keda/keda.sh_triggerauthentications.yaml',
  'prometheus-operator/monitoring.coreos.com_podmonitors.yaml',
  'prometheus-operator/monitoring.coreos.com_servicemonitors.yaml',
  'prometheus-operator/monitoring.coreos.com_prometheusrules.yaml',
];

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
    versions: crd.spec.versions.filter((v) => v.served).map((v) => ({ name: v.name, storage: v.storage === true, schema: v.schema.openAPIV3Schema })),
  };
}

function main() {
  const { crds } = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-vllm-crds-'));
  const schemaDir = path.join(ROOT, 'schemas', 'crds');
  fs.rmSync(schemaDir, { recursive: true, force: true });
  fs.mkdirSync(schemaDir, { recursive: true });

  const writeSchema = (crd) => {
    const out = path.join(schemaDir, `${crd.spec.names.plural}.${crd.spec.group}.json`);
    fs.writeFileSync(out, JSON.stringify(toSchemaFile(crd)) + '\n');
  };

  const cdk8s = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
  for (const m of MODULES) {
    const docs = m.files.map((f) => readCrd(crds, f));
    docs.forEach(writeSchema);
    const input = path.join(tmp, `${m.module}.yaml`);
    fs.writeFileSync(input, docs.map((d) => YAML.stringify(d)).join('---\n'));
    execFileSync(cdk8s, ['import', input, '--language', 'typescript', '--output', 'imports', '--no-save', '--no-check-upgrade'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
  for (const f of SCHEMA_ONLY) writeSchema(readCrd(crds, f));
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`imports/ and schemas/crds/ regenerated from ${crds}`);
}

main();
