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
 * Earlier releases' config/runtimes folders, given as `<release>=<folder>` (`0.16=/tmp/v0.16.0/config/runtimes`), give
 * each runtime the first of them that installs it (`since`), and the oldest release read (`sinceFrom`): a runtime
 * added later is not on a cluster that installs an older KServe (kserve-vllmserver came with 0.20).
 *
 *   node scripts/derive-kserve-cluster-runtimes.js <config/runtimes folder> "<source: repository, tag, path>" [<release>=<folder> …]
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

/** The ClusterServingRuntime objects the kustomization of a config/runtimes folder lists. */
function listedRuntimes(folder) {
  const kustomization = YAML.parse(fs.readFileSync(path.join(folder, 'kustomization.yaml'), 'utf8'));
  const out = [];
  for (const file of kustomization.resources ?? []) {
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(folder, file), 'utf8'))) {
      const o = doc.toJS();
      if (o && o.kind === 'ClusterServingRuntime') out.push(o);
    }
  }
  return out;
}

const minor = (release) => Number(/^0\.(\d+)$/.exec(release)?.[1] ?? NaN);

/** Each runtime's first release among the earlier ones (`since`), unless the oldest of them already installs it. */
function withSince(runtimes, earlier) {
  if (!earlier.length) return { runtimes };
  const releases = earlier.map(({ release, folder }) => ({ release, names: new Set(listedRuntimes(folder).map((o) => o.metadata.name)) }));
  releases.sort((a, b) => minor(a.release) - minor(b.release));
  const oldest = releases[0].release;
  const dated = runtimes.map((r) => {
    const first = releases.find((x) => x.names.has(r.name))?.release;
    // absent from every earlier release given: new in the release the data is derived from, which `source` names
    const since = first ?? 'derived';
    return since === oldest ? r : { ...r, since };
  });
  return { sinceFrom: oldest, runtimes: dated };
}

async function main() {
  const [folder, source, ...rest] = process.argv.slice(2);
  if (!folder || !source || rest.some((a) => !/^0\.\d+=./.test(a))) {
    console.error('usage: derive-kserve-cluster-runtimes.js <config/runtimes folder> "<source>" [<release>=<folder> …]');
    process.exit(2);
  }
  const earlier = rest.map((a) => ({ release: a.slice(0, a.indexOf('=')), folder: a.slice(a.indexOf('=') + 1) }));
  const runtimes = listedRuntimes(folder).map(runtimeOf);
  if (!runtimes.length) throw new Error(`${folder}: no ClusterServingRuntime listed by its kustomization`);
  const released = /tag v?(0\.\d+)/.exec(source)?.[1];
  const dated = withSince(runtimes, earlier);
  const out = {
    $comment:
      'The ClusterServingRuntimes upstream KServe installs (config/runtimes, the files its kustomization lists), with what runtime selection reads of each and the securityContext of the pod and of kserve-container; since: the first release that installs it, where later than sinceFrom, the oldest release read. Derived by scripts/derive-kserve-cluster-runtimes.js; lib/platform/kserve-runtimes.ts loads it.',
    source,
    ...(dated.sinceFrom ? { sinceFrom: dated.sinceFrom } : {}),
    runtimes: dated.runtimes.map((r) => (r.since === 'derived' ? { ...r, since: released } : r)).sort((a, b) => a.name.localeCompare(b.name)),
  };
  const prettier = require('prettier');
  fs.writeFileSync(OUT, await prettier.format(JSON.stringify(out), { ...(await prettier.resolveConfig(OUT)), filepath: OUT }));
  console.log(`${runtimes.length} ClusterServingRuntimes from ${folder}`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
