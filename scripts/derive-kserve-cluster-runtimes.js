#!/usr/bin/env node
/**
 * Derives, from KServe's config/runtimes folder, the ClusterServingRuntimes an upstream KServe install creates: the
 * files its kustomization.yaml lists under resources (a file of the folder that it does not list is not installed),
 * with what runtime selection reads of each (kserve pkg/apis/serving/v1beta1/predictor_model.go
 * GetSupportingRuntimes): supported model formats with version, autoSelect and priority, protocol versions,
 * multiModel, disabled, and whether it has a workerSpec (a multi-node runtime); and the securityContext of the pod and
 * of kserve-container, which Pod Security admission judges in the predictor pod KServe builds from it. Writes
 * lib/platform/data/kserve-cluster-runtimes.json with the source it was read from.
 *
 *   node scripts/derive-kserve-cluster-runtimes.js <config/runtimes folder> "<source: repository, tag, path>"
 */
'use strict';
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const OUT = path.join(path.resolve(__dirname, '..'), 'lib', 'platform', 'data', 'kserve-cluster-runtimes.json');

function runtimeOf(o) {
  const spec = o.spec ?? {};
  const formats = (spec.supportedModelFormats ?? []).map((f) => {
    const out = { name: f.name };
    if (f.version !== undefined) out.version = String(f.version);
    if (f.autoSelect !== undefined) out.autoSelect = f.autoSelect;
    if (f.priority !== undefined) out.priority = f.priority;
    return out;
  });
  const out = { name: o.metadata.name, supportedModelFormats: formats };
  if (spec.protocolVersions) out.protocolVersions = spec.protocolVersions;
  if (spec.multiModel !== undefined) out.multiModel = spec.multiModel;
  if (spec.disabled !== undefined) out.disabled = spec.disabled;
  if (spec.workerSpec) out.multiNode = true;
  if (spec.securityContext) out.podSecurityContext = spec.securityContext;
  const served = (spec.containers ?? []).find((c) => c.name === 'kserve-container');
  if (served?.securityContext) out.containerSecurityContext = served.securityContext;
  return out;
}

async function main() {
  const [folder, source] = process.argv.slice(2);
  if (!folder || !source) {
    console.error('usage: derive-kserve-cluster-runtimes.js <config/runtimes folder> "<source>"');
    process.exit(2);
  }
  const kustomization = YAML.parse(fs.readFileSync(path.join(folder, 'kustomization.yaml'), 'utf8'));
  const runtimes = [];
  for (const file of kustomization.resources ?? []) {
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(folder, file), 'utf8'))) {
      const o = doc.toJS();
      if (o && o.kind === 'ClusterServingRuntime') runtimes.push(runtimeOf(o));
    }
  }
  if (!runtimes.length) throw new Error(`${folder}: no ClusterServingRuntime listed by its kustomization`);
  const out = {
    $comment:
      'The ClusterServingRuntimes upstream KServe installs (config/runtimes, the files its kustomization lists), with what runtime selection reads of each and the securityContext of the pod and of kserve-container. Derived by scripts/derive-kserve-cluster-runtimes.js; lib/platform/kserve-runtimes.ts loads it.',
    source,
    runtimes: runtimes.sort((a, b) => a.name.localeCompare(b.name)),
  };
  const prettier = require('prettier');
  fs.writeFileSync(OUT, await prettier.format(JSON.stringify(out), { ...(await prettier.resolveConfig(OUT)), filepath: OUT }));
  console.log(`${runtimes.length} ClusterServingRuntimes from ${folder}`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
