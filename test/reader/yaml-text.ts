import { Yaml } from 'cdk8s';
import { plainYaml, yamlDocuments } from '../../lib/gitops/yaml-text';
import { prng } from '../setup/prng';

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
    // a key of more than 1024 characters is written by cdk8s's writer (an explicit key), so the spy sees each write
    const doc = () => ({ kind: 'Pod', metadata: { name: `once-${process.pid}` }, ['k'.repeat(1100)]: [{ name: 'c', image: 'i' }] });
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

  test('the direct writer gives what cdk8s writes, or nothing, for documents of tricky scalars (seeded)', () => {
    const random = prng(20261202);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    // pieces that change a scalar's style: YAML 1.1 words and numbers, indicators, quotes, blanks, newlines, markers
    const pieces = [
      'a',
      'Z',
      'on',
      'No',
      'y',
      '~',
      'null',
      '0',
      '7',
      '08',
      '0x1F',
      '0b10',
      '1_000',
      '1:30',
      '1.5',
      '.5',
      '1e3',
      '.inf',
      '.NaN',
      '2026-12-02',
      '2026-12-02T10:00:00Z',
      ' 12:00:00',
      '<<',
      '-',
      '?',
      ':',
      ': ',
      ' #',
      '#',
      '&',
      '*',
      '!',
      '|',
      '>',
      "'",
      '"',
      '%',
      '@',
      '`',
      ',',
      '[',
      ']',
      '{',
      '}',
      ' ',
      '\t',
      '\n',
      '\n\n',
      '---',
      '...',
      '\u00e9',
      '\u2028',
      '\u00a0',
      '\\',
      '/',
      '=',
    ];
    const text = (): string => Array.from({ length: Math.floor(random() * 4) }, () => pick(pieces)).join('');
    const value = (depth: number): unknown => {
      const r = random();
      if (depth > 2 || r < 0.45) return text();
      if (r < 0.55) return pick([0, 1, -7, 2.5, -0.125, 1e21, 123456789012, true, false, null]);
      if (r < 0.75) return Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 3) }, () => [text(), value(depth + 1)]));
    };
    let direct = 0;
    for (let i = 0; i < 3000; i++) {
      const doc = Object.fromEntries(Array.from({ length: 1 + Math.floor(random() * 3) }, () => [text(), value(0)]));
      const text1 = plainYaml(doc);
      if (text1 === undefined) continue;
      direct++;
      expect([JSON.stringify(doc), text1]).toEqual([JSON.stringify(doc), Yaml.stringify(doc)]);
    }
    // most documents are within the writer's reach: the comparison above is not vacuous
    expect(direct).toBeGreaterThan(2000);
  });

  test('the direct writer leaves to cdk8s what it does not cover', () => {
    for (const doc of [
      [],
      'text',
      42,
      null,
      { a: undefined },
      { a: NaN },
      { a: -0 },
      { a: new Date(0) },
      { a: 'bell\u0007' },
      { ['k'.repeat(1025)]: 1 },
      { 'a\nb': 1 },
      { a: 'x\n  ' },
      { '---': 1 },
    ])
      expect(plainYaml(doc)).toBeUndefined();
    expect(plainYaml({ a: { b: ['x', { c: 'line 1\nline 2\n' }] } })).toBe('a:\n  b:\n    - x\n    - c: |\n        line 1\n        line 2\n');
  });
});
