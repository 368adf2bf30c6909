import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { ROOT } from './util';

/** The README's construct example, type-checked against the library and run: documentation that cannot rot. */
describe('the README example', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Using the constructs in your own chart'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)![1];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  const out = path.join(dir, 'dist');
  const source = code
    .replace("from 'cdk8s-vllm'", `from ${JSON.stringify(path.join(ROOT, 'lib'))}`)
    .replace("'models/", `'${ROOT}/models/`)
    .replace(".write('dist')", `.write(${JSON.stringify(out)})`);
  const file = path.join(ROOT, 'test', '.readme-example.ts');

  afterAll(() => fs.rmSync(file, { force: true }));

  test('type-checks against the library', () => {
    fs.writeFileSync(file, source);
    const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, esModuleInterop: true, types: ['node'], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS });
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file);
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });

  test('runs and writes the tree it describes', () => {
    const js = ts.transpileModule(source.replace(JSON.stringify(path.join(ROOT, 'lib')), JSON.stringify(path.join(ROOT, 'build', 'lib'))), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    const jsFile = path.join(dir, 'example.js');
    fs.writeFileSync(jsFile, js);
    execFileSync('node', [jsFile], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') } });
    expect(fs.readdirSync(out).sort()).toEqual(['PLAN.md', 'apps']);
    expect(fs.readFileSync(path.join(out, 'apps', 'llm', 'serving.yaml'), 'utf8')).toMatch(/nvidia.com\/gpu: "4"/);
    expect(fs.readFileSync(path.join(out, 'PLAN.md'), 'utf8')).toMatch(/team-a\/mistral-small .* fits/);
  });
});
