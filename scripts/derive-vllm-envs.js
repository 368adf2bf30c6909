#!/usr/bin/env node
/**
 * Derives every VLLM_* environment variable some vLLM version reads, from a git repository holding vllm-project/vllm's
 * history. It writes lib/catalog/data/vllm-envs.json, which lib/catalog/vllm-envs.ts loads; CI reads only that file.
 *
 *   node scripts/derive-vllm-envs.js <git dir of vllm> <commit of vllm's main> [<output file>]
 *
 * vLLM reads its variables through vllm/envs.py: the keys of its `environment_variables` dict are the names it knows,
 * and from #33581 (2026-02) validate_environ logs "Unknown vLLM environment variable detected" for any VLLM_* name of
 * the process's environment that is not a key (an error under --fail-on-environ-validation), which is otherwise
 * ignored. The names are walked across versions, so that a name a release dropped or added still counts as known:
 * - the keys of `environment_variables` in vllm/envs.py at every commit of main (up to the commit given) that changed
 *   that file: every release branches from main, so each name any release knows is among them;
 * - the same at each release commit of lib/catalog/data/vllm-flags.json the clone holds (a post release may carry a
 *   cherry-picked name);
 * - names some module reads straight from the environment (`os.environ.get("VLLM_…")`, `os.getenv("VLLM_…")`,
 *   `os.environ["VLLM_…"]`, `"VLLM_…" in os.environ`) in vllm/ at the commit given and at each release commit: such a
 *   name is read though envs.py does not list it.
 * A clone lacking some releases still gives every name main had; a name only a later main adds is not listed (the
 * catalogue names the commit it stops at).
 */
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'lib', 'catalog', 'data', 'vllm-envs.json');
const FLAGS = path.join(ROOT, 'lib', 'catalog', 'data', 'vllm-flags.json');
const NAME = /^VLLM_[A-Z0-9_]+$/;
/** A key of the dict: `"VLLM_X":` or `'VLLM_X':` at the start of a line. */
const DICT_KEY = /^\s*["'](VLLM_[A-Z0-9_]+)["']\s*:/gm;
/** A direct read of the environment by name. */
const DIRECT_READ =
  /(?:environ\.get|getenv|environ\.setdefault)\(\s*["'](VLLM_[A-Z0-9_]+)["']|environ\[\s*["'](VLLM_[A-Z0-9_]+)["']\s*\]|["'](VLLM_[A-Z0-9_]+)["']\s+(?:not\s+)?in\s+os\.environ/g;

function git(dir, ...args) {
  return execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
}

function tryGit(dir, ...args) {
  try {
    return git(dir, ...args);
  } catch {
    return undefined;
  }
}

/** The keys of `environment_variables` in one envs.py: from the line that opens the dict to the first `}` at column 0. */
function dictKeys(text) {
  const start = text.search(/^environment_variables\b.*=\s*\{/m);
  if (start < 0) return [];
  const end = text.indexOf('\n}', start);
  const body = text.slice(start, end < 0 ? undefined : end);
  return [...body.matchAll(DICT_KEY)].map((m) => m[1]);
}

/**
 * Names read straight from the environment anywhere in vllm/ at a commit (platforms/, model_executor/, entrypoints/…):
 * each file that reads the environment and names a VLLM_ variable is read whole, so a call written over several lines
 * (`os.environ.get(` on one line, the name on the next, as formatters wrap long calls) is found too.
 */
function directReads(dir, commit) {
  const names = new Set();
  const files = (tryGit(dir, 'grep', '-l', '-E', 'environ|getenv', commit, '--', 'vllm/*.py') ?? '').split('\n').filter(Boolean);
  for (const entry of files) {
    // `git grep <commit>` prints <commit>:<path>
    const text = tryGit(dir, 'show', entry) ?? '';
    if (!text.includes('VLLM_')) continue;
    for (const m of text.matchAll(DIRECT_READ)) names.add(m[1] ?? m[2] ?? m[3]);
  }
  return [...names];
}

function main() {
  const [dir, head, out = OUT] = process.argv.slice(2);
  if (!dir || !head) throw new Error('usage: derive-vllm-envs.js <git dir of vllm> <commit of main> [<output file>]');
  const headCommit = git(dir, 'rev-parse', `${head}^{commit}`).trim();
  const headDate = git(dir, 'show', '-s', '--format=%cs', headCommit).trim();
  const names = new Map(); // name → how it is known
  const add = (name, how) => {
    if (NAME.test(name) && !names.has(name)) names.set(name, how);
  };
  const commits = git(dir, 'log', '--format=%H', headCommit, '--', 'vllm/envs.py').split('\n').filter(Boolean);
  for (const c of commits) for (const n of dictKeys(tryGit(dir, 'show', `${c}:vllm/envs.py`) ?? '')) add(n, 'envs');
  const releases = JSON.parse(fs.readFileSync(FLAGS, 'utf8')).releases;
  const walked = [];
  for (const r of releases) {
    const full = tryGit(dir, 'rev-parse', '--verify', '-q', `${r.commit}^{commit}`)?.trim();
    if (!full) continue;
    walked.push({ version: r.version, commit: r.commit });
    for (const n of dictKeys(tryGit(dir, 'show', `${full}:vllm/envs.py`) ?? '')) add(n, 'envs');
    for (const n of directReads(dir, full)) add(n, 'read');
  }
  for (const n of directReads(dir, headCommit)) add(n, 'read');
  const sorted = [...names.keys()].sort();
  const table = {
    $comment:
      "Every VLLM_* environment variable some vLLM version reads: the keys of vllm/envs.py's environment_variables at every commit of main that changed it, up to the head named, and at each release commit the clone holds, and names a module of vllm/ reads straight from the environment. Derived by scripts/derive-vllm-envs.js; lib/catalog/vllm-envs.ts loads it.",
    source: `vllm-project/vllm vllm/envs.py environment_variables (validate_environ warns on any other VLLM_* name) at the ${commits.length} commits of main that changed it up to ${headCommit.slice(0, 12)} (${headDate}) and at the release commits ${walked.map((r) => `v${r.version}`).join(', ')}; direct os.environ reads in vllm/`,
    head: { commit: headCommit.slice(0, 12), date: headDate },
    releases: walked,
    names: sorted,
    readDirectly: sorted.filter((n) => names.get(n) === 'read'),
  };
  fs.writeFileSync(out, `${JSON.stringify(table, null, 2)}\n`);
  console.log(`${sorted.length} names from ${commits.length} commits of envs.py and ${walked.length} releases (head ${headCommit.slice(0, 12)}, ${headDate})`);
}

main();
