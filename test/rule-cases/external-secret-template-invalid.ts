import { ruleFindings } from '../util';

type Doc = Record<string, unknown>;
const found = (docs: Doc[]) => ruleFindings('external-secret-template-invalid', docs);

const externalSecret = (template: Doc, kind = 'ExternalSecret'): Doc => {
  const spec = { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, target: { name: 'gateway-secret', template } };
  return {
    apiVersion: 'external-secrets.io/v1',
    kind,
    metadata: { name: 'gateway', ...(kind === 'ExternalSecret' ? { namespace: 'ai' } : {}) },
    spec: kind === 'ExternalSecret' ? spec : { namespaceSelectors: [{ matchLabels: { team: 'ai' } }], externalSecretSpec: spec },
  };
};
const data = (value: string, more: Doc = {}) => externalSecret({ engineVersion: 'v2', data: { MASTER_KEY: value }, ...more });

describe('external-secret-template-invalid', () => {
  test('a provider key written without its dot: an error naming the field, the refusal and the fix', () => {
    expect(found([data('{{ LITELLM_MASTER_KEY }}')])).toEqual([
      "error ExternalSecret/ai/gateway: spec.target.template.data.MASTER_KEY calls 'LITELLM_MASTER_KEY' as a function, which no ESO template defines (Go template builtins, sprig, ESO's own): " +
        'the template does not parse ("function "LITELLM_MASTER_KEY" not defined"), so ESO never writes Secret gateway-secret; to read a key of the provider\'s data write {{ .LITELLM_MASTER_KEY }} (the dot reads the key), or call a function ESO has',
    ]);
  });

  test('a templateFrom ConfigMap of the tree, a literal, labels, and a ClusterExternalSecret are read too; sprig functions ESO left out (env) are undefined', () => {
    const config = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'tpl', namespace: 'ai' },
      data: { 'config.yaml': 'account: {{ ACCOUNT }}\nhome: {{ env "HOME" }}' },
    };
    expect(found([externalSecret({ templateFrom: [{ configMap: { name: 'tpl', items: [{ key: 'config.yaml' }] } }] }), config])).toEqual([
      expect.stringMatching(
        /^error ExternalSecret\/ai\/gateway: ConfigMap tpl key config\.yaml \(spec\.target\.template\.templateFrom\[0\]\) calls 'ACCOUNT', 'env' as a functions?, /,
      ),
    ]);
    expect(found([externalSecret({ templateFrom: [{ literal: '{{ KEY }}: x' }] })])).toEqual([expect.stringMatching(/templateFrom\[0\]\.literal calls 'KEY'/)]);
    expect(found([externalSecret({ metadata: { labels: { team: '{{ TEAM }}' } } })])).toEqual([
      expect.stringMatching(/template\.metadata\.labels\.team calls 'TEAM'/),
    ]);
    expect(found([externalSecret({ data: { A: '{{ A }}' } }, 'ClusterExternalSecret')])).toEqual([
      expect.stringMatching(/^error ClusterExternalSecret\/gateway: spec\.externalSecretSpec\.target\.template\.data\.A calls 'A'/),
    ]);
  });

  test.each([
    ['a key read with its dot', '{{ .LITELLM_MASTER_KEY }}'],
    [
      'Go builtins, sprig and ESO functions in pipelines',
      '{{ .cert | b64dec | filterPEM "CERTIFICATE" }}{{ if eq .a "x" }}{{ printf "%s" .b | upper }}{{ end }}',
    ],
    ['variables, fields of expressions, comments and strings', '{{/* MASTER */}}{{ $k := .key }}{{ $k.sub }}{{ (index . "a-b").c }}{{ "NOT_CALLED" }}'],
    ['a key named with a hyphen read by index', '{{ index . "master-key" }}'],
    ['no template action at all', 'plain-value'],
  ])('near miss, %s: silent', (_, value) => {
    expect(found([data(value)])).toEqual([]);
  });

  test('near miss: another engine version, and a templateFrom ConfigMap the tree lacks, are not judged', () => {
    expect(found([data('{{ A }}', { engineVersion: 'v1' })])).toEqual([]);
    expect(found([externalSecret({ templateFrom: [{ configMap: { name: 'elsewhere', items: [{ key: 'k' }] } }] })])).toEqual([]);
  });
});
