#!/usr/bin/env node
/**
 * Derives, from a git repository of vLLM that carries vllm-project/vllm's release tags, the first vLLM release whose
 * model registry names each architecture (the `architectures` entry of a checkpoint's config.json), and the last one
 * for architectures the newest release no longer has. It writes lib/catalog/data/vllm-architectures.json, which
 * lib/catalog/vllm-architectures.ts loads; CI reads only that file.
 *
 *   node scripts/derive-vllm-architectures.js <git dir of vllm> [<output file>]
 *
 * The releases are the tags vX.Y.Z, vX.Y.Z.postN and vX.Y.Z.N (no release candidates), oldest first. The registry of
 * a release is every `{ "Architecture": … }` table of the files vLLM looked architectures up in over its history:
 * vllm/model_executor/models/registry.py (v0.6.3 on), vllm/model_executor/models/__init__.py (v0.2.1 to v0.6.2) and
 * vllm/model_executor/model_loader.py (`_MODEL_REGISTRY`, up to v0.2.x). Tables that are not a lookup are left out:
 * ROCm's partly-supported notes, _PREVIOUSLY_SUPPORTED_MODELS, _OOT_SUPPORTED_MODELS (plugins) and
 * _TRANSFORMERS_BACKEND_MODELS (vLLM's own fallback class names, which no config.json names).
 *
 * Each release is listed with its commit, so that the table can be checked against any clone of vllm-project/vllm.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { git, releaseTags } = require('./vllm-release-tags');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'lib', 'catalog', 'data', 'vllm-architectures.json');
const REGISTRY_FILES = ['vllm/model_executor/models/registry.py', 'vllm/model_executor/models/__init__.py', 'vllm/model_executor/model_loader.py'];
/** Tables whose keys are not architectures vLLM loads a checkpoint of. */
const NOT_A_LOOKUP = /ROCM|PREVIOUSLY|OOT|TRANSFORMERS_BACKEND/;
/** The architecture keys of the lookup tables of one file's text. */
function architecturesOf(text) {
  const out = new Set();
  // a table: `_NAME = {` or `_NAME: Dict[...] = {` at the start of a line, closed by `}` at the start of a line
  const table = /^(_[A-Z_]+)\s*(?::[^=\n]*)?=\s*\{\s*$([\s\S]*?)^\}/gm;
  for (const m of text.matchAll(table)) {
    if (!/MODEL/.test(m[1]) || NOT_A_LOOKUP.test(m[1])) continue;
    for (const line of m[2].split('\n')) {
      const key = /^\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*:/.exec(line);
      if (key) out.add(key[1]);
    }
  }
  return out;
}

function registryAt(dir, tag) {
  const out = new Set();
  for (const file of REGISTRY_FILES) {
    let text;
    try {
      text = git(dir, 'show', `${tag}:${file}`);
    } catch {
      continue;
    }
    for (const a of architecturesOf(text)) out.add(a);
  }
  return out;
}

async function main() {
  const [dir, out = OUT] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: derive-vllm-architectures.js <git dir of vllm> [<output file>]');
    process.exit(2);
  }
  const tags = releaseTags(dir);
  if (!tags.length) throw new Error(`${dir}: no release tags (vX.Y.Z); give a clone of vllm-project/vllm with its tags`);
  const releases = [];
  const seen = new Map();
  for (const tag of tags) {
    const registry = registryAt(dir, tag);
    if (!registry.size) throw new Error(`${tag}: no architecture found in ${REGISTRY_FILES.join(', ')}`);
    const version = tag.slice(1);
    releases.push({ version, commit: git(dir, 'rev-parse', `${tag}^{commit}`).trim().slice(0, 12), architectures: registry.size });
    for (const a of registry) {
      const s = seen.get(a) ?? { since: version, releases: [] };
      s.releases.push(version);
      s.until = version;
      seen.set(a, s);
    }
  }
  const newest = releases[releases.length - 1].version;
  const architectures = {};
  for (const a of [...seen.keys()].sort()) {
    const s = seen.get(a);
    architectures[a] = s.until === newest ? { since: s.since } : { since: s.since, until: s.until };
  }
  const table = {
    $comment:
      "The first vLLM release whose model registry names each architecture (config.json `architectures`), and the last for those the newest release walked no longer has. Derived by scripts/derive-vllm-architectures.js from vllm-project/vllm's release tags (each listed with its commit); lib/catalog/vllm-architectures.ts loads it.",
    source: `vllm-project/vllm release tags v${releases[0].version}…v${newest}: vllm/model_executor/models/registry.py, earlier models/__init__.py and model_loader.py`,
    releases,
    architectures,
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // formatted as `npm run lint` checks it
  const prettier = require('prettier');
  fs.writeFileSync(out, await prettier.format(JSON.stringify(table), { ...(await prettier.resolveConfig(OUT)), filepath: out }));
  const gaps = Object.entries(Object.fromEntries(seen)).filter(([, s]) => {
    const first = releases.findIndex((r) => r.version === s.since);
    const last = releases.findIndex((r) => r.version === s.until);
    return s.releases.length !== last - first + 1;
  });
  console.log(`${Object.keys(architectures).length} architectures over ${releases.length} releases (v${releases[0].version}…v${newest})`);
  if (gaps.length) console.log(`absent from some release between first and last: ${gaps.map(([a]) => a).join(', ')}`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
