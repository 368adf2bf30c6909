/**
 * What the scripts that derive tables from a git repository of vLLM share: reading the repository, and vLLM's release
 * tags (vX.Y.Z, vX.Y.Z.postN, vX.Y.Z.N; no release candidates) and their order.
 */
'use strict';
const { execFileSync } = require('child_process');

const RELEASE_TAG = /^v(\d+)\.(\d+)\.(\d+)(?:\.post(\d+)|\.(\d+))?$/;

function git(dir, ...args) {
  return execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
}

/** The numbers a release tag orders by: v0.8.5.post1 → [0, 8, 5, 1], v0.9.0.1 → [0, 9, 0, 1]. */
function versionKey(tag) {
  const m = RELEASE_TAG.exec(tag);
  return [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? m[5] ?? 0)];
}

function compareKeys(a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** The repository's release tags, oldest first. */
function releaseTags(dir) {
  return git(dir, 'tag', '--list', 'v*')
    .split('\n')
    .filter((t) => RELEASE_TAG.test(t))
    .sort((a, b) => compareKeys(versionKey(a), versionKey(b)));
}

module.exports = { RELEASE_TAG, git, versionKey, compareKeys, releaseTags };
