#!/usr/bin/env node
/**
 * Derives, from a folder of KServe's LLMInferenceServiceConfig presets, what `check` and VllmLlmInferenceService need
 * to know of them: for each preset, the containers of its workload pod templates (`spec.template`, `spec.worker`,
 * `spec.prefill.template`, `spec.prefill.worker`) with their start-up and liveness probes. It writes one platform's
 * entry of lib/platform/data/llm-config-probes.json, with the source it was read from.
 *
 *   node scripts/derive-llm-config-probes.js <platform> <folder> "<source: repository, tag, path>"
 *
 * Values the controller renders from Go templates (`scheme: '{{ if .GlobalConfig.EnableTLS }}…'`) are left out: they
 * depend on the cluster's settings, and the merge keeps them from the preset. Presets that set no workload pod
 * (router, scheduler, tracing) are listed with no pods, so a baseRef to them is known to leave the probes alone.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'lib', 'platform', 'data', 'llm-config-probes.json');
const POD_PATHS = [['template'], ['worker'], ['prefill', 'template'], ['prefill', 'worker']];
const PROBES = ['startupProbe', 'livenessProbe'];

function yamlFiles(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

/** A copy without the strings the controller renders from Go templates. */
function withoutTemplates(v) {
  if (Array.isArray(v)) return v.filter((x) => !(typeof x === 'string' && x.includes('{{'))).map(withoutTemplates);
  if (v && typeof v === 'object') {
    const out = {};
    for (const [k, x] of Object.entries(v)) if (!(typeof x === 'string' && x.includes('{{'))) out[k] = withoutTemplates(x);
    return out;
  }
  return v;
}

function podOf(spec, at) {
  let v = spec;
  for (const k of at) v = v && typeof v === 'object' ? v[k] : undefined;
  if (!v || typeof v !== 'object') return undefined;
  const containers = (Array.isArray(v.containers) ? v.containers : []).map((c) => {
    const out = { name: c.name };
    for (const p of PROBES) if (c[p]) out[p] = withoutTemplates(c[p]);
    return out;
  });
  return { containers };
}

function presetOf(spec) {
  const out = {};
  for (const at of POD_PATHS) {
    const pod = podOf(spec, at);
    if (!pod) continue;
    if (at.length === 1) out[at[0]] = pod;
    else out.prefill = { ...(out.prefill ?? {}), [at[1]]: pod };
  }
  return out;
}

async function main() {
  const [platform, folder, source] = process.argv.slice(2);
  if (!platform || !folder || !source) {
    console.error('usage: derive-llm-config-probes.js <platform> <folder> "<source>"');
    process.exit(2);
  }
  const presets = {};
  for (const file of yamlFiles(folder)) {
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const o = doc.toJS();
      if (!o || o.kind !== 'LLMInferenceServiceConfig') continue;
      presets[o.metadata.name] = presetOf(o.spec ?? {});
    }
  }
  if (!Object.keys(presets).length) throw new Error(`${folder}: no LLMInferenceServiceConfig found`);
  const data = fs.existsSync(OUT) ? JSON.parse(fs.readFileSync(OUT, 'utf8')) : {};
  const platforms = {
    ...(data.platforms ?? {}),
    [platform]: { source, presets: Object.fromEntries(Object.entries(presets).sort(([a], [b]) => a.localeCompare(b))) },
  };
  const out = {
    $comment:
      "The workload pod templates of KServe's shipped LLMInferenceServiceConfig presets, per platform: each container's startupProbe and livenessProbe (Go-template values left out). Derived by scripts/derive-llm-config-probes.js from the source each platform names; lib/platform/llm-configs.ts loads it.",
    platforms: Object.fromEntries(Object.entries(platforms).sort(([a], [b]) => a.localeCompare(b))),
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  // formatted as `npm run lint` checks it
  const prettier = require('prettier');
  fs.writeFileSync(OUT, await prettier.format(JSON.stringify(out), { ...(await prettier.resolveConfig(OUT)), filepath: OUT }));
  console.log(`${platform}: ${Object.keys(presets).length} presets from ${folder}`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
