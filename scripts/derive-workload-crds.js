#!/usr/bin/env node
/**
 * Derives the description-free schemas of the Kubeflow Training Operator's v1 jobs and KubeRay's kinds (both served on
 * OpenShift AI, and wherever the operators are installed) into schemas/crds/<set>/, from the upstream repositories'
 * CustomResourceDefinitions at the pinned commits below, read with `git show` from local clones (or mirrors).
 *
 *   node scripts/derive-workload-crds.js --training-operator <git dir> --kuberay <git dir>
 *
 * KubeRay's v1alpha1 is kept served but unjudged (an open schema): its fields changed across releases (0.x had
 * headGroupSpec.replicas and RayJob runtimeEnv, which 1.x's v1alpha1 lacks), and a tree writing v1alpha1 was written
 * for an older KubeRay than the one derived here. MPIJob is left out: the standalone mpi-operator serves kubeflow.org/v2beta1 MPIJob, which the training operator's
 * v1 schema would misjudge. RayCronJob is left out (alpha, behind a feature gate).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const YAML = require('yaml');
const { stripDescriptions, toSchemaFile } = require('./import-crds');

const ROOT = path.resolve(__dirname, '..');

const SOURCES = [
  {
    option: '--training-operator',
    // kubeflow/training-operator tag v1.9.0
    commit: '6f74c7f6b2ed6c27aabd82d0a316b23f0646059c',
    set: 'kubeflow-training-1.9',
    files: ['tfjobs', 'pytorchjobs', 'xgboostjobs', 'paddlejobs', 'jaxjobs'].map((k) => `manifests/base/crds/kubeflow.org_${k}.yaml`),
  },
  {
    option: '--kuberay',
    // ray-project/kuberay tag v1.7.0
    commit: '59d663aeec13760646da3db9c1cf8cfe883e30b7',
    set: 'kuberay-1.7',
    files: ['rayclusters', 'rayjobs', 'rayservices'].map((k) => `ray-operator/config/crd/bases/ray.io_${k}.yaml`),
    openVersions: ['v1alpha1'],
  },
];

function gitDirOf(argv, option) {
  const i = argv.indexOf(option);
  const dir = i >= 0 ? argv[i + 1] : undefined;
  if (!dir || !fs.existsSync(dir)) throw new Error(`pass ${option} <git dir> (a clone or mirror of the repository)`);
  return path.resolve(dir);
}

function main() {
  const argv = process.argv.slice(2);
  for (const source of SOURCES) {
    const gitDir = gitDirOf(argv, source.option);
    const out = path.join(ROOT, 'schemas', 'crds', source.set);
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out, { recursive: true });
    for (const file of source.files) {
      const text = execFileSync('git', ['--git-dir', gitDir, 'show', `${source.commit}:${file}`], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      const crd = stripDescriptions(YAML.parse(text));
      if (crd?.kind !== 'CustomResourceDefinition') throw new Error(`${file} at ${source.commit} is not a CustomResourceDefinition`);
      const schema = toSchemaFile(crd);
      for (const v of schema.versions) if (source.openVersions?.includes(v.name)) v.schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
      fs.writeFileSync(path.join(out, `${crd.spec.names.plural}.${crd.spec.group}.json`), JSON.stringify(schema) + '\n');
    }
    console.log(`schemas/crds/${source.set}/ derived from ${source.commit}`);
  }
}

module.exports = { WORKLOAD_SETS: Object.fromEntries(SOURCES.map((s) => [s.set, s.files])) };
if (require.main === module) main();
