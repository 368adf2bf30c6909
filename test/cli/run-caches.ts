import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseDocuments } from '../../lib/manifests/yaml-documents';
import { parsedOnce } from '../../lib/manifests/parse-cache';
import { perObject, perRun, perText, readsRunContext, withRunMemo } from '../../lib/private/run-memo';
import { buildCommandLine, containerPieces } from '../../lib/check/command-line';
import { VllmArgs } from '../../lib/check/vllm-args';
import { TextCache } from '../../lib/private/text-cache';

describe('per-run memo', () => {
  test('computes once per run for the same objects, and afresh in the next run and outside a run', () => {
    const m = { kind: 'Pod' };
    const other = { kind: 'Pod' };
    let calls = 0;
    const fact = (x: object, y?: object) => perRun('test-fact', [x, y], () => ++calls);
    withRunMemo(() => {
      expect(fact(m)).toBe(1);
      expect(fact(m)).toBe(1);
      expect(fact(other)).toBe(2); // an equal object is another key
      expect(fact(m, other)).toBe(3); // undefined and an object are different second keys
    });
    withRunMemo(() => expect(fact(m)).toBe(4));
    expect(fact(m)).toBe(5);
    expect(fact(m)).toBe(6);
  });

  test("a container's command line and vLLM's reading of it are made once per run and label", () => {
    const c = { command: ['/bin/sh', '-c'], args: ['exec vllm serve /mnt/models --port=8080'] };
    const line = () => buildCommandLine(containerPieces(c, "container 'main'"));
    withRunMemo(() => {
      expect(line()).toBe(line());
      expect(VllmArgs.of(line().words)).toBe(VllmArgs.of(line().words));
      expect(buildCommandLine(containerPieces(c, 'container'))).not.toBe(line()); // another label, other messages
    });
    expect(line()).not.toBe(line());
    expect(line().words.map((w) => w.word)).toEqual(['/bin/sh', '-c', 'exec', 'vllm', 'serve', '/mnt/models', '--port=8080']);
  });

  test('a nested run has its own memo and the outer one is restored', () => {
    const m = {};
    let calls = 0;
    withRunMemo(() => {
      expect(perRun('nested', [m], () => ++calls)).toBe(1);
      withRunMemo(() => expect(perRun('nested', [m], () => ++calls)).toBe(2));
      expect(perRun('nested', [m], () => ++calls)).toBe(1);
    });
  });
});

describe('facts kept past their run', () => {
  test("an object's fact is computed once while the object is unchanged, and again once it changes in place", () => {
    const m: Record<string, unknown> = { kind: 'Pod', metadata: { name: 'a' } };
    let calls = 0;
    const fact = () => perObject('test-object-fact', m, (o) => `${++calls}:${JSON.stringify(o)}`);
    withRunMemo(() => expect(fact()).toBe('1:{"kind":"Pod","metadata":{"name":"a"}}'));
    withRunMemo(() => expect(fact()).toBe('1:{"kind":"Pod","metadata":{"name":"a"}}'));
    (m.metadata as Record<string, unknown>).name = 'b';
    withRunMemo(() => {
      expect(fact()).toBe('2:{"kind":"Pod","metadata":{"name":"b"}}');
      expect(fact()).toBe('2:{"kind":"Pod","metadata":{"name":"b"}}');
    });
    // an equal object is another key; outside a run nothing is kept
    withRunMemo(() => expect(perObject('test-object-fact', { ...m }, () => 'other')).toBe('other'));
    expect(fact()).toBe('3:{"kind":"Pod","metadata":{"name":"b"}}');
  });

  test("a fact that read the run's context, itself or through a fact it asked for, is kept for its run only", () => {
    const m = { kind: 'Pod' };
    const inner = { kind: 'Pod' };
    let calls = 0;
    const contextual = () => perRun('test-contextual', [inner], () => (readsRunContext(), 'context'));
    for (let run = 1; run <= 2; run++) {
      withRunMemo(() => {
        expect(perObject('test-direct', m, () => (readsRunContext(), ++calls))).toBe(2 * run - 1);
        contextual(); // known to the run before the next fact asks for it
        expect(perObject('test-through', m, () => `${contextual()} ${++calls}`)).toBe(`context ${2 * run}`);
      });
    }
  });

  test("a text's fact is computed once, in a run or not", () => {
    const text = `echo ${process.pid} ${Math.random()}`;
    let calls = 0;
    const fact = () => perText('test-text-fact', text, (t) => `${++calls}:${t.length}`);
    expect(withRunMemo(fact)).toBe(`1:${text.length}`);
    expect(withRunMemo(fact)).toBe(`1:${text.length}`);
    expect(fact()).toBe(`1:${text.length}`);
  });
});

describe('text cache', () => {
  test('a text put is read back by another cache of the same folder and identity, not by one of another identity', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'text-cache-'));
    try {
      new TextCache(dir, 'one').put('key', '{"a":1}');
      expect(new TextCache(dir, 'one').get('key')).toBe('{"a":1}');
      expect(new TextCache(dir, 'two').get('key')).toBeUndefined();
      expect(new TextCache(dir, 'one').get('other key')).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parsed YAML kept by text', () => {
  // a text no earlier run kept, so that the first parse is a real one
  const unique = () => `# ${process.pid} ${Date.now()} ${Math.random()}\n`;

  test('a text parsed before is read back without parsing, equal to the first parse', () => {
    const text = `${unique()}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n`;
    const parse = jest.fn(() => ({ objects: [{ index: 0, line: 2, manifest: { kind: 'ConfigMap' } }] }));
    expect(parsedOnce(text, parse)).toEqual({ objects: [{ index: 0, line: 2, manifest: { kind: 'ConfigMap' } }] });
    expect(parsedOnce(text, parse)).toEqual({ objects: [{ index: 0, line: 2, manifest: { kind: 'ConfigMap' } }] });
    expect(parse).toHaveBeenCalledTimes(process.env.CDK8S_VLLM_NO_CACHE ? 2 : 1);
  });

  test('values JSON cannot give back (.inf, -0, one object reached by an alias twice) are parsed again, not read back changed', () => {
    const text = `${unique()}apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\nx: .inf\ny: -0\ndata: &d {k: v}\nbinaryData: *d\n`;
    for (let i = 0; i < 2; i++) {
      const m = parseDocuments(text).objects[0].manifest;
      expect(m.x).toBe(Infinity);
      expect(Object.is(m.y, -0)).toBe(true);
      expect(m.binaryData).toBe(m.data);
    }
    const plain = `${unique()}apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n`;
    expect(parseDocuments(plain)).toEqual(parseDocuments(plain));
    expect(parseDocuments(plain).objects[0].manifest).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
  });
});
