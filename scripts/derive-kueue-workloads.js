#!/usr/bin/env node
/**
 * Derives the description-free schema of Kueue's Workload into the Kueue CRD sets (schemas/crds/kueue-0.14 and
 * kueue-0.16) from kubernetes-sigs/kueue's config/components/crd/bases/kueue.x-k8s.io_workloads.yaml at the pinned
 * tags below (the same tags as the other Kueue CRDs of those sets, ../shared/crds/SOURCES.md), read with `git show`
 * from a local clone or mirror. The shared CRD folder holds no Workload CRD; scripts/import-crds.js keeps this file
 * when it rewrites its own files of the sets.
 *
 *   node scripts/derive-kueue-workloads.js --kueue <git dir>
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const YAML = require('yaml');
const { stripDescriptions, toSchemaFile } = require('./import-crds');

const ROOT = path.resolve(__dirname, '..');
const FILE = 'config/components/crd/bases/kueue.x-k8s.io_workloads.yaml';

/** The Kueue CRD sets and the kubernetes-sigs/kueue commits they are derived from. */
const SOURCES = [
  // tag v0.14.8 (Red Hat build of Kueue 1.2): v1beta1 only
  { set: 'kueue-0.14', commit: '2f2a452481b23fd664e4133ad51de1caa1d49c3a' },
  // tag v0.16.9 (Red Hat build of Kueue 1.3): v1beta2 stored, v1beta1 deprecated
  { set: 'kueue-0.16', commit: '762bba717f69b4621a973318846133bee2df7990' },
];

/** The file each set gets, beside import-crds.js's files of the set. */
const WORKLOAD_FILE = 'workloads.kueue.x-k8s.io.json';

function main() {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--kueue');
  const gitDir = i >= 0 ? argv[i + 1] : undefined;
  if (!gitDir || !fs.existsSync(gitDir)) throw new Error('pass --kueue <git dir> (a clone or mirror of kubernetes-sigs/kueue)');
  for (const { set, commit } of SOURCES) {
    const text = execFileSync('git', ['--git-dir', path.resolve(gitDir), 'show', `${commit}:${FILE}`], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    const crd = stripDescriptions(YAML.parse(text));
    if (crd?.kind !== 'CustomResourceDefinition' || crd.spec.names.kind !== 'Workload') throw new Error(`${FILE} at ${commit} is not the Workload CRD`);
    fs.writeFileSync(path.join(ROOT, 'schemas', 'crds', set, WORKLOAD_FILE), JSON.stringify(toSchemaFile(crd)) + '\n');
    console.log(`schemas/crds/${set}/${WORKLOAD_FILE} derived from ${commit}`);
  }
}

module.exports = { WORKLOAD_FILE, KUEUE_WORKLOAD_SETS: SOURCES.map((s) => s.set) };
if (require.main === module) main();
