import { runChecks } from '../../lib';
import { ciphertext, sopsBlock } from '../sops-util';

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** The secret-invalid messages for one Secret in namespace bar. */
const messages = (secret: Record<string, unknown>, annotations?: Record<string, string>) =>
  runChecks([{ manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'foo', namespace: 'bar', annotations }, ...secret } }], { platform: 'kserve' })
    .filter((f) => f.rule === 'secret-invalid')
    .map((f) => f.message);

const DOCKERCFG = '{"https://index.docker.io/v1/": {"auth": "Y2x1ZWRyb29sZXIwMDAxOnBhc3N3b3Jk","email": "fake@example.com"}}';
const CONFIG_JSON = '{"auths":{"https://index.docker.io/v1/": {"auth": "Y2x1ZWRyb29sZXIwMDAxOnBhc3N3b3Jk","email": "fake@example.com"}}}';

// the cases of kubernetes pkg/apis/core/validation validation_test.go (TestValidateSecret and the typed-Secret tests), written out here
describe('secret-invalid: the API server validation cases', () => {
  test.each<[string, Record<string, unknown>, Record<string, string> | undefined, boolean]>([
    ['valid opaque', { data: { 'data-1': b64('bar') } }, undefined, true],
    ['invalid key a*b', { data: { 'data-1': b64('bar'), 'a*b': b64('whoops') } }, undefined, false],
    ['leading dot key', { data: { '.key': b64('bar') } }, undefined, true],
    ['dot key', { data: { '.': b64('bar') } }, undefined, false],
    ['double dot key', { data: { '..': b64('bar') } }, undefined, false],
    ['key starting with ..', { data: { '..data': b64('bar') } }, undefined, false],
    [
      'valid service-account-token',
      { type: 'kubernetes.io/service-account-token', data: { 'data-1': b64('bar') } },
      { 'kubernetes.io/service-account.name': 'foo' },
      true,
    ],
    ['empty service-account-token annotation', { type: 'kubernetes.io/service-account-token' }, { 'kubernetes.io/service-account.name': '' }, false],
    ['missing service-account-token annotation', { type: 'kubernetes.io/service-account-token' }, { other: 'x' }, false],
    ['missing service-account-token annotations', { type: 'kubernetes.io/service-account-token' }, undefined, false],
    ['valid dockercfg', { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(DOCKERCFG) } }, undefined, true],
    ['missing dockercfg', { type: 'kubernetes.io/dockercfg', data: {} }, undefined, false],
    ['empty dockercfg', { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': '' } }, undefined, false],
    ['invalid dockercfg', { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64('bad') } }, undefined, false],
    ['valid config.json', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(CONFIG_JSON) } }, undefined, true],
    ['missing config.json', { type: 'kubernetes.io/dockerconfigjson', data: {} }, undefined, false],
    ['empty config.json', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': '' } }, undefined, false],
    ['invalid config.json', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('bad') } }, undefined, false],
    ['valid basic-auth', { type: 'kubernetes.io/basic-auth', data: { username: b64('username'), password: b64('password') } }, undefined, true],
    ['basic-auth with only a password', { type: 'kubernetes.io/basic-auth', stringData: { password: 'p' } }, undefined, true],
    ['missing username and password', { type: 'kubernetes.io/basic-auth', data: {} }, undefined, false],
    ['valid ssh-auth', { type: 'kubernetes.io/ssh-auth', data: { 'ssh-privatekey': b64('foo-bar-baz') } }, undefined, true],
    ['missing private key', { type: 'kubernetes.io/ssh-auth', data: {} }, undefined, false],
    ['empty private key', { type: 'kubernetes.io/ssh-auth', data: { 'ssh-privatekey': '' } }, undefined, false],
    ['tls with both keys', { type: 'kubernetes.io/tls', data: { 'tls.crt': b64('public key'), 'tls.key': b64('private key') } }, undefined, true],
    ['tls missing private key', { type: 'kubernetes.io/tls', data: { 'tls.crt': b64('public key') } }, undefined, false],
    ['tls missing certificate', { type: 'kubernetes.io/tls', data: { 'tls.key': b64('private key') } }, undefined, false],
  ])('%s', (_name, secret, annotations, valid) => {
    expect(messages(secret, annotations).length === 0).toBe(valid);
  });
});

describe('secret-invalid: what a manifest adds', () => {
  test('stringData keys count as data keys (the v1 conversion merges them)', () => {
    expect(messages({ type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'c', 'tls.key': 'k' } })).toEqual([]);
    expect(messages({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') }, stringData: { 'tls.key': 'k' } })).toEqual([]);
  });

  test('the message names the missing key, the type and the fix', () => {
    expect(messages({ type: 'kubernetes.io/dockerconfigjson', stringData: { OCI_HOST: 'registry:5000' } })).toEqual([
      "type kubernetes.io/dockerconfigjson needs the key '.dockerconfigjson' in data or stringData, and it has none: the API server refuses the Secret (ValidateSecret); add it, or make the Secret type Opaque if it holds other settings",
    ]);
    expect(messages({ type: 'kubernetes.io/tls', data: {} })).toEqual([
      expect.stringMatching(/^type kubernetes.io\/tls needs the key 'tls.crt'/),
      expect.stringMatching(/^type kubernetes.io\/tls needs the key 'tls.key'/),
    ]);
  });

  test('a docker config that is JSON but no object is refused (json.Unmarshal into a map); JSON null is not', () => {
    expect(messages({ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '["a"]' } })).toEqual([
      expect.stringMatching(/^'.dockerconfigjson' is JSON array, not an object: the API server refuses the Secret/),
    ]);
    expect(messages({ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': 'null' } })).toEqual([]);
  });

  test('a value a script or template fills is not judged as JSON, but a missing key is still missing', () => {
    expect(messages({ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '${DOCKER_CONFIG_JSON}' } })).toEqual([]);
    expect(messages({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': '{{ .Values.pullSecret }}' } })).toEqual([]);
    expect(messages({ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': 'REPLACE_ME' } })).toEqual([]);
    expect(messages({ type: 'kubernetes.io/dockerconfigjson', stringData: { registry: '${REGISTRY}' } })).toHaveLength(1);
  });

  test('Opaque, no type and other types need no particular key', () => {
    expect(messages({ type: 'Opaque' })).toEqual([]);
    expect(messages({})).toEqual([]);
    expect(messages({ type: 'bootstrap.kubernetes.io/token', stringData: { x: 'y' } })).toEqual([]);
  });
});

// a SOPS-encrypted Secret (getsops/sops): its decryptor (Flux's kustomize-controller, KSOPS, sops -d) writes the
// plain values before the apply, so the ciphertext says nothing of the JSON they hold; the keys are written in clear
describe('secret-invalid: SOPS-encrypted Secrets', () => {
  const pull = (stringData: Record<string, string>) => ({ type: 'kubernetes.io/dockerconfigjson', stringData, sops: sopsBlock() });

  test('an encrypted .dockerconfigjson is not judged as JSON (it was reported as "is not JSON", asking for the credential in clear text)', () => {
    expect(messages(pull({ '.dockerconfigjson': ciphertext() }))).toEqual([]);
    expect(messages({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': ciphertext() }, sops: sopsBlock() })).toEqual([]);
    expect(messages({ type: 'kubernetes.io/ssh-auth', stringData: { 'ssh-privatekey': ciphertext() }, sops: sopsBlock() })).toEqual([]);
  });

  test('near misses: the keys stay known (a typed Secret without its key), and plain text that is not JSON is still refused', () => {
    expect(messages(pull({ config: ciphertext() }))).toEqual([
      expect.stringMatching(/^type kubernetes.io\/dockerconfigjson needs the key '.dockerconfigjson'/),
    ]);
    expect(messages(pull({ '.dockerconfigjson': 'ENC[not sops]' }))).toEqual([expect.stringMatching(/^'.dockerconfigjson' is not JSON/)]);
  });
});
