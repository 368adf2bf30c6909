import * as fs from 'fs';
import * as path from 'path';
import { readManifests, runChecks } from '../../lib';
import { ruleFound, severityMessages, writeTree } from '../util';
import { isStdBase64 } from '../../lib/private/base64';
import { CRD_KINDS_WITH_BYTES } from '../../lib/validation/byte-fields';
import { SchemaValidator } from '../../lib/validation/schema-validator';
import { ciphertext, sopsBlock } from '../sops-util';

// go/src/encoding/base64/base64_test.go TestDecodeCorrupt (StdEncoding): an offset of -1 is valid input
describe('isStdBase64: Go StdEncoding decoding', () => {
  test.each<[string, boolean]>([
    ['', true],
    ['\n', true],
    ['AAA=', true],
    ['AAA=\n', true],
    ['AA==', true],
    ['AA=\n=', true],
    ['AAAA', true],
    ['AAAAAA==', true],
    ['YWJjZA==\r\n', true],
    ['!!!!', false],
    ['====', false],
    ['x===', false],
    ['=AAA', false],
    ['A=AA', false],
    ['AA=A', false],
    ['AA==A', false],
    ['AAA=AAAA', false],
    ['AAAAA', false],
    ['AAAAAA', false],
    ['A=', false],
    ['A==', false],
    ['AA=', false],
    ['AAAAAA=', false],
    ['YWJjZA=====', false],
    ['A!\n', false],
    ['A=\n', false],
    ['AA AA', false],
    ['aGVsbG8-_w==', false],
    ['hello world', false],
  ])('%j -> %s', (text, valid) => expect(isStdBase64(text)).toBe(valid));
});

const findings = (manifest: Record<string, unknown>) =>
  runChecks([{ manifest: { metadata: { name: 'x', namespace: 'ns' }, ...manifest } }], { platform: 'kserve' }).filter((f) => f.rule === 'value-not-base64');

describe('value-not-base64', () => {
  test('a Secret data value in plain text is an error naming the field and stringData', () => {
    const [f, ...rest] = findings({ apiVersion: 'v1', kind: 'Secret', data: { password: 'hunter2!' } });
    expect(rest).toEqual([]);
    expect(f.severity).toBe('error');
    expect(f.message).toContain('data.password');
    expect(f.message).toContain('stringData.password');
  });

  test('ConfigMap binaryData and a webhook caBundle are judged; ConfigMap data is text', () => {
    expect(findings({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'plain text' }, binaryData: { b: 'not base64' } }).map((f) => f.message)).toEqual([
      expect.stringContaining('binaryData.b'),
    ]);
    const webhook = {
      name: 'w.example.com',
      clientConfig: { caBundle: 'LS0tLS1CRUdJTi', url: 'https://x' },
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
    };
    expect(
      findings({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', webhooks: [webhook] }).map((f) => f.message),
    ).toEqual([expect.stringContaining('webhooks[0].clientConfig.caBundle')]);
  });

  test('a template another tool may render is a warning; a hub template outside a Policy is an error', () => {
    const [envsubst] = findings({ apiVersion: 'v1', kind: 'Secret', data: { t: '${TOKEN}' } });
    expect(envsubst.severity).toBe('warning');
    const [hub] = findings({ apiVersion: 'v1', kind: 'Secret', data: { t: '{{hub fromSecret "a" "b" "c" hub}}' } });
    expect(hub.severity).toBe('error');
    expect(hub.message).toContain('only a Policy renders a hub template');
  });

  test('a placeholder a script of the tree renders before applying the file is not judged; a value beside it still is', () => {
    const root = writeTree('base64-rendered.', {
      'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: tokens}\ndata:\n  HF_TOKEN: ${HF_TOKEN}\n  BROKEN: not base64!\n',
      'create-secrets.sh': 'HF_B64=$(echo -n "$HF_TOKEN" | base64 -w0)\nsed -e "s|\\${HF_TOKEN}|${HF_B64}|g" secret.yaml | kubectl apply -f -\n',
    });
    const { manifests } = readManifests([root]);
    const found = runChecks(manifests, { platform: 'kserve', rules: ['value-not-base64'] });
    expect(found.map((f) => [f.severity, f.message.split(',')[0]])).toEqual([['error', 'Secret tokens sets data.BROKEN to "not base64!"']]);
    // the same file that no script renders: the placeholder is a warning
    fs.rmSync(path.join(root, 'create-secrets.sh'));
    expect(
      runChecks(readManifests([root]).manifests, { platform: 'kserve', rules: ['value-not-base64'] })
        .map((f) => f.severity)
        .sort(),
    ).toEqual(['error', 'warning']);
  });

  test('a placeholder word that a README or script applies as it is, with nothing of the tree filling it: an error; filled by a sed, a warning naming both', () => {
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: cluster-key, namespace: hpc}\ndata:\n  auth.key: PLACEHOLDER_AUTH_KEY\n';
    const judge = (files: Record<string, string>) => {
      const {
        manifests,
        errors: _errors,
        remoteBases: _bases,
        scriptInstalled: _installed,
        scriptPlatform: _platform,
        ...delivery
      } = readManifests([writeTree('base64-applied.', files)]);
      return severityMessages(ruleFound('value-not-base64', manifests, { platform: 'kserve', alone: true, ...delivery }));
    };
    const readme = '```\nkubectl apply -f k8s/secret.yaml\n```\n';
    const raw = judge({ 'k8s/secret.yaml': secret, 'README.md': readme });
    expect(raw).toEqual([
      [
        'error',
        expect.stringContaining(
          'the API server refuses the Secret: `kubectl apply -f k8s/secret.yaml` (README.md:2) applies the file as it is and nothing of the tree fills the placeholder (no renderer, sed or generator)',
        ),
      ],
    ]);
    // a sed of the tree fills it, but the README still applies the file as it is: a warning naming both
    const sed = 'KEY=$(head -c 1024 /dev/urandom | base64 -w0)\nsed "s|PLACEHOLDER_AUTH_KEY|${KEY}|" k8s/secret.yaml | kubectl apply -f -\n';
    expect(judge({ 'k8s/secret.yaml': secret, 'README.md': readme, 'deploy.sh': sed })).toEqual([
      [
        'warning',
        expect.stringContaining(
          "deploy.sh (line 2) fills it with sed (replacing 'PLACEHOLDER_AUTH_KEY') before applying it, but `kubectl apply -f k8s/secret.yaml` (README.md:2) applies it as it is",
        ),
      ],
    ]);
    // only the sed applies it: the placeholder is filled, no value to judge
    expect(judge({ 'k8s/secret.yaml': secret, 'deploy.sh': sed })).toEqual([]);
    // nothing applies the file: a warning, as a template another tool may render
    expect(judge({ 'k8s/secret.yaml': secret }).map(([severity]) => severity)).toEqual(['warning']);
  });

  test('base64 with line breaks, null values and stringData are accepted', () => {
    expect(findings({ apiVersion: 'v1', kind: 'Secret', data: { a: 'aGVs\nbG8=', b: null }, stringData: { c: 'plain text' } })).toEqual([]);
  });
});

describe('validate: format byte in the built-in schemas', () => {
  const validator = new SchemaValidator({ cacheDir: null });
  const secret = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'ns' }, data });

  test('a Secret data value that is no base64 is a finding on its field', () => {
    expect(validator.validate(secret({ token: 'hello world' })).map((f) => f.field)).toEqual([expect.stringContaining('token')]);
  });

  test('padded base64 passes; unpadded base64 does not', () => {
    expect(validator.validate(secret({ token: 'aGk=' }))).toEqual([]);
    expect(validator.validate(secret({ token: 'aGk' })).length).toBe(1);
  });
});

describe('the custom resource kinds whose CRD schema is read for bytes', () => {
  /** Every `group/Kind` of a shipped CRD file with a `format: byte` property anywhere in a served version's schema. */
  function kindsWithBytes(): string[] {
    const root = path.join(__dirname, '..', '..', 'schemas', 'crds');
    const found = new Set<string>();
    const kinds = new Set<string>();
    const holdsBytes = (v: unknown): boolean =>
      Array.isArray(v)
        ? v.some(holdsBytes)
        : v !== null && typeof v === 'object'
          ? (v as Record<string, unknown>).format === 'byte' || Object.values(v).some(holdsBytes)
          : false;
    for (const file of fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'))) {
      const crd = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as { group?: string; kind?: string; versions?: { schema?: unknown }[] };
      if (crd.group && crd.kind && (crd.versions ?? []).some((v) => holdsBytes(v.schema))) found.add(`${crd.group}/${crd.kind}`);
      else if (crd.group && crd.kind) kinds.add(`${crd.group}/${crd.kind}`);
    }
    // the files were read as CRDs: a shape change would leave both lists empty and the test passing
    expect(kinds.size).toBeGreaterThan(20);
    return [...found].sort();
  }

  test('CRD_KINDS_WITH_BYTES is what the shipped CRD files hold (a check of any other custom resource reads no CRD schema for bytes)', () => {
    expect(kindsWithBytes()).toEqual([...CRD_KINDS_WITH_BYTES].sort());
  });
});

describe('a placeholder left under data is one mistake', () => {
  test('a `<REPLACE…>` value is unrendered-placeholder only; a plain non-base64 value beside it is still value-not-base64', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's3', namespace: 'ml' },
      data: { access_key: '<REPLACE_WITH_BASE64_ACCESS_KEY>', secret_key: '<REPLACE_WITH_BASE64_SECRET_KEY>', region: 'us-east-1' },
    };
    const found = runChecks([{ manifest: secret }], { platform: 'kserve' })
      .filter((f) => ['value-not-base64', 'unrendered-placeholder'].includes(f.rule))
      .map((f) => [f.rule, f.severity, f.message]);
    expect(found).toHaveLength(2);
    expect(found).toEqual(
      expect.arrayContaining([
        ['value-not-base64', 'error', expect.stringMatching(/^Secret s3 sets data\.region to "us-east-1", which is not base/)],
        // the placeholder's error says why the API server refuses the Secret (it was a warning about what reads the value)
        [
          'unrendered-placeholder',
          'error',
          expect.stringMatching(
            /^data\.access_key holds '<REPLACE_WITH_BASE64_ACCESS_KEY>', data\.secret_key holds .*'<' and '>' are no base64 characters: applied as it is, the API server refuses the Secret/,
          ),
        ],
      ]),
    );
  });
});

describe('value-not-base64: SOPS ciphertext', () => {
  const secret = (data: Record<string, string>) => ({
    manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hf', namespace: 'serving' }, data, sops: sopsBlock() },
  });
  const found = (data: Record<string, string>) => runChecks([secret(data)], { platform: 'kserve' }).filter((f) => f.rule === 'value-not-base64');

  test('an encrypted data value is the base64 its decryptor writes back, not text to encode (it was an error)', () => {
    expect(found({ token: ciphertext() })).toEqual([]);
  });

  test('near miss: plain text under data in the same Secret is still refused', () => {
    expect(found({ token: ciphertext(), note: 'not base64!' }).map((f) => f.message)).toEqual([
      expect.stringMatching(/sets data.note to "not base64!", which is not base64/),
    ]);
  });
});
