#!/usr/bin/env node
/**
 * Derives the built-in API versions and kinds each Kubernetes release serves, into schemas/k8s/k8s-served-apis.json,
 * from the typed bindings cdk8s-plus-NN ships for Kubernetes 1.NN (lib/imports/k8s.js, generated from that release's
 * OpenAPI definitions): every class's `static GVK = { apiVersion, kind }`, the `…List` kinds left out (kubectl reads
 * lists itself; nobody applies one).
 *
 *   npm run derive-k8s-served
 *
 * The packages are fetched with `npm pack` into a temporary folder (they are not dependencies: only their bindings'
 * API list is read). `kind-not-served` judges core API versions against the releases a platform runs on
 * (lib/platform/served-apis.ts).
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'schemas', 'k8s', 'k8s-served-apis.json');

/** Kubernetes release → the cdk8s-plus package that binds it. */
const PACKAGES = {
  1.32: 'cdk8s-plus-32@2.5.92',
  1.33: 'cdk8s-plus-33@2.5.57',
  1.34: 'cdk8s-plus-34@2.0.54',
};

/** `{ "apps/v1": ["Deployment", …] }` from one k8s.js. */
function servedIn(js) {
  const out = {};
  const gvk = /static GVK = \{\s*apiVersion: '([^']+)',\s*kind: '([^']+)',\s*\}/g;
  for (let m = gvk.exec(js); m; m = gvk.exec(js)) {
    const [, apiVersion, kind] = m;
    if (kind.endsWith('List')) continue;
    (out[apiVersion] = out[apiVersion] || []).push(kind);
  }
  const sorted = {};
  for (const k of Object.keys(out).sort()) sorted[k] = [...new Set(out[k])].sort();
  return sorted;
}

function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-served-'));
  try {
    const releases = {};
    for (const [release, spec] of Object.entries(PACKAGES)) {
      const file = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', tmp], { encoding: 'utf8' }).trim().split('\n').pop();
      const js = execFileSync('tar', ['-xzf', path.join(tmp, file), '-O', 'package/lib/imports/k8s.js'], { encoding: 'utf8', maxBuffer: 64 << 20 });
      releases[release] = servedIn(js);
      if (!releases[release]['apps/v1']) throw new Error(`${spec}: no apps/v1 kinds found; has the bindings' layout changed?`);
    }
    const source = `${Object.values(PACKAGES).join(', ')} lib/imports/k8s.js (generated from each release's OpenAPI definitions); List kinds left out`;
    fs.writeFileSync(OUT, `${JSON.stringify({ source, releases }, null, 1)}\n`);
    console.log(`wrote ${path.relative(ROOT, OUT)}: ${Object.keys(releases).join(', ')}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
