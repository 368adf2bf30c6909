import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Finding, runChecks } from '../../lib';
import { FLAG_RELEASES, nearestFlags, vllmFlagVerdict } from '../../lib/catalog/vllm-flags';
import { compareVllmVersions } from '../../lib/catalog/vllm-architectures';
import { ROOT, tempDir, vllmDeployment as deployment } from '../util';

const RULE = 'vllm-flag-unknown';
const DATA = JSON.parse(fs.readFileSync(path.join(ROOT, 'lib', 'catalog', 'data', 'vllm-flags.json'), 'utf8'));

/** Whether the catalogue lists an option for a release. */
function has(flag: string, version: string): boolean {
  const r = DATA.flags[flag];
  if (!r) return false;
  if (r.releases) return r.releases.includes(version);
  return compareVllmVersions(r.since, version) <= 0 && (r.until === undefined || compareVllmVersions(version, r.until) <= 0);
}

describe("the catalogue of vLLM's server options", () => {
  // each expectation read by hand in the release's source at its tag
  test('v0.6.0: explicit add_argument calls of arg_utils.py and cli_args.py, and vllm/scripts.py serve --config', () => {
    for (const f of [
      '--model',
      '--max-model-len',
      '--engine-use-ray',
      '--device',
      '--disable-log-requests',
      '--uvicorn-log-level',
      '--config',
      '--enable-auto-tool-choice',
      '--help',
    ]) {
      expect({ f, has: has(f, '0.6.0') }).toEqual({ f, has: true });
    }
    // BooleanOptionalAction for --enable-prefix-caching came in v0.6.5; --headless with vllm/entrypoints/cli/serve.py
    for (const f of ['--no-enable-prefix-caching', '--headless', '--api-server-count', '--device-type', '--max-model-length']) {
      expect({ f, has: has(f, '0.6.0') }).toEqual({ f, has: false });
    }
    expect(has('--no-enable-prefix-caching', '0.6.5')).toBe(true);
  });

  test("v0.9.0: serve_parser's --headless in vllm/entrypoints/cli/serve.py, --api-server-count only from v0.9.1", () => {
    expect(has('--headless', '0.9.0')).toBe(true);
    expect(has('--api-server-count', '0.9.0')).toBe(false);
    expect(has('--api-server-count', '0.9.1')).toBe(true);
    expect(has('--engine-use-ray', '0.9.0')).toBe(false);
    expect(has('--device', '0.9.0')).toBe(true);
  });

  test('v0.11.1: FrontendArgs fields through the loop of make_arg_parser, --no-<field> for bool fields, --device gone', () => {
    for (const f of [
      '--enable-auto-tool-choice',
      '--no-enable-auto-tool-choice',
      '--enable-log-requests',
      '--disable-log-requests',
      '--no-enable-prefix-caching',
      '--api-server-count',
    ]) {
      expect({ f, has: has(f, '0.11.1') }).toEqual({ f, has: true });
    }
    expect(has('--device', '0.11.1')).toBe(false);
    expect(DATA.flags['--device']).toEqual({ since: '0.6.0', until: '0.9.1' });
    // AsyncEngineArgs dropped --disable-log-requests after v0.11.2
    expect(DATA.flags['--disable-log-requests'].until).toBe('0.11.2');
  });

  test('its releases are in order, from v0.6.0, each naming its commit', () => {
    expect(FLAG_RELEASES[0]).toBe('0.6.0');
    expect([...FLAG_RELEASES].sort(compareVllmVersions)).toEqual(FLAG_RELEASES);
    for (const r of DATA.releases) expect(r.commit).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe("the verdict on an option, by argparse's reading", () => {
  test('an option no release has is unknown whatever the version', () => {
    expect(vllmFlagVerdict('--device-type')).toEqual({ kind: 'unknown', nearest: ['--device'] });
    expect(vllmFlagVerdict('--max-model-length', '0.9.1')).toMatchObject({ kind: 'unknown', nearest: ['--max-model-len'] });
  });

  test('a unique or ambiguous prefix of an option is taken as it (allow_abbrev stays on)', () => {
    expect(vllmFlagVerdict('--max-model', '0.6.0')).toEqual({ kind: 'accepted' });
    expect(vllmFlagVerdict('--gpu-mem', '0.11.1')).toEqual({ kind: 'accepted' });
    expect(vllmFlagVerdict('--max')).toEqual({ kind: 'accepted' });
  });

  test("the image's release lacks an option others have: when it came or went", () => {
    expect(vllmFlagVerdict('--device', '0.11.1')).toMatchObject({ kind: 'absent', when: 'removed after 0.9.1' });
    // 0.9.0.1 came between 0.9.0 and 0.9.1 and is not catalogued
    expect(vllmFlagVerdict('--api-server-count', '0.8.4')).toMatchObject({ kind: 'absent', when: 'added after 0.9.0, by 0.9.1' });
    // 0.8.5 and 0.8.5.post1 came between 0.8.4 and 0.9.0; --no-enable-prefix-caching's predecessor 0.6.4.post1 is catalogued
    expect(vllmFlagVerdict('--headless', '0.8.4')).toMatchObject({ kind: 'absent', when: 'added after 0.8.4, by 0.9.0' });
    expect(vllmFlagVerdict('--no-enable-prefix-caching', '0.6.4')).toMatchObject({ kind: 'absent', when: 'added in 0.6.5' });
  });

  test('a release between two catalogued ones lacks an option only where both lack it', () => {
    // 0.10.1 lies between 0.10.0 (no --enable-log-requests) and 0.11.1 (has it): it cannot be told
    expect(vllmFlagVerdict('--enable-log-requests', '0.10.1')).toEqual({ kind: 'accepted' });
    expect(vllmFlagVerdict('--device', '0.10.1')).toMatchObject({ kind: 'absent' });
  });

  test('a release outside the catalogue judges only options of no release', () => {
    expect(vllmFlagVerdict('--engine-use-ray', '0.5.5')).toEqual({ kind: 'accepted' });
    expect(vllmFlagVerdict('--grpc', '0.25.0')).toEqual({ kind: 'accepted' });
    expect(vllmFlagVerdict('--device-type', '0.25.0')).toMatchObject({ kind: 'unknown' });
  });

  test('the nearest options: by edit distance, an option the word extends, never --no- forms for a plain word', () => {
    expect(nearestFlags('--tensor-paralel-size')).toEqual(['--tensor-parallel-size']);
    expect(nearestFlags('--enable-prefix-cache')[0]).toBe('--enable-prefix-caching');
    expect(nearestFlags('--completely-else')).toEqual([]);
  });
});

function findings(manifests: any[]): Finding[] {
  return runChecks(
    manifests.map((manifest) => ({ manifest })),
    { models: new Map(), platform: 'rhoai-3.0', rules: [RULE] },
  );
}

describe('vllm-flag-unknown', () => {
  test("an option of another server, the image's version unknown: an error naming container, option, nearest and fix", () => {
    const [f, ...rest] = findings([deployment('vllm/vllm-openai:latest', ['vllm serve m --device-type cpu'], ['/bin/sh', '-c'])]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: RULE, severity: 'error', object: 'Deployment/ai/llm' });
    expect(f.message).toMatch(
      /^--device-type \(container 'vllm' args \(shell script\)\) goes to vLLM: no vLLM release from 0\.6\.0 to \d+\.\d+\.\d+ has --device-type/,
    );
    expect(f.message).toMatch(/the nearest options are --device \(0\.6\.0–0\.9\.1\): write the option meant, or drop it$/);
  });

  test('an option written without its dashes (max_num_batched_tokens=1024): an error naming the option; near misses: a value of the option before it, a word that is no option', () => {
    const f = findings([deployment('vllm/vllm-openai:v0.11.1', ['--model', 'm', 'max_num_batched_tokens=1024'])]);
    expect(f.map((x) => [x.severity, x.message])).toEqual([
      ['error', expect.stringMatching(/max_num_batched_tokens=1024 \(container 'vllm' args\) has no leading dashes: .*write --max-num-batched-tokens=1024$/)],
    ]);
    expect(findings([deployment('vllm/vllm-openai:v0.11.1', ['--model', 'm', '--override-generation-config', 'max_new_tokens=64'])])).toEqual([]);
    expect(findings([deployment('vllm/vllm-openai:v0.11.1', ['--model', 'm', '--served-model-name', 'team_model=a'])])).toEqual([]);
    expect(findings([deployment('vllm/vllm-openai:v0.11.1', ['--model', 'm', '--max-num-batched-tokens=1024'])])).toEqual([]);
  });

  test("the image's release lacks an option: added in, removed after", () => {
    const older = findings([deployment('vllm/vllm-openai:v0.8.4', ['--model', 'm', '--headless'])]);
    expect(older.map((f) => f.message)).toEqual([expect.stringMatching(/vLLM 0\.8\.4 has no --headless \(added after 0\.8\.4, by 0\.9\.0\)/)]);
    const newer = findings([deployment('vllm/vllm-openai:v0.11.1', ['--model', 'm', '--device=cuda'])]);
    expect(newer.map((f) => f.message)).toEqual([expect.stringMatching(/vLLM 0\.11\.1 has no --device \(removed after 0\.9\.1\)/)]);
  });

  test('a release the catalogue skipped, given an option removed between its neighbours: a warning naming both, not silence', () => {
    // --disable-frontend-multiprocessing: in 0.11.2, gone by 0.19.0; 0.12.0 to 0.18.x are not catalogued, nor is its removal placed
    expect(has('--disable-frontend-multiprocessing', '0.11.2') && !has('--disable-frontend-multiprocessing', '0.19.0')).toBe(true);
    const between = findings([deployment('vllm/vllm-openai:v0.18.0', ['--model', 'm', '--disable-frontend-multiprocessing'])]);
    expect(between.map((f) => [f.severity, f.message])).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^--disable-frontend-multiprocessing \(container 'vllm' args\) goes to vLLM 0\.18\.0 .*: vLLM 0\.11\.2 has it and 0\.19\.0 no longer does/,
        ),
      ],
    ]);
    // a removal the history places in the gap (--override-pooler-config, 0.12.0) is an error there, naming the replacement
    expect(findings([deployment('vllm/vllm-openai:v0.18.0', ['--model', 'm', '--override-pooler-config', '{}'])]).map((f) => [f.severity, f.message])).toEqual([
      ['error', expect.stringMatching(/vLLM 0\.18\.0 has no --override-pooler-config \(removed in 0\.12\.0, .*--pooler-config/)],
    ]);
    // a catalogued release that has it, and one that is known to lack it, keep their verdicts
    expect(findings([deployment('vllm/vllm-openai:v0.11.2', ['--model', 'm', '--override-pooler-config', '{}'])])).toEqual([]);
    expect(findings([deployment('vllm/vllm-openai:v0.19.0', ['--model', 'm', '--override-pooler-config', '{}'])]).map((f) => f.severity)).toEqual(['error']);
    // an option added in the gap is not judged on a release inside it
    expect(findings([deployment('vllm/vllm-openai:v0.18.0', ['--model', 'm', '--pooler-config', '{}'])])).toEqual([]);
  });

  test('an image newer than the catalogue: slips of known options as warnings, options removed before the newest catalogued as errors', () => {
    const got = findings([deployment('vllm/vllm-openai:v0.25.0', ['--model', 'm', '--max-model-length', '2', '--enable-cutedsl-warmup', '--device', 'cuda'])]);
    // --enable-cutedsl-warmup is near no option: it may be new; --device went after 0.9.1 (vllm-project/vllm#21349)
    expect(got.map((f) => [f.severity, f.message.split(' ')[0]])).toEqual([
      ['error', '--device'],
      ['warning', '--max-model-length'],
    ]);
    expect(got[1].message).toMatch(/; the image is newer than \d+\.\d+\.\d+, the newest release catalogued, may have it$/);
    expect(got[0].message).toMatch(/goes to the vLLM of vllm\/vllm-openai:v0\.25\.0, \d+\.\d+\.\d+ or newer, and vLLM removed --device after 0\.9\.1/);
  });

  test("vLLM's own image at latest (or untagged) is the newest release: --device, removed after 0.9.1, is an error; a digest or another repository's latest only a warning", () => {
    for (const image of ['vllm/vllm-openai:latest', 'docker.io/vllm/vllm-openai']) {
      const got = findings([deployment(image, ['--model', 'facebook/opt-125m', '--device', 'cpu'])]);
      expect(got.map((f) => [f.severity, f.message.split(' ')[0]])).toEqual([['error', '--device']]);
    }
    // the release unknown: a warning naming the release without it
    const unknown = (image: string, args: string[], command?: string[]) =>
      findings([deployment(image, args, command)]).map((f) => [f.severity, /0\.10\.0 no longer does/.test(f.message)]);
    expect(unknown('vllm/vllm-openai@sha256:' + 'a'.repeat(64), ['--model', 'm', '--device', 'cpu'])).toEqual([['warning', true]]);
    expect(unknown('registry.example.com/team/vllm:latest', ['vllm', 'serve', 'm', '--device', 'cpu'], [])).toEqual([['warning', true]]);
  });

  test("the image's version unknown: a slip of a known option is an error, an option near none a warning", () => {
    const got = findings([deployment('vllm/vllm-openai:latest', ['--model', 'm', '--max-model-length', '2', '--enable-cutedsl-warmup'])]);
    expect(got.map((f) => [f.severity, f.message.split(' ')[0]])).toEqual([
      ['error', '--max-model-length'],
      ['warning', '--enable-cutedsl-warmup'],
    ]);
    expect(got[1].message).toMatch(/; the image's vLLM version is not known, and a release after \d+\.\d+\.\d+, the newest release catalogued, may have it$/);
  });

  test('an option where a value was expected is still an option to argparse', () => {
    const got = findings([deployment('vllm/vllm-openai:v0.11.1', ['--model', 'm', '--served-model-name', '--chat-model'])]);
    expect(got.map((f) => f.message.split(' ')[0])).toEqual(['--chat-model']);
  });

  test('an option and its value in one element: the option is the word before the blank; a known one is not said here, an unknown one is, by that word', () => {
    expect(findings([deployment('vllm/vllm-openai:v0.11.1', ['--model', 'm', '--max-model-len 8192', '--tool-call-parser hermes'])])).toEqual([]);
    const got = findings([deployment('vllm/vllm-openai:latest', ['--model', 'm', '--max-model-length 8192'])]);
    expect(got.map((f) => [f.severity, f.message.split(' (')[0]])).toEqual([['error', '--max-model-length']]);
    expect(got[0].message).toMatch(/"unrecognized arguments: --max-model-length"/);
  });

  test('not judged: words after --, variables, short options, values, a container that does not start vLLM', () => {
    expect(findings([deployment('vllm/vllm-openai:v0.11.1', ['vllm serve m -tp 2 -O3 --served-model-name x $EXTRA -- --device-type'], ['sh', '-c'])])).toEqual(
      [],
    );
    expect(findings([deployment('ghcr.io/huggingface/text-generation-inference:3.0.1', ['--model-id', 'm', '--max-input-length', '2048'])])).toEqual([]);
    // vLLM-Omni's image runs its own CLI on vLLM's (`--omni`, its own release tags); vLLM's own image at the same tag is judged
    const omni = ['serve', '--omni', '--model', 'Qwen/Qwen3-Omni', '--stage-configs-path', '/cfg/stages.yaml'];
    expect(findings([deployment('vllm/vllm-omni:v0.18.0', omni, ['vllm'])])).toEqual([]);
    expect(findings([deployment('vllm/vllm-openai:v0.18.0', omni, ['vllm'])]).map((f) => /^--(omni|stage-configs-path) /.exec(f.message)?.[0])).toEqual([
      '--omni ',
      '--stage-configs-path ',
    ]);
    expect(findings([deployment('vllm/vllm-openai:v0.6.0', ['--model', 'm', '--max_num_seqs=8', '--no-enable-prefix-caching'])])).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/vLLM 0\.6\.0 has no --no-enable-prefix-caching \(added in 0\.6\.5\)/) }),
    ]);
  });
});

describe('the derivation script', () => {
  test('reads explicit options, the serve parser, FrontendArgs fields and bool fields of config dataclasses, per tag', () => {
    const repo = tempDir('vllm-flags-');
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { stdio: 'pipe' });
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
      fs.writeFileSync(path.join(repo, file), text);
    };
    const many = Array.from({ length: 50 }, (_, i) => `        parser.add_argument('--opt-${i}', type=int)\n`).join('');
    git('init', '-q');
    write(
      'vllm/engine/arg_utils.py',
      `class EngineArgs:\n    def add_cli_args(parser):\n${many}        parser.add_argument(\n            "--old-flag",  # a comment (with parens)\n            type=str)\n`,
    );
    write('vllm/scripts.py', `serve_parser.add_argument("--config", type=str)\nchat_parser.add_argument("--system-prompt")\n`);
    git('add', '-A');
    git('commit', '-qm', 'one');
    git('tag', 'v0.6.0');
    write(
      'vllm/engine/arg_utils.py',
      `from argparse import BooleanOptionalAction\ndef get_kwargs(cls):\n    pass\nclass EngineArgs:\n    def add_cli_args(parser):\n${many}        group.add_argument("--enforce-eager", **model_kwargs["enforce_eager"])\n        group.add_argument("--seed", **model_kwargs["seed"])\n`,
    );
    write(
      'vllm/config/model.py',
      `@config\nclass ModelConfig:\n    enforce_eager: bool = False\n    """Docstring\nat column 0."""\n    seed: int | None = None\n`,
    );
    write(
      'vllm/entrypoints/openai/cli_args.py',
      `@config\nclass BaseFrontendArgs:\n    chat_template: str | None = None\n    """Line one\nline at column 0: x."""\n    enable_auto_tool_choice: bool = False\n\n\n@config\nclass FrontendArgs(BaseFrontendArgs):\n    port: int = 8000\n\n\ndef make_arg_parser(parser):\n    for key, value in kwargs.items():\n        group.add_argument(f"--{key.replace('_', '-')}", **value)\n`,
    );
    git('add', '-A');
    git('commit', '-qm', 'two');
    git('tag', 'v0.11.0');
    git('tag', 'v0.11.1rc1');
    const out = path.join(repo, 'out.json');
    execFileSync('node', [path.join(ROOT, 'scripts', 'derive-vllm-flags.js'), path.join(repo, '.git'), out], { stdio: 'pipe' });
    const table = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(table.releases.map((r: any) => r.version)).toEqual(['0.6.0', '0.11.0']);
    expect(table.flags['--old-flag']).toEqual({ since: '0.6.0', until: '0.6.0' });
    expect(table.flags['--config']).toEqual({ since: '0.6.0' });
    expect(table.flags['--system-prompt']).toBeUndefined();
    expect(table.flags['--no-enforce-eager']).toEqual({ since: '0.11.0' });
    expect(table.flags['--no-seed']).toBeUndefined();
    expect(table.flags['--chat-template']).toEqual({ since: '0.11.0' });
    expect(table.flags['--no-enable-auto-tool-choice']).toEqual({ since: '0.11.0' });
    expect(table.flags['--port']).toEqual({ since: '0.11.0' });
    expect(table.flags['--opt-3']).toEqual({ since: '0.6.0' });
  });
});
