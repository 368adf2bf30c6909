import { execFileSync } from 'child_process';
import * as path from 'path';
import * as YAML from 'yaml';
import { shellReferences } from '../../lib/check/env-references';
import { cliInProcess, podWorkload, writeTree } from '../util';

/**
 * The references the kubelet leaves in a value, from the cases of k8s.io/kubernetes
 * third_party/forked/golang/expansion/expand_test.go: only `$(NAME)` expands, `$$` escapes, any other `$` is copied.
 */
describe('shellReferences', () => {
  test.each([
    ['$VAR_A', ['$VAR_A']],
    ['${VAR_A}', ['${VAR_A}']],
    ['$VAR_A)', ['$VAR_A']],
    ['$(VAR_A)', []],
    ['$$(VAR_A)', []],
    ['$$VAR_A', []],
    ['$$$VAR_A', ['$VAR_A']],
    ['$?_boo_$!', []],
    ['f00__(VAR_A)__', []],
    ['/usr/lib:$LD_LIBRARY_PATH:${PATH}', ['$LD_LIBRARY_PATH', '${PATH}']],
    ['${VAR_A', []],
    ['trailing $', []],
  ])('%s leaves %j', (value, tokens) => {
    expect(shellReferences(value).map((r) => r.token)).toEqual(tokens);
  });
});

async function findings(env: { name: string; value: string }[], extra: Record<string, unknown> = {}): Promise<{ severity: string; message: string }[]> {
  const pod = podWorkload('server', 'ai', { containers: [{ name: 'main', image: 'quay.io/acme-serving/app:1.0', env, ...extra }] });
  const dir = writeTree('env-shell-', { 'tree.yaml': YAML.stringify(pod) });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'env-shell-reference');
}

describe('env-shell-reference', () => {
  test("a self-reference replaces the image's value: the fix is the full value, not $(VAR)", async () => {
    const [f, ...rest] = await findings([{ name: 'PATH', value: '/opt/tools/bin:$PATH' }]);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.message).toContain("replaces the image's PATH");
    expect(f.message).toContain('$(PATH) does not help');
  });

  test('a reference to an entry defined later asks to move it before, one defined earlier to write $(NAME)', async () => {
    const later = await findings([
      { name: 'CACHE', value: '$ROOT/cache' },
      { name: 'ROOT', value: '/data' },
    ]);
    expect(later.map((f) => f.message)).toEqual([expect.stringContaining('define ROOT before CACHE')]);
    const earlier = await findings([
      { name: 'ROOT', value: '/data' },
      { name: 'CACHE', value: '${ROOT}/cache' },
    ]);
    expect(earlier.map((f) => f.message)).toEqual([expect.stringContaining('write $(ROOT)')]);
  });

  test("a whole `${NAME}` among the object's other unrendered placeholders is one of them: said once, by unrendered-placeholder", async () => {
    const env = [
      { name: 'PROJECT', value: '${PROJECT_ID}' },
      { name: 'BUILD_STAMP', value: '${BUILD_STAMP}' },
    ];
    const pod = podWorkload('server', 'ai', { containers: [{ name: 'main', image: 'quay.io/acme-serving/app:1.0', env }] });
    const dir = writeTree('env-shell-', { 'tree.yaml': YAML.stringify(pod) });
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out) as { findings: { rule: string; message: string }[] };
    const of = (rule: string) => report.findings.filter((f) => f.rule === rule).map((f) => f.message);
    expect(of('env-shell-reference')).toEqual([]);
    expect(of('unrendered-placeholder')).toEqual([expect.stringContaining("container 'main' env BUILD_STAMP holds '${BUILD_STAMP}'")]);
    // alone, the same value is a variable meant to be extended: env-shell-reference's
    expect((await findings([{ name: 'BUILD_STAMP', value: '${BUILD_STAMP}' }])).map((f) => f.severity)).toEqual(['warning']);
  });

  test('a file the tree renders with envsubst before applying it holds no shell reference: envsubst fills it first', async () => {
    const env = [
      { name: 'PROJECT', value: 'demo' },
      { name: 'BUCKET', value: 'gs://${PROJECT}-inputs' },
    ];
    const pod = YAML.stringify(podWorkload('server', 'ai', { containers: [{ name: 'main', image: 'quay.io/acme-serving/app:1.0', env }] }));
    const rules = async (files: Record<string, string>) =>
      (JSON.parse((await cliInProcess(['check', writeTree('env-shell-', files), '--platform', 'kserve', '--json'])).out).findings as { rule: string }[])
        .filter((f) => f.rule === 'env-shell-reference')
        .map((f) => f.rule);
    expect(await rules({ 'k8s/app.yaml': pod, 'README.md': 'Deploy:\n\n    envsubst < k8s/app.yaml | kubectl apply -f -\n' })).toEqual([]);
    // near miss: the README applies it as it is
    expect(await rules({ 'k8s/app.yaml': pod, 'README.md': 'Deploy:\n\n    kubectl apply -f k8s/app.yaml\n' })).toEqual(['env-shell-reference']);
    // the file's own comment runs envsubst; a kustomize build piped into envsubst
    expect(await rules({ 'k8s/app.yaml': `# envsubst < app.yaml | kubectl apply -f -\n${pod}` })).toEqual([]);
    const kustomization = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [app.yaml]\n';
    expect(
      await rules({ 'k8s/app.yaml': pod, 'k8s/kustomization.yaml': kustomization, 'deploy.sh': 'kustomize build k8s | envsubst | kubectl apply -f -\n' }),
    ).toEqual([]);
    // the renderer, not the words of the reason: sed fills no ${PROJECT}, though its script's name says envsubst
    expect(await rules({ 'k8s/app.yaml': pod, 'envsubst-free.sh': "sed -e 's/__NS__/ai/' k8s/app.yaml | kubectl apply -f -\n" })).toEqual([
      'env-shell-reference',
    ]);
  });

  test('an envFrom source may set the variable: the fix names it', async () => {
    const [f] = await findings([{ name: 'PYTHONPATH', value: '/app:$PYTHONPATH' }], { envFrom: [{ configMapRef: { name: 'paths' } }] });
    expect(f.message).toContain('unless an envFrom source');
  });

  test('quiet: $(VAR), $$ escapes, names of no variable, multi-line scripts, the eval-ed hook', async () => {
    expect(
      await findings([
        { name: 'ROOT', value: '/data' },
        { name: 'CACHE', value: '$(ROOT)/cache' },
        { name: 'LITERAL', value: '$$PATH' },
        { name: 'PASSWORD', value: 'x$secret' },
        { name: 'SCRIPT', value: 'export PATH=/opt:$PATH\nexec app\n' },
        { name: 'VLLM_ADDITIONAL_ARGS', value: '--root $ROOT' },
      ]),
    ).toEqual([]);
  });
});

describe('env-shell-reference: a guide of the repository renders the file through envsubst', () => {
  /** The env-shell-reference findings on `examples/chat` of a git repository with remote `remote`, made of `files`. */
  async function inRepository(files: Record<string, string>, remote = 'https://github.com/acme/serving.git') {
    const pod = podWorkload('chat', 'ai', {
      containers: [{ name: 'main', image: 'registry.example.com/serving/chat:2.0', env: [{ name: 'HF_TOKEN', value: '$HF_TOKEN' }] }],
    });
    const root = writeTree('env-shell-repo-', { ...files, 'examples/chat/chat.yaml': YAML.stringify(pod) });
    execFileSync('git', ['init', '-q', root]);
    execFileSync('git', ['-C', root, 'remote', 'add', 'origin', remote]);
    const report = JSON.parse((await cliInProcess(['check', path.join(root, 'examples/chat'), '--platform', 'kserve', '--json'])).out);
    return report.findings.filter((f: { rule: string }) => f.rule === 'env-shell-reference').map((f: { severity: string; message: string }) => f.severity);
  }
  const raw = 'https://raw.githubusercontent.com/acme/serving/refs/heads/main/examples/chat/chat.yaml';
  const guide = (line: string) =>
    `---\ntitle: Chat\n---\n\nDeploy it:\n\n{{< tabpane >}}\n{{< tab header="Chat" lang="shell" >}}\nexport HF_TOKEN=<token>\n${line}\n{{< /tab >}}\n{{< /tabpane >}}\n`;

  test("near miss: a site's guide (site/content) pipes the file's raw URL of this repository through envsubst into kubectl apply", async () => {
    expect(await inRepository({ 'site/content/en/docs/chat.md': guide(`curl -sL ${raw} | envsubst | kubectl apply -f -`) })).toEqual([]);
  });

  test('near miss: the github.com/<owner>/<repo>/raw/ form, from a website/ guide in a fenced block', async () => {
    const url = 'https://github.com/acme/serving/raw/main/examples/chat/chat.yaml';
    const md = `# Chat\n\n\`\`\`bash\ncurl -sL ${url} | envsubst | kubectl apply -f -\n\`\`\`\n`;
    expect(await inRepository({ 'website/docs/chat.md': md })).toEqual([]);
  });

  test('still found: no renderer anywhere, the raw URL of another repository, or an envsubst that fills other names', async () => {
    expect(await inRepository({ 'site/content/en/docs/chat.md': '# Chat\n\nkubectl apply -f examples/chat/chat.yaml\n' })).toEqual(['warning']);
    expect(
      await inRepository({ 'site/content/en/docs/chat.md': guide(`curl -sL ${raw} | envsubst | kubectl apply -f -`) }, 'https://github.com/other/serving.git'),
    ).toEqual(['warning']);
    expect(await inRepository({ 'site/content/en/docs/chat.md': guide(`curl -sL ${raw} | envsubst '$MODEL_ID' | kubectl apply -f -`) })).toEqual(['warning']);
  });
});
