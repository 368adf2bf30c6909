import { Yaml } from 'cdk8s';
import { yamlDocuments } from '../lib/gitops/yaml-text';

describe('the YAML text of rendered documents', () => {
  const docs: unknown[] = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n' }, data: { on: 'yes', n: '0123', empty: '', multi: 'a\nb\n' } },
    { list: [1, 2.5, -3, true, false, null, 'x'], nested: { deep: [{ k: 'v' }, []] }, nothing: {} },
    [],
    'text',
    42,
  ];

  test('is what cdk8s writes for the same documents, one by one or together', () => {
    expect(yamlDocuments(docs)).toBe(Yaml.stringify(...docs));
    for (const d of docs) expect(yamlDocuments([d])).toBe(Yaml.stringify(d));
    expect(yamlDocuments([])).toBe(Yaml.stringify());
  });

  test('a document with the same JSON is written once, from the text of the first', () => {
    const doc = () => ({ kind: 'Pod', metadata: { name: `once-${process.pid}` }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    const stringify = jest.spyOn(Yaml, 'stringify');
    try {
      const first = yamlDocuments([doc()]);
      const second = yamlDocuments([doc(), doc()]);
      expect(second).toBe(`${first}---\n${first}`);
      expect(stringify).toHaveBeenCalledTimes(1);
    } finally {
      stringify.mockRestore();
    }
  });

  test('values JSON writes alike but YAML does not are each written as cdk8s writes them', () => {
    const pairs: unknown[][] = [
      [{ a: null }, { a: NaN }, { a: Infinity }, { a: -Infinity }],
      [{ a: 0 }, { a: -0 }],
      [{ a: [null] }, { a: [undefined] }],
      [{ a: '2026-01-01T00:00:00.000Z' }, { a: new Date('2026-01-01T00:00:00.000Z') }],
      [{ a: {} }, { a: new Map() }, { a: Object.create(null) as object }],
    ];
    for (const group of pairs) for (const d of group) expect(yamlDocuments([d])).toBe(Yaml.stringify(d));
    expect(yamlDocuments([undefined])).toBe(Yaml.stringify(undefined));
  });
});
