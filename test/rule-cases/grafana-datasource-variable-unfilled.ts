import { ruleFound, severityMessages } from '../util';

type Doc = Record<string, unknown>;
const found = (docs: Doc[]) =>
  severityMessages(
    ruleFound(
      'grafana-datasource-variable-unfilled',
      docs.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

const datasource = (valuesFrom: Doc[], secureJsonData: Doc = { httpHeaderValue1: 'Bearer ${TOKEN}' }): Doc => ({
  apiVersion: 'grafana.integreatly.org/v1beta1',
  kind: 'GrafanaDatasource',
  metadata: { name: 'metrics', namespace: 'obs' },
  spec: { instanceSelector: { matchLabels: { dashboards: 'grafana' } }, valuesFrom, datasource: { name: 'metrics', type: 'prometheus', secureJsonData } },
});
const from = (targetPath: string, key: string): Doc => ({ targetPath, valueFrom: { secretKeyRef: { name: 'reader', key } } });

describe('grafana-datasource-variable-unfilled', () => {
  test('${TOKEN} with no valuesFrom: an error naming the field, the literal and the fix', () => {
    expect(found([datasource([])])).toEqual([
      [
        'error',
        "spec.datasource.secureJsonData.httpHeaderValue1 holds ${TOKEN}, and no spec.valuesFrom entry with key 'TOKEN' targets secureJsonData.httpHeaderValue1: grafana-operator fills a variable only from valuesFrom (not from any environment), so Grafana gets 'Bearer ${TOKEN}' as written and the datasource's queries fail: add a valuesFrom entry with targetPath: secureJsonData.httpHeaderValue1 and a secretKeyRef (or configMapKeyRef) whose key is 'TOKEN'",
      ],
    ]);
  });

  test('an entry for another field, or with another key, fills nothing here', () => {
    expect(found([datasource([from('jsonData.httpHeaderName1', 'TOKEN')])]).length).toBe(1);
    expect(found([datasource([from('secureJsonData.httpHeaderValue1', 'token')])]).length).toBe(1);
  });

  test('near misses: an entry with that key and targetPath ($. and brackets too), a JSONPath pattern that may select it, no variable', () => {
    expect(found([datasource([from('secureJsonData.httpHeaderValue1', 'TOKEN')])])).toEqual([]);
    expect(found([datasource([from("$.secureJsonData['httpHeaderValue1']", 'TOKEN')])])).toEqual([]);
    expect(found([datasource([from('$..httpHeaderValue1', 'TOKEN')])])).toEqual([]);
    expect(found([datasource([], { httpHeaderValue1: 'Bearer abc' })])).toEqual([]);
  });
});
