#!/usr/bin/env node
/**
 * Derives, from a git repository of vLLM that carries vllm-project/vllm's release tags, every long option that the
 * parser of vLLM's OpenAI server (`vllm serve`, `python -m vllm.entrypoints.openai.api_server`) accepts in each
 * release, with the first release that has it and, for options the newest release walked no longer has, the last. It
 * writes lib/catalog/data/vllm-flags.json, which lib/catalog/vllm-flags.ts loads; CI reads only that file.
 *
 *   node scripts/derive-vllm-flags.js <git dir of vllm> [<output file>]
 *
 * The releases are the tags vX.Y.Z, vX.Y.Z.postN and vX.Y.Z.N from v0.6.0 on (no release candidates), oldest first;
 * a clone that lacks some tags gives a catalogue of the releases it has, and the rule judges a version between two
 * catalogued releases only by what both of them say. The options of a release are:
 * - every option string of an `add_argument(...)` call of EngineArgs / AsyncEngineArgs.add_cli_args
 *   (vllm/engine/arg_utils.py) and make_arg_parser (vllm/entrypoints/openai/cli_args.py), and of the serve
 *   subcommand's own parser (`serve_parser.add_argument`: vllm/scripts.py up to v0.7, vllm/entrypoints/cli/serve.py);
 * - from v0.10 on, `--<field>` for each field of the frontend dataclasses of cli_args.py (FrontendArgs and its bases),
 *   which make_arg_parser adds in a loop (`f"--{key.replace('_', '-')}"`);
 * - `--no-<flag>` for a flag declared with argparse.BooleanOptionalAction, and, where the release's arg_utils.py has
 *   _compute_kwargs / get_kwargs giving bool fields BooleanOptionalAction, for a flag whose dataclass field is a bool
 *   (any config dataclass field of that name: a little generous, which only ever keeps a flag from being reported);
 * - argparse's own --help.
 * FlexibleArgumentParser never sets allow_abbrev=False (vllm/utils.py, vllm/utils/argparse_utils.py), so argparse also
 * takes a unique prefix of an option; the rule applies that, the catalogue lists whole options only.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { compareKeys, git, releaseTags: allReleaseTags, versionKey } = require('./vllm-release-tags');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'lib', 'catalog', 'data', 'vllm-flags.json');
const FIRST = [0, 6, 0, 0];
/** Files whose every add_argument call is on the server's parser. */
const ENGINE_FILES = ['vllm/engine/arg_utils.py', 'vllm/entrypoints/openai/cli_args.py'];
/** Files of the `vllm serve` subcommand, of which only `serve_parser.add_argument` calls count. */
const SERVE_FILES = ['vllm/scripts.py', 'vllm/entrypoints/cli/serve.py'];
/** Files that declare config dataclasses, for the type of a field (bool: --no-<flag>). */
const CONFIG_FILES = /^vllm\/(config\.py|config\/[a-z_]+\.py|engine\/arg_utils\.py|entrypoints\/openai\/cli_args\.py)$/;

/**
 * Removals that fall between two releases the clone's tags catalogue (it may lack the tags between), each read in
 * vLLM's history: the first release without the option and the change that removed it. Written with the table; a
 * clone whose tags catalogue both sides of the removal checks the entry against them.
 * - --swap-space: vllm-project/vllm#36216 ("[V0 Deprecation] Remove unused swap_space parameter", merged 2026-03)
 *   drops CacheConfig.swap_space and EngineArgs' --swap-space; v0.17.1's EngineArgs still has swap_space, v0.18.0's
 *   does not.
 * - --override-pooler-config, --disable-log-requests (and its --no- form): vllm-project/vllm#29402 ("Scheduled removal
 *   of override_pooler_config and disable_log_requests", merged 2025-11-25, "scheduled for removal in v0.12.0, which
 *   will be the next release"); v0.12.0's release notes list the scheduled removals among its breaking changes.
 */
const SCHEDULED_REMOVAL_0_12 =
  'vllm-project/vllm#29402 (Scheduled removal of override_pooler_config and disable_log_requests, merged 2025-11-25; v0.12.0 lists the scheduled removals among its breaking changes)';
const REMOVALS = {
  '--swap-space': {
    in: '0.18.0',
    change: "vllm-project/vllm#36216 ([V0 Deprecation] Remove unused swap_space parameter: CacheConfig.swap_space and EngineArgs' --swap-space)",
  },
  '--override-pooler-config': { in: '0.12.0', change: SCHEDULED_REMOVAL_0_12 },
  '--disable-log-requests': { in: '0.12.0', change: SCHEDULED_REMOVAL_0_12 },
  '--no-disable-log-requests': { in: '0.12.0', change: SCHEDULED_REMOVAL_0_12 },
};

/**
 * What replaced a removed option, as the change that deprecated it says; written with the table so a finding can name it.
 * - --override-pooler-config → --pooler-config: vllm-project/vllm#25181 (merged 2025-09-18) deprecates
 *   override_pooler_config, "You can pass json to `--pooler-config` and the same thing will happen".
 * - --disable-log-requests → none: its deprecation made request logging opt-in with --enable-log-requests (the
 *   catalogue has it from v0.11.1, beside the deprecated option), so it is dropped, not renamed.
 * - --enable-reasoning → none: vllm-project/vllm#17452 (merged 2025-05, deprecated from v0.9.0: #18404) made
 *   --reasoning-parser alone turn reasoning output on, so the switch has nothing left to do; v0.10.0 lacks it.
 */
const REPLACEMENTS = {
  '--override-pooler-config': {
    by: '--pooler-config',
    change: 'vllm-project/vllm#25181 (Move PoolerConfig to config/pooler.py: deprecates override_pooler_config for --pooler-config, which takes the same JSON)',
  },
  '--disable-log-requests': {
    by: null,
    change: 'request logging became opt-in (--enable-log-requests, catalogued from v0.11.1), so the option has nothing to turn off; drop it',
  },
  '--enable-reasoning': {
    by: null,
    change:
      'vllm-project/vllm#17452 (Deprecate --enable-reasoning: --reasoning-parser alone turns reasoning output on), so the switch has nothing left to do; drop it and keep --reasoning-parser',
  },
  '--no-disable-log-requests': {
    by: '--enable-log-requests',
    change: 'the --no- form of the removed --disable-log-requests: request logging is turned on by --enable-log-requests (v0.11.1 on)',
  },
};

/**
 * Additions that fall between two releases the clone's tags catalogue, each read in vLLM's history: the last release
 * that cannot have the option (the change came after it) and the change.
 * - --default-chat-template-kwargs: vllm-project/vllm#31343 ("add --default-chat-template-kwargs CLI argument") was
 *   opened on 2025-12-25, after v0.13.0 was released (2025-12-19), so no release up to v0.13.0 has it.
 */
const ADDITIONS = {
  '--default-chat-template-kwargs': {
    after: '0.13.0',
    change: 'vllm-project/vllm#31343 (add --default-chat-template-kwargs CLI argument), opened 2025-12-25, after v0.13.0 was released on 2025-12-19',
  },
};

/** The additions, checked where the walked tags hold the release an entry says cannot have the option. */
function checkedAdditions(releases, seen) {
  for (const [flag, addition] of Object.entries(ADDITIONS)) {
    if (seen.get(flag)?.releases.includes(addition.after)) throw new Error(`${flag}: the tags walked have it in ${addition.after}`);
  }
  return ADDITIONS;
}

/** The removals whose release the walked tags place: the option in the release before, absent from the removal's. */
function checkedRemovals(releases, seen) {
  for (const [flag, removal] of Object.entries(REMOVALS)) {
    const i = releases.findIndex((r) => r.version === removal.in);
    const has = (version) => seen.get(flag)?.releases.includes(version) ?? false;
    if (i > 0 && (has(removal.in) || !has(releases[i - 1].version))) throw new Error(`${flag}: the tags walked do not place its removal in ${removal.in}`);
  }
  return REMOVALS;
}

function show(dir, tag, file) {
  try {
    return git(dir, 'show', `${tag}:${file}`);
  } catch {
    return '';
  }
}

/** The text between the parenthesis at `open` and its closing one (strings and comments taken into account). */
function balanced(text, open) {
  let depth = 0;
  let quote = null;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = null;
      }
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += quote.length - 1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

/**
 * The add_argument calls of a file: the receiver, the option strings (the leading string literals that start with
 * `--`, before any keyword or ** argument) and whether the call declares BooleanOptionalAction.
 */
function addArgumentCalls(text) {
  const calls = [];
  for (const m of text.matchAll(/(\w+)\.add_argument\(/g)) {
    const body = balanced(text, m.index + m[0].length - 1);
    const options = [];
    for (const piece of body.split(',')) {
      const s = piece.trim();
      const literal = /^["'](-{1,2}[A-Za-z0-9][\w.-]*)["']$/.exec(s);
      if (literal) options.push(literal[1]);
      else if (s) break;
    }
    const kwargs = /\*\*(\w+)\[\s*["'](\w+)["']\s*\]/.exec(body);
    calls.push({ receiver: m[1], options, booleanOptional: /BooleanOptionalAction/.test(body), field: kwargs?.[2] });
  }
  return calls;
}

/** The fields of the classes of a file, by class name: `name: type = …` at the class body's indentation. */
function classFields(text) {
  const classes = new Map();
  for (const m of text.matchAll(/^class (\w+)(?:\(([^)]*)\))?:\s*$/gm)) {
    const rest = text.slice(m.index + m[0].length);
    // the class ends at the next definition at column 0 (field docstrings may have lines there)
    const end = rest.search(/^(class|def|@|if)\b/m);
    const body = end < 0 ? rest : rest.slice(0, end);
    const fields = [];
    for (const f of body.matchAll(/^ {4}([a-z_][a-z0-9_]*)\s*:\s*([^=\n]+?)\s*(?:=|$)/gm)) fields.push({ name: f[1], type: f[2] });
    classes.set(m[1], { bases: (m[2] ?? '').split(',').map((b) => b.trim()), fields });
  }
  return classes;
}

/** `--<field>` for each field of the frontend dataclasses that make_arg_parser adds in a loop (v0.10 on). */
function frontendFields(cliArgs) {
  if (!/f["']--\{key\.replace\(["']_["'], ["']-["']\)\}["']/.test(cliArgs)) return [];
  const classes = classFields(cliArgs);
  const out = [];
  const add = (name, seen = new Set()) => {
    const c = classes.get(name);
    if (!c || seen.has(name)) return;
    seen.add(name);
    for (const b of c.bases) add(b, seen);
    out.push(...c.fields);
  };
  add('FrontendArgs');
  return out;
}

/** The names of every dataclass field typed bool (or bool | None) in the release's config sources. */
function boolFields(dir, tag) {
  const files = git(dir, 'ls-tree', '-r', '--name-only', tag, 'vllm')
    .split('\n')
    .filter((f) => CONFIG_FILES.test(f));
  const out = new Set();
  for (const f of files) {
    for (const [, c] of classFields(show(dir, tag, f))) for (const x of c.fields) if (/\bbool\b/.test(x.type)) out.add(x.name);
  }
  return out;
}

function flagsAt(dir, tag) {
  const flags = new Set(['--help']);
  const arg = show(dir, tag, ENGINE_FILES[0]);
  const computesBooleans = /BooleanOptionalAction/.test(arg) && /def (_compute_kwargs|get_kwargs)\b/.test(arg);
  const bools = computesBooleans ? boolFields(dir, tag) : new Set();
  const calls = [
    ...ENGINE_FILES.flatMap((f) => addArgumentCalls(show(dir, tag, f))),
    ...SERVE_FILES.flatMap((f) => addArgumentCalls(show(dir, tag, f)).filter((c) => c.receiver === 'serve_parser')),
  ];
  for (const c of calls) {
    for (const o of c.options.filter((x) => x.startsWith('--'))) {
      flags.add(o);
      if (c.booleanOptional || (c.field && bools.has(c.field))) flags.add(`--no-${o.slice(2)}`);
    }
  }
  for (const f of frontendFields(show(dir, tag, ENGINE_FILES[1]))) {
    const flag = `--${f.name.replace(/_/g, '-')}`;
    flags.add(flag);
    if (computesBooleans && /\bbool\b/.test(f.type)) flags.add(`--no-${flag.slice(2)}`);
  }
  return flags;
}

function releaseTags(dir) {
  const tags = allReleaseTags(dir).filter((t) => compareKeys(versionKey(t), FIRST) >= 0);
  if (!tags.length) throw new Error(`${dir}: no release tags (v0.6.0 or later); give a clone of vllm-project/vllm with its tags`);
  return tags;
}

async function main() {
  const [dir, out = OUT] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: derive-vllm-flags.js <git dir of vllm> [<output file>]');
    process.exit(2);
  }
  const releases = [];
  const seen = new Map();
  for (const tag of releaseTags(dir)) {
    const flags = flagsAt(dir, tag);
    if (flags.size < 50) throw new Error(`${tag}: only ${flags.size} options found in ${ENGINE_FILES.join(', ')}`);
    const version = tag.slice(1);
    releases.push({ version, commit: git(dir, 'rev-parse', `${tag}^{commit}`).trim().slice(0, 12), flags: flags.size });
    for (const f of flags) {
      const s = seen.get(f) ?? { since: version, releases: [] };
      s.releases.push(version);
      seen.set(f, s);
    }
  }
  const newest = releases[releases.length - 1].version;
  const flags = {};
  for (const f of [...seen.keys()].sort()) {
    const s = seen.get(f);
    const first = releases.findIndex((r) => r.version === s.since);
    const contiguous = releases.slice(first).map((r) => r.version);
    // a flag absent from some release between its first and last is listed with each release that has it
    const whole = s.releases.length === contiguous.length || s.releases.every((v, i) => v === contiguous[i]);
    const until = s.releases[s.releases.length - 1];
    if (!whole) flags[f] = { releases: s.releases };
    else flags[f] = until === newest ? { since: s.since } : { since: s.since, until };
  }
  const table = {
    $comment:
      "Every long option vLLM's OpenAI server parser accepts, with the first catalogued release that has it and the last for those the newest no longer has (and, in removals, the release that removed an option where the catalogue skips the releases between, as read in vLLM's history). Derived by scripts/derive-vllm-flags.js from vllm-project/vllm's release tags (each listed with its commit); lib/catalog/vllm-flags.ts loads it.",
    source: `vllm-project/vllm release tags v${releases[0].version}…v${newest}: vllm/engine/arg_utils.py, vllm/entrypoints/openai/cli_args.py, the serve subcommand (vllm/scripts.py, vllm/entrypoints/cli/serve.py), config dataclasses for bool fields`,
    releases,
    removals: checkedRemovals(releases, seen),
    replacements: REPLACEMENTS,
    additions: checkedAdditions(releases, seen),
    flags,
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // formatted as `npm run lint` checks it
  const prettier = require('prettier');
  fs.writeFileSync(out, await prettier.format(JSON.stringify(table), { ...(await prettier.resolveConfig(OUT)), filepath: out }));
  console.log(`${Object.keys(flags).length} options over ${releases.length} releases (v${releases[0].version}…v${newest})`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
