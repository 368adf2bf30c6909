import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../lib/cli/main';
import { smokeTestScript } from '../lib/jobs/smoke-test-script';
import { OpenAiStub, startOpenAiStub, STUB_MODEL, STUB_TOKEN, StubVariant } from './setup/openai-stub';
import { tempDir } from './setup/scratch';

let stub: OpenAiStub;
beforeAll(async () => {
  stub = await startOpenAiStub();
});
afterAll(() => stub.close());

interface Run {
  code: number;
  out: string;
  err: string;
  seconds: number;
}

async function smoke(args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const started = Date.now();
  const code = await runCli(['smoke', ...args], {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    stdin: () => '',
  });
  return { code, out, err, seconds: (Date.now() - started) / 1000 };
}

/** The longest time the stub held a request of `variant` open (waiting a moment for the last client's close to land). */
async function heldLongest(variant: StubVariant): Promise<number> {
  const of = () => stub.requests.filter((q) => q.variant === variant);
  for (let i = 0; i < 50 && of().some((q) => q.heldSeconds === undefined); i++) await new Promise((r) => setTimeout(r, 100));
  expect(of().length).toBeGreaterThan(0);
  return Math.max(...of().map((q) => q.heldSeconds ?? Infinity));
}

describe('cdk8s-vllm smoke against an OpenAI-compatible stub on 127.0.0.1', () => {
  test('a good service: lists the model, answers; the request is short, deterministic and names the model', async () => {
    const before = stub.requests.length;
    const r = await smoke([stub.url('good'), '--model', STUB_MODEL]);
    expect(r.err).toBe('');
    expect(r.out).toMatch(new RegExp(`^ok {6}${stub.url('good')} serves 'mistral-small-24b' and answered in \\d+\\.\\d\\d s: "ready"\\n$`));
    expect(r.code).toBe(0);
    const sent = stub.requests.slice(before);
    expect(sent.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /v1/models', 'POST /v1/chat/completions']);
    const chat = JSON.parse(sent[1].body);
    expect(chat).toMatchObject({ model: STUB_MODEL, temperature: 0, max_tokens: 16 });
    expect(chat.messages).toEqual([{ role: 'user', content: expect.any(String) }]);
    expect(sent[0].authorization).toBeUndefined();
  });

  test('a URL given with /v1 (as OpenAI clients take it) asks the same paths', async () => {
    const before = stub.requests.length;
    const r = await smoke([`${stub.url('good')}/v1/`, '--model', STUB_MODEL, '--max-tokens', '4']);
    expect(r.code).toBe(0);
    expect(stub.requests.slice(before).map((q) => q.path)).toEqual(['/v1/models', '/v1/chat/completions']);
    expect(JSON.parse(stub.requests[stub.requests.length - 1].body).max_tokens).toBe(4);
  });

  test('--json prints the result as data', async () => {
    const r = await smoke([stub.url('good'), '--model', STUB_MODEL, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ ok: true, url: stub.url('good'), model: STUB_MODEL, servedModels: [STUB_MODEL], answer: 'ready' });
    expect(j.failure).toBeUndefined();
    expect(typeof j.seconds).toBe('number');
  });

  test('a wrong model: exit 1, the served ids listed', async () => {
    const r = await smoke([stub.url('wrong-model'), '--model', STUB_MODEL, '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ ok: false, servedModels: ['llama-3.1-8b', 'granite-3.3-8b'], failure: { kind: 'wrong-model' } });
    expect(j.failure.message).toContain("the service serves 'llama-3.1-8b', 'granite-3.3-8b', not 'mistral-small-24b'");
  });

  test('a slow service fails at --timeout, not when it finally answers', async () => {
    const r = await smoke([stub.url('slow'), '--model', STUB_MODEL, '--timeout', '1.5']);
    expect(r.code).toBe(1);
    expect(await heldLongest('slow')).toBeLessThan(5);
    expect(r.err).toMatch(/FAILED .*\/slow\/v1\/models accepted the connection but sent no complete answer within --timeout 1\.5 s/);
  });

  test('a service that trickles its answer (an idle timeout never trips) fails at --timeout too', async () => {
    const r = await smoke([stub.url('trickle'), '--model', STUB_MODEL, '--timeout', '2', '--json']);
    expect(r.code).toBe(1);
    expect(await heldLongest('trickle')).toBeLessThan(5);
    expect(JSON.parse(r.out).failure).toMatchObject({
      kind: 'timeout',
      message: expect.stringMatching(/answered HTTP 200 but did not finish the body within --timeout 2 s/),
    });
  });

  test('HTTP 500: exit 1 with the status and the first line of the body', async () => {
    const r = await smoke([stub.url('error-500'), '--model', STUB_MODEL]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'POST /error-500/v1/chat/completions answered HTTP 500 Internal Server Error: EngineCore died: CUDA error: an illegal memory access was encountered',
    );
    expect(r.err).not.toContain('Traceback');
  });

  test('an HTML page instead of JSON (a route to no ready pod) is named as such', async () => {
    const r = await smoke([stub.url('non-json'), '--model', STUB_MODEL, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).failure).toEqual({
      kind: 'not-json',
      status: 200,
      message:
        "GET /non-json/v1/models answered HTTP 200 with an HTML page ('Application is not available') (text/html), not JSON: is the URL the model's OpenAI-compatible endpoint?",
    });
  });

  test('401 without a token names the token options; with the token it passes; a wrong one is refused; 403 names the permission', async () => {
    const none = await smoke([stub.url('auth'), '--model', STUB_MODEL]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/answered HTTP 401: the service requires a token; pass one with --token-env <VAR> or --token-file <file>/);

    process.env.SMOKE_TEST_TOKEN = STUB_TOKEN;
    const good = await smoke([stub.url('auth'), '--model', STUB_MODEL, '--token-env', 'SMOKE_TEST_TOKEN']);
    expect(good.code).toBe(0);
    expect(stub.requests[stub.requests.length - 1].authorization).toBe(`Bearer ${STUB_TOKEN}`);
    expect(good.out + good.err).not.toContain(STUB_TOKEN);
    delete process.env.SMOKE_TEST_TOKEN;

    const file = path.join(tempDir('smoke-token-'), 'token');
    fs.writeFileSync(file, 'stale-token\n');
    const stale = await smoke([stub.url('auth'), '--model', STUB_MODEL, '--token-file', file]);
    expect(stale.code).toBe(2);
    expect(stale.err).toMatch(/HTTP 401: the token was refused/);
    expect(stale.err).not.toContain('stale-token');

    fs.writeFileSync(file, 'not-allowed');
    const forbidden = await smoke([stub.url('auth'), '--model', STUB_MODEL, '--token-file', file]);
    expect(forbidden.code).toBe(2);
    expect(forbidden.err).toMatch(/HTTP 403: the token is valid but may not use this service; grant its ServiceAccount 'get' on the InferenceService/);
  });

  test('an empty answer fails; an answer that is all reasoning says to raise --max-tokens', async () => {
    const empty = await smoke([stub.url('empty-content'), '--model', STUB_MODEL]);
    expect(empty.code).toBe(1);
    expect(empty.err).toMatch(/choices\[0\]\.message\.content is empty \(finish_reason stop\): the model generated nothing/);
    const reasoning = await smoke([stub.url('reasoning-only'), '--model', STUB_MODEL]);
    expect(reasoning.code).toBe(1);
    expect(reasoning.err).toMatch(/content is missing; the answer is all reasoning \(reasoning_content\): raise --max-tokens \(16\)/);
  });

  test("a chat-template error (vLLM's 400 ErrorResponse) is named with vLLM's message", async () => {
    const r = await smoke([stub.url('chat-template'), '--model', STUB_MODEL, '--json']);
    expect(r.code).toBe(1);
    const f = JSON.parse(r.out).failure;
    expect(f).toMatchObject({ kind: 'chat-template', status: 400 });
    expect(f.message).toMatch(
      /the model has no usable chat template \(HTTP 400: BadRequestError: As of transformers v4\.44, default chat template is no longer allowed/,
    );
  });

  test("vLLM's older flat error shape is read too; a completion without choices is malformed", async () => {
    const legacy = await smoke([stub.url('legacy-error'), '--model', STUB_MODEL]);
    expect(legacy.code).toBe(1);
    expect(legacy.err).toContain('answered HTTP 400 Bad Request: BadRequestError: max_tokens must be at least 1, got 0.');
    const none = await smoke([stub.url('no-choices'), '--model', STUB_MODEL, '--json']);
    expect(none.code).toBe(1);
    expect(JSON.parse(none.out).failure.kind).toBe('bad-answer');
  });

  test('a reset connection says reset; an unreachable address and a redirect are exit 2', async () => {
    const reset = await smoke([stub.url('reset'), '--model', STUB_MODEL, '--json']);
    expect(reset.code).toBe(1);
    expect(JSON.parse(reset.out).failure).toMatchObject({
      kind: 'reset',
      message: expect.stringMatching(/reset the connection before answering \(ECONNRESET/),
    });

    const closed = await smoke(['http://127.0.0.1:9', '--model', STUB_MODEL, '--json']);
    expect(closed.code).toBe(2);
    expect(JSON.parse(closed.out).failure).toMatchObject({
      kind: 'unreachable',
      message: expect.stringMatching(/^cannot reach http:\/\/127\.0\.0\.1:9\/v1\/models \(ECONNREFUSED\)/),
    });

    const moved = await smoke([stub.url('redirect'), '--model', STUB_MODEL]);
    expect(moved.code).toBe(2);
    expect(moved.err).toContain('answered HTTP 302 to https://127.0.0.1/redirect/v1/models: give that address as the URL');
  });

  test('usage errors are exit 2 and name the option', async () => {
    const cases: [string[], RegExp][] = [
      [[stub.url('good')], /--model <name>/],
      [['ftp://x', '--model', 'm'], /not an http\(s\) URL/],
      [['https://user:pw@x', '--model', 'm'], /carries credentials; remove them and pass a bearer token with --token-env/],
      [[stub.url('good'), '--model', 'm', '--timeout', 'soon'], /--timeout must be a number/],
      [[stub.url('good'), '--model', 'm', '--token-env', 'SMOKE_TEST_UNSET_VAR'], /environment variable SMOKE_TEST_UNSET_VAR is not set/],
      [[stub.url('good'), '--model', 'm', '--token-env', 'A', '--token-file', 'b'], /not both/],
      [[stub.url('good'), '--model', 'm', '--token-file', '/dev/null'], /is not a regular file/],
      [[stub.url('good'), '--model', 'm', '--ca-bundle', '/nonexistent.pem'], /--ca-bundle \/nonexistent\.pem does not exist/],
    ];
    delete process.env.SMOKE_TEST_UNSET_VAR;
    for (const [args, message] of cases) {
      const r = await smoke(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.err).toMatch(message);
    }
  });
});

describe('TLS: always verified, --ca-bundle adds a CA', () => {
  let tls: OpenAiStub;
  let ca: string;
  beforeAll(async () => {
    const dir = tempDir('smoke-tls-');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'key.pem',
        '-out',
        'cert.pem',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { cwd: dir, stdio: 'ignore' },
    );
    ca = path.join(dir, 'cert.pem');
    tls = await startOpenAiStub({ tls: { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(ca) } });
  });
  afterAll(() => tls.close());

  test('a self-signed certificate fails with exit 2 and names --ca-bundle; with the CA it passes', async () => {
    const refused = await smoke([tls.url('good'), '--model', STUB_MODEL]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(
      /TLS verification of https:\/\/127\.0\.0\.1:\d+\/good\/v1\/models failed \(DEPTH_ZERO_SELF_SIGNED_CERT\): pass the CA .* with --ca-bundle <pem>/,
    );
    const trusted = await smoke([tls.url('good'), '--model', STUB_MODEL, '--ca-bundle', ca]);
    expect(trusted.code).toBe(0);
  });

  test('the in-cluster script verifies TLS too: refused without caPath, passes with it', async () => {
    const dir = tempDir('smoke-tls-script-');
    const run = (file: string, props: Parameters<typeof smokeTestScript>[0]) => {
      fs.writeFileSync(file, smokeTestScript(props));
      return new Promise<{ code: number; err: string }>((resolve) =>
        execFile('python3', [file], { env: { PATH: process.env.PATH! } }, (e, _out, err) =>
          resolve({ code: e ? Number((e as { code?: number }).code) : 0, err }),
        ),
      );
    };
    const refused = await run(path.join(dir, 'a.py'), { url: tls.url('good'), model: STUB_MODEL });
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/TLS verification of https:\/\/127\.0\.0\.1:\d+\/good failed \(self[- ]signed certificate\)/);
    const trusted = await run(path.join(dir, 'b.py'), { url: tls.url('good'), model: STUB_MODEL, caPath: ca });
    expect(trusted).toEqual({ code: 0, err: '' });
  });

  test('https:// against a plain HTTP server is explained', async () => {
    const r = await smoke([stub.url('good').replace('http:', 'https:'), '--model', STUB_MODEL]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/does not speak TLS .*write http:\/\//);
  });
});

describe('the in-cluster smoke test script (python3, standard library), against the same stub', () => {
  const dir = tempDir('smoke-script-');
  function runScript(variant: string, extra: Partial<Parameters<typeof smokeTestScript>[0]> = {}): Promise<Run> {
    const file = path.join(dir, `smoke-${variant.replace(/\W/g, '_')}-${Object.keys(extra).join('_')}.py`);
    fs.writeFileSync(file, smokeTestScript({ url: variant.startsWith('http') ? variant : stub.url(variant as StubVariant), model: STUB_MODEL, ...extra }));
    const started = Date.now();
    return new Promise((resolve) => {
      execFile('python3', [file], { env: { PATH: process.env.PATH! } }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr, seconds: (Date.now() - started) / 1000 }),
      );
    });
  }

  test('a good service passes and the script asks what the CLI asks', async () => {
    const before = stub.requests.length;
    const r = await runScript('good');
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^ok: http:\/\/127\.0\.0\.1:\d+\/good serves 'mistral-small-24b' and answered in \d+\.\d\d s: "ready"\n$/);
    expect(r.code).toBe(0);
    const sent = stub.requests.slice(before);
    expect(sent.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /v1/models', 'POST /v1/chat/completions']);
    expect(JSON.parse(sent[1].body)).toMatchObject({ model: STUB_MODEL, temperature: 0, max_tokens: 16 });
  });

  test('each faulty service fails with the exit code and cause the CLI gives', async () => {
    const cases: [string, number, RegExp][] = [
      ['wrong-model', 1, /the service serves 'llama-3\.1-8b', 'granite-3\.3-8b', not 'mistral-small-24b'/],
      ['error-500', 1, /POST \/v1\/chat\/completions answered HTTP 500: EngineCore died: CUDA error/],
      ['non-json', 1, /GET \/v1\/models answered HTTP 200 with an HTML page, not JSON/],
      ['auth', 2, /answered HTTP 401: the service requires a token/],
      ['empty-content', 1, /content is empty: the model generated nothing/],
      ['chat-template', 1, /no usable chat template \(HTTP 400: BadRequestError: As of transformers v4\.44/],
      ['no-choices', 1, /without choices\[0\]\.message/],
      ['reset', 1, /reset the connection/],
      ['redirect', 2, /answered HTTP 302 to https:\/\/127\.0\.0\.1\/redirect\/v1\/models/],
      ['http://127.0.0.1:9', 2, /cannot reach http:\/\/127\.0\.0\.1:9/],
    ];
    const runs = await Promise.all(cases.map(([v]) => runScript(v)));
    cases.forEach(([variant, code, message], i) => {
      expect({ variant, code: runs[i].code, err: runs[i].err }).toEqual({ variant, code, err: expect.stringMatching(message) });
      expect(runs[i].err).not.toMatch(/Traceback/);
    });
  });

  test('slow and trickling services fail at the total deadline', async () => {
    const [slow, trickle] = await Promise.all([runScript('slow', { timeoutSeconds: 1.5 }), runScript('trickle', { timeoutSeconds: 2 })]);
    expect(await heldLongest('slow')).toBeLessThan(6);
    expect(await heldLongest('trickle')).toBeLessThan(6);
    for (const r of [slow, trickle]) {
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/within (1\.5|2) s \(the whole smoke test\)/);
    }
  });

  test('the token is read from tokenPath and sent as a bearer token', async () => {
    const token = path.join(dir, 'token');
    fs.writeFileSync(token, `${STUB_TOKEN}\n`);
    const ok = await runScript('auth', { tokenPath: token });
    expect(ok.code).toBe(0);
    expect(stub.requests[stub.requests.length - 1].authorization).toBe(`Bearer ${STUB_TOKEN}`);
    const missing = await runScript('auth', { tokenPath: path.join(dir, 'absent') });
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read the token file .*absent/);
  });

  test('settings with quotes, backslashes and non-ASCII reach the script intact', async () => {
    const before = stub.requests.length;
    const model = `it's a "model" \\ ''' 模型 😀`;
    const file = path.join(dir, 'odd.py');
    fs.writeFileSync(file, smokeTestScript({ url: stub.url('wrong-model'), model }));
    const code = await new Promise<number>((resolve) => execFile('python3', [file], (e) => resolve(e ? Number((e as { code?: number }).code) : 0)));
    expect(code).toBe(1); // the stub serves other models: the script ran and asked
    expect(stub.requests.length).toBe(before + 1);
    // what Python received, printed back through repr(): compare by a round trip in Python itself
    const echoed = execFileSync('python3', [
      '-c',
      `import json,sys; exec(open(sys.argv[1]).read().split("PROMPT =")[0]); print(json.dumps(SETTINGS["model"]))`,
      file,
    ]);
    expect(JSON.parse(String(echoed))).toBe(model);
  });

  test('settings that cannot work are refused, naming the field', () => {
    expect(() => smokeTestScript({ url: 'mistral:8080', model: 'm' })).toThrow(/url 'mistral:8080' is not http\(s\)/);
    expect(() => smokeTestScript({ url: 'https://u:p@x', model: 'm' })).toThrow(/url carries credentials/);
    expect(() => smokeTestScript({ url: 'https://x', model: ' ' })).toThrow(/model is empty/);
    expect(() => smokeTestScript({ url: 'https://x', model: 'm', tokenPath: 'token' })).toThrow(/tokenPath 'token' must be an absolute path/);
    expect(() => smokeTestScript({ url: 'https://x', model: 'm', timeoutSeconds: NaN })).toThrow(/timeoutSeconds must be a number of seconds/);
    expect(() => smokeTestScript({ url: 'https://x', model: 'm', maxTokens: 0 })).toThrow(/maxTokens must be a whole number/);
  });

  test('the script is byte-identical for the same settings', () => {
    const props = { url: 'https://m.private-ai.svc:8443/', model: 'm', tokenPath: '/var/run/secrets/tokens/token' };
    expect(smokeTestScript(props)).toBe(smokeTestScript({ ...props }));
    expect(smokeTestScript(props)).toContain(
      `SETTINGS = json.loads(r'''{"url":"https://m.private-ai.svc:8443","model":"m","tokenPath":"/var/run/secrets/tokens/token"`,
    );
  });
});
