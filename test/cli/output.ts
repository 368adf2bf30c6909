import * as fs from 'fs';
import * as path from 'path';
import { Io } from '../../lib/cli/command';
import { runCli } from '../../lib/cli/main';
import { FindingReport, formatFindings, writeFindings } from '../../lib/cli/output/findings';
import { renderTable } from '../../lib/cli/output/table';
import { displayWidth, wrapText } from '../../lib/cli/output/text-width';
import { tempDir } from '../util';

/** An Io that writes into a string, with the terminal width a test gives. */
function buffer(columns?: number): Io & { text: () => string } {
  let out = '';
  return { out: (t) => (out += t), err: () => undefined, stdin: () => '', columns, text: () => out };
}

const LONG_MESSAGE =
  "spec.predictor.model.runtime 'vllm-cuda' is not a ServingRuntime of the tree; make sure it exists before the service syncs, or the service stays at RuntimeNotRecognized";

const report = (findings: FindingReport['findings']): FindingReport => ({
  findings,
  platform: { id: 'rhoai-3.0', source: 'default', reason: 'assumed' },
  rules: [],
  table: {
    header: ['SEVERITY', 'RULE', 'OBJECT', 'MESSAGE'],
    rows: findings.map((f) => [f.severity, f.rule, f.object, f.message]),
    footer: `${findings.length} finding(s)`,
    empty: 'no findings',
  },
});

const ONE = report([{ rule: 'runtime-not-found', severity: 'warning', object: 'InferenceService/ai/llm', message: LONG_MESSAGE, file: 'a.yaml', line: 3 }]);

describe('display width', () => {
  test('counts terminal columns, not UTF-16 units', () => {
    expect(displayWidth('Secret/ai/db')).toBe(12);
    expect(displayWidth('模型')).toBe(4); // CJK: two columns each
    expect(displayWidth('e\u0301te\u0301')).toBe(3); // combining accents take none
    expect(displayWidth('🚀ok')).toBe(4); // an emoji takes two, its surrogate pair is one grapheme
    expect(displayWidth('👩‍💻')).toBe(2); // a ZWJ sequence is one picture
  });

  test('wrapText breaks at spaces, long names at their separators, and never inside a grapheme', () => {
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('InferenceService/llm-hosting/mistral', 20)).toEqual(['InferenceService/', 'llm-hosting/mistral']);
    expect(wrapText('模型模型模型', 5)).toEqual(['模型', '模型', '模型']);
    expect(wrapText('aaaa\nbb', 10)).toEqual(['aaaa', 'bb']);
    expect(wrapText('', 10)).toEqual(['']);
  });
});

describe('the table writer', () => {
  test('at 80 columns the message wraps, continuation lines indented under the message column', () => {
    const io = buffer(80);
    writeFindings(io, 'table', ONE);
    // the message keeps 40 % of the width (32 columns): the object column gives up the rest and wraps at its '/'
    expect(io.text()).toBe(
      [
        'SEVERITY  RULE               OBJECT             MESSAGE',
        '--------  -----------------  -----------------  --------------------------------',
        'warning   runtime-not-found  InferenceService/  spec.predictor.model.runtime',
        "                             ai/llm             'vllm-cuda' is not a",
        '                                                ServingRuntime of the tree; make',
        '                                                sure it exists before the',
        '                                                service syncs, or the service',
        '                                                stays at RuntimeNotRecognized',
        '',
        '1 finding(s)',
        '',
      ].join('\n'),
    );
    for (const line of io.text().split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(80);
  });

  test('at 200 columns only what passes 200 wraps; with --wide at any width the row is one line', () => {
    const wide = buffer(200);
    writeFindings(wide, 'table', ONE);
    expect(wide.text().split('\n').slice(2, 4)).toEqual([
      "warning   runtime-not-found  InferenceService/ai/llm  spec.predictor.model.runtime 'vllm-cuda' is not a ServingRuntime of the tree; make sure it exists before the service syncs, or the service stays",
      '                                                      at RuntimeNotRecognized',
    ]);
    const narrow = buffer(80);
    writeFindings(narrow, 'table', ONE, { wide: true });
    expect(narrow.text().split('\n')).toEqual([
      'SEVERITY  RULE               OBJECT                   MESSAGE',
      `--------  -----------------  -----------------------  ${'-'.repeat(168)}`,
      `warning   runtime-not-found  InferenceService/ai/llm  ${LONG_MESSAGE}`,
      '',
      '1 finding(s)',
      '',
    ]);
  });

  test('without a terminal width the table is laid out to 100 columns', () => {
    const io = buffer(undefined);
    writeFindings(io, 'table', ONE);
    const lines = io.text().split('\n');
    expect(Math.max(...lines.map(displayWidth))).toBeLessThanOrEqual(100);
    expect(lines.slice(2, 4)).toEqual([
      "warning   runtime-not-found  InferenceService/ai/llm  spec.predictor.model.runtime 'vllm-cuda' is",
      '                                                      not a ServingRuntime of the tree; make sure it',
    ]);
  });

  test('a long object name wraps within its column at its separators; the message keeps its share', () => {
    const object = 'InferenceService/llm-hosting-production/a-very-long-inference-service-name-for-mistral-small-24b-instruct';
    const text = renderTable(['SEVERITY', 'OBJECT', 'MESSAGE'], [['error', object, 'name over 53 characters: rename it']], { columns: 80 });
    expect(text.split('\n')).toEqual([
      'SEVERITY  OBJECT                                MESSAGE',
      '--------  ------------------------------------  --------------------------------',
      'error     InferenceService/llm-hosting-         name over 53 characters: rename',
      '          production/a-very-long-inference-     it',
      '          service-name-for-mistral-small-24b-',
      '          instruct',
    ]);
  });

  test('wide characters align: columns are padded by display width', () => {
    const text = renderTable(
      ['OBJECT', 'MESSAGE'],
      [
        ['Secret/ai/模型', '日本語のメッセージ、とても長い説明文がここに続きます'],
        ['Secret/ai/db', 'e\u0301crit'],
      ],
      { columns: 40 },
    );
    expect(text.split('\n')).toEqual([
      'OBJECT          MESSAGE',
      '--------------  ------------------------',
      'Secret/ai/模型  日本語のメッセージ、とて',
      '                も長い説明文がここに続き',
      '                ます',
      'Secret/ai/db    e\u0301crit',
    ]);
  });

  test('a width of 0 is laid out as 100; a very narrow one still ends, every word printed, nothing wider than its need', () => {
    const rows = [['error', 'Secret/ai/模型', LONG_MESSAGE]];
    expect(renderTable(['SEVERITY', 'OBJECT', 'MESSAGE'], rows, { columns: 0 })).toBe(renderTable(['SEVERITY', 'OBJECT', 'MESSAGE'], rows, { columns: 100 }));
    const narrow = renderTable(['SEVERITY', 'OBJECT', 'MESSAGE'], rows, { columns: 10 }).split('\n');
    expect(narrow[1]).toBe('--------  --------  ------------------------');
    // a code unit is not a column: the object's second line holds 2 fewer characters before the message
    expect(narrow.slice(2, 4)).toEqual(['error     Secret/   spec.predictor.model.', "          ai/模型   runtime 'vllm-cuda' is"]);
    const rest = narrow.slice(4).map((l) => l.slice(20));
    expect(Math.max(...rest.map((l) => l.length))).toBeLessThanOrEqual(24);
    expect(['spec.predictor.model.runtime', "'vllm-cuda' is", ...rest].join(' ')).toBe(LONG_MESSAGE);
  });

  test('no findings: the empty text alone', () => {
    expect(formatFindings('table', report([]))).toBe('no findings\n');
  });
});

describe('one finding shape for check and validate', () => {
  test('JSON keys in a fixed order, absent ones left out, the platform beside them', () => {
    const out = JSON.parse(
      formatFindings('json', {
        ...ONE,
        findings: [
          { rule: 'schema-violation', severity: 'error', object: 'Secret/ai/db', message: 'm', file: 'b.yaml', line: 1, field: 'metadata.name' },
          { acknowledged: 'known', summary: 's', severity: 'warning', rule: 'r', object: 'o', message: 'n' },
        ],
      }),
    );
    expect(out).toEqual({
      platform: { id: 'rhoai-3.0', source: 'default', reason: 'assumed' },
      findings: [
        { rule: 'schema-violation', severity: 'error', object: 'Secret/ai/db', message: 'm', file: 'b.yaml', line: 1, field: 'metadata.name' },
        { rule: 'r', severity: 'warning', object: 'o', message: 'n', summary: 's', acknowledged: 'known' },
      ],
    });
    expect(Object.keys(out.findings[1])).toEqual(['rule', 'severity', 'object', 'message', 'summary', 'acknowledged']);
  });

  test('SARIF comes from the same entry point, the platform in the run properties', () => {
    const sarif = JSON.parse(formatFindings('sarif', ONE));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].properties).toEqual({ platform: { platform: 'rhoai-3.0', source: 'default', reason: 'assumed' } });
    expect(sarif.runs[0].results[0]).toMatchObject({
      ruleId: 'runtime-not-found',
      level: 'warning',
      message: { text: `InferenceService/ai/llm: ${LONG_MESSAGE}` },
    });
  });

  test('check --json and validate --json print the same keys for the same tree', async () => {
    const dir = tempDir('output-');
    fs.writeFileSync(
      path.join(dir, 'secret.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: ai}\ndata: {a: b}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: Bad_Name, namespace: ai}\nstringData: {AWS_SECRET_ACCESS_KEY: abcdefabcdefabcdef}\n',
    );
    const run = async (...args: string[]) => {
      const io = buffer(80);
      const code = await runCli(args, io);
      return { code, json: JSON.parse(io.text()) };
    };
    const checked = await run('check', dir, '--json');
    const validated = await run('validate', dir, '--json');
    expect(checked.code).toBe(1);
    expect(validated.code).toBe(1);
    // check also says which Kueue release it judged for
    expect(Object.keys(checked.json)).toEqual(['platform', 'kueue', 'findings']);
    expect(Object.keys(validated.json)).toEqual(['platform', 'findings']);
    expect(checked.json.findings).toContainEqual({
      rule: 'plaintext-secret',
      severity: 'warning',
      object: 'Secret/ai/Bad_Name',
      message: expect.stringContaining('AWS_SECRET_ACCESS_KEY'),
      file: path.join(dir, 'secret.yaml'),
      line: 6,
    });
    expect(validated.json.findings).toEqual([
      {
        rule: 'schema-violation',
        severity: 'error',
        object: 'Secret/ai/Bad_Name',
        message: expect.stringContaining("'Bad_Name' is not a valid Secret name"),
        file: path.join(dir, 'secret.yaml'),
        line: 6,
        field: 'metadata.name',
      },
    ]);
  });

  test('check and validate take --wide; the table of each wraps to the Io width without it', async () => {
    const dir = tempDir('output-');
    fs.writeFileSync(
      path.join(dir, 's.yaml'),
      'apiVersion: v1\nkind: Secret\nmetadata: {name: Bad_Name, namespace: ai}\nstringData: {AWS_SECRET_ACCESS_KEY: abcdefabcdefabcdef}\n',
    );
    for (const command of ['check', 'validate']) {
      const wrapped = buffer(80);
      await runCli([command, dir], wrapped);
      expect(
        Math.max(
          ...wrapped
            .text()
            .split('\n')
            .filter((l) => !/^\d+ (error|problem)/.test(l) && !l.startsWith('platform:') && !l.startsWith('kueue:'))
            .map(displayWidth),
        ),
      ).toBeLessThanOrEqual(80);
      const wide = buffer(80);
      await runCli([command, dir, '--wide'], wide);
      expect(Math.max(...wide.text().split('\n').map(displayWidth))).toBeGreaterThan(120);
    }
  });
});
