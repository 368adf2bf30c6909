import { parseDocuments, parseOne } from '../../lib/manifests/yaml-documents';
import { kubectlBuild, writeTree } from '../setup/kustomize-build';

// Flow collections and quoted strings whose continuation lines are indented no deeper than their key: YAML 1.2 (and
// the yaml library) refuses them, go-yaml ignores indentation there (scannerc.go yaml_parser_unroll_indent returns
// when flow_level > 0; yaml_parser_scan_flow_scalar skips a continuation line's leading blanks). Each case is built
// with the real kubectl kustomize (kyaml, go-yaml v3) and read by the reader; the expected value is written by hand.
const CM = (body: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n${body}`;

const built = (text: string) => kubectlBuild(writeTree({ 'kustomization.yaml': 'resources: [r.yaml]\n', 'r.yaml': text }, 'go-yaml-indent-'));

describe('continuation lines indented less than their key', () => {
  test.each<[string, string, Record<string, unknown>]>([
    [
      'a flow sequence of a container command continuing at a lower column (as written in a TFJob sample)',
      'data:\n  x: y\nlist:\n    - name: t\n      command: ["python",\n    "/p.py",\n    "--dir", "/d"]\n      image: i\n',
      { list: [{ name: 't', command: ['python', '/p.py', '--dir', '/d'], image: 'i' }] },
    ],
    ['a flow mapping continuing at column 0', 'data: {a: "1",\nb: "2"}\n', { data: { a: '1', b: '2' } }],
    ['a flow mapping continuing one column left of its key', '  labels: {a: b,\n c: d}\ndata: {}\n', { metadata: { name: 'c', labels: { a: 'b', c: 'd' } } }],
    ['a double-quoted string continuing at column 0', 'data:\n  a: "one\ntwo"\n', { data: { a: 'one two' } }],
    ['a single-quoted string with an escaped quote continuing at column 0', "data:\n  a: 'it''s\nhere'\n", { data: { a: "it's here" } }],
    [
      'nested flow collections, a quoted string and comments inside',
      'data:\n  a: x\nitems: [ "# no comment",\n"y" # a comment ]\n, {k: [1,\n2]}]\n',
      { items: ['# no comment', 'y', { k: [1, 2] }] },
    ],
    ['a flow sequence as a block sequence item', 'data:\n  a: x\nlist:\n  - [a,\n  b]\n', { list: [['a', 'b']] }],
  ])('%s: kustomize reads it, and so does the reader, with a note', (_, body, expected) => {
    const text = CM(body);
    const kustomize = built(text);
    expect(kustomize).toHaveProperty('objects');
    const fromKubectl = (kustomize as { objects: Record<string, unknown>[] }).objects[0];
    const { objects, problems } = parseDocuments(text);
    expect(objects).toHaveLength(1);
    for (const [key, value] of Object.entries(expected)) {
      expect(fromKubectl[key]).toEqual(value);
      expect(objects[0].manifest[key]).toEqual(value);
    }
    expect(problems.map((p) => p.severity)).toEqual(['info']);
    expect(problems[0].message).toMatch(
      /indented no deeper than its key: go-yaml \(kubectl, kustomize, Argo CD\) reads it as written, but the file is not strict YAML 1\.2/,
    );
  });

  test('the note names the construct and the lines', () => {
    const { problems } = parseDocuments(CM('data:\n  x: y\nlist:\n    - command: ["python",\n    "/p.py",\n    "a"]\n'));
    expect(problems.map((p) => [p.line, p.message.split(':')[0] + ':' + p.message.split(':')[1]])).toEqual([
      [8, 'line 8: the flow sequence continues on lines 9-10 indented no deeper than its key'],
    ]);
  });

  test.each([
    ['a document marker inside a flow mapping', '  labels: {a: b,\n---\n  c: d}\ndata:\n  a: x\n'],
    ['a document marker inside a quoted string', '  labels: {a: "b\n---\n  c", d: e}\ndata:\n  a: x\n'],
    ['a plain multi-line value continuing at column 0 (block context)', 'data:\n  a: one\ntwo\n'],
    ['a block scalar line less indented than its content', 'data:\n  a: |\n    x\n  y\n'],
    ['a flow sequence that never closes', 'data:\n  a: [x,\ny\n'],
  ])('%s: kustomize refuses it, and the reader keeps its error', (_, body) => {
    const text = CM(body);
    expect(built(text)).toHaveProperty('error');
    const { problems } = parseDocuments(text);
    expect(problems.filter((p) => p.severity === 'error').length).toBeGreaterThan(0);
    expect(problems.filter((p) => p.severity === 'info')).toEqual([]);
  });

  test('a kustomization or patch read on its own is read the same way', () => {
    expect(parseOne('resources: [a.yaml,\nb.yaml]\n')).toEqual({ value: { resources: ['a.yaml', 'b.yaml'] } });
    expect(parseOne('resources:\n  - a: "x\n---\ny"\n')).toHaveProperty('error');
  });
});

describe('repeated keys: one finding per document', () => {
  test('two objects without a `---` between them: every top-level key repeats, said once as the missing separator', () => {
    const text = CM('data:\n  a: x\n') + CM('data:\n  b: y\n');
    const { objects, problems } = parseDocuments(text);
    expect(objects).toHaveLength(1);
    expect(problems.map((p) => [p.kind, p.line, p.message])).toEqual([
      [
        'duplicate-key',
        7,
        "document 1 repeats 'apiVersion', 'kind', 'metadata', 'data': two objects without a `---` separator, read as one mapping; applied as written (kubectl or oc apply, an Argo CD directory source), the document is decoded with sigs.k8s.io/yaml, where the last value of a repeated key wins without an error, so only the second object's values are kept and the first one's are dropped: put a line `---` before the second apiVersion",
      ],
    ]);
  });

  test('several repeated keys of one object: one finding naming them all', () => {
    const { problems } = parseDocuments(CM('data:\n  a: x\n  b: y\n  a: z\n  b: w\n'));
    expect(problems.map((p) => [p.line, p.message.split(';')[0]])).toEqual([[8, "document 1: the keys 'a', 'b' each appear twice in one mapping"]]);
  });

  test('near miss: apiVersion repeated alone is a repeated key, not a missing separator', () => {
    const { problems } = parseDocuments('apiVersion: v1\nkind: ConfigMap\napiVersion: v1\nmetadata: {name: c}\n');
    expect(problems.map((p) => p.message.split(';')[0])).toEqual(["document 1: the key 'apiVersion' appears twice in one mapping"]);
  });
});
