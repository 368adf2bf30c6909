#!/usr/bin/env node
/**
 * Derives the command-line flags of the Gateway API Inference Extension's endpoint picker (EPP) at each release, and of
 * llm-d's inference scheduler at the early releases that had a main of their own, from git repositories carrying the
 * upstream release tags. It writes lib/catalog/data/epp-flags.json, which lib/catalog/epp-releases.ts loads; CI reads
 * only that file.
 *
 *   node scripts/derive-epp-flags.js <git dir of gateway-api-inference-extension> <git dir of llm-d-inference-scheduler> [<output file>]
 *
 * The flags of a release are the names of every flag declared on the command line the binary parses: `flag.String(…)`,
 * `flag.Int(…)`, … (Go's flag package, up to v1.2) and `fs.StringVar(&…, "name", …)`, `fs.IntVarP(…)` (spf13/pflag,
 * from v1.3, pkg/epp/server/options.go), in the files that declare them: pkg/ext-proc/main.go (v0.1), cmd/epp/main.go
 * (v0.2, v0.3), cmd/epp/runner/runner.go (v0.4 on), pkg/epp/server/options.go (v1.3 on) and
 * pkg/common/observability/logging/options.go (v1.5). Flags that controller-runtime binds (--kubeconfig, --zap-*) are
 * not listed: the rule judges only flags some release declares. Boolean flags are marked: Go's flag package takes no
 * value word after them.
 */
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const OUT = path.join(path.resolve(__dirname, '..'), 'lib', 'catalog', 'data', 'epp-flags.json');

/** The extension's release tags the EPP was built from (it moved to llm-d/llm-d-router after v1.5.0). */
const GIE_RELEASE = /^v(\d+)\.(\d+)\.(\d+)$/;
const GIE_LAST = [1, 5, 0];
/** The files that declare the EPP's flags. */
const GIE_FILES =
  /^(pkg\/ext-proc\/main\.go|cmd\/epp\/main\.go|cmd\/epp\/runner\/runner\.go|pkg\/epp\/server\/options\.go|pkg\/common\/observability\/logging\/options\.go)$/;
/** llm-d's inference scheduler releases whose cmd/epp/main.go declared its own flags (later ones run the extension's runner). */
const LLMD_OWN = ['0.0.1', '0.0.2', '0.0.3', '0.0.4', '0.0.5', 'v0.1.0'];

const DECLARATION = /\b(?:flag|fs|pflag)\.(String|Int|Bool|Duration|Float64|Uint|Int64|IntSlice|StringSlice)(Var)?(P)?\(\s*(?:&[\w.]+,\s*)?"([^"]+)"/g;

function git(dir, ...args) {
  return execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
}

const older = (a, b) => {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
};

/** The flags the files of a tag declare, each with whether it is boolean; the files read. */
function flagsAt(dir, tag, files) {
  const paths = git(dir, 'ls-tree', '-r', '--name-only', tag)
    .split('\n')
    .filter((p) => files.test(p));
  const flags = {};
  for (const p of paths) {
    const text = git(dir, 'show', `${tag}:${p}`);
    for (const m of text.matchAll(DECLARATION)) flags[m[4]] = m[1] === 'Bool' ? 'bool' : 'value';
  }
  const sorted = Object.fromEntries(
    Object.keys(flags)
      .sort()
      .map((k) => [k, flags[k]]),
  );
  return { files: paths, flags: sorted };
}

function main() {
  const [gie, llmd, out = OUT] = process.argv.slice(2);
  if (!gie || !llmd) throw new Error('usage: derive-epp-flags.js <gie git dir> <llm-d-inference-scheduler git dir> [<out>]');
  const tags = git(gie, 'tag', '--list', 'v*')
    .split('\n')
    .filter((t) => GIE_RELEASE.test(t))
    .map((t) => ({ t, key: GIE_RELEASE.exec(t).slice(1).map(Number) }))
    .filter(({ key }) => !older(GIE_LAST, key))
    .sort((a, b) => (older(a.key, b.key) ? -1 : 1));
  const releases = tags.map(({ t }) => ({ release: t, commit: git(gie, 'rev-list', '-n', '1', t).trim(), ...flagsAt(gie, t, GIE_FILES) }));
  const scheduler = LLMD_OWN.map((t) => ({ release: t, commit: git(llmd, 'rev-list', '-n', '1', t).trim(), ...flagsAt(llmd, t, /^cmd\/epp\/main\.go$/) }));
  const data = {
    $comment:
      "The flags the endpoint picker's command line declares at each release, derived by scripts/derive-epp-flags.js from the release tags (each with its commit and the files read); lib/catalog/epp-releases.ts loads it.",
    source: `kubernetes-sigs/gateway-api-inference-extension ${tags[0].t}…${tags[tags.length - 1].t}; llm-d/llm-d-inference-scheduler ${LLMD_OWN[0]}…${LLMD_OWN[LLMD_OWN.length - 1]} cmd/epp/main.go`,
    releases,
    llmdScheduler: scheduler,
  };
  fs.writeFileSync(out, `${JSON.stringify(data, null, 2)}\n`);
}

main();
