import { cliInProcess, writeTree } from '../util';

/** The plaintext-secret findings of a tree, as [severity, object, message]. */
async function found(files: Record<string, string>): Promise<[string, string, string][]> {
  // a tree with an object of its own: the CLI refuses an input with none
  const dir = writeTree('plaintext-secret-', { 'k8s/settings.yaml': SETTINGS, ...files });
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
    .filter((f) => f.rule === 'plaintext-secret')
    .map((f) => [f.severity, f.object, f.message]);
}

const SETTINGS = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: serving\ndata:\n  LOG_LEVEL: info\n';

/** A workflow whose step applies a Secret from a heredoc, its api-key value as given. */
const workflow = (value: string) =>
  [
    'name: deploy',
    'on: [push]',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - name: Apply the key',
    '        run: |',
    '          cat <<EOF | oc apply -f -',
    '          apiVersion: v1',
    '          kind: Secret',
    '          metadata:',
    '            name: gateway-keys',
    '            namespace: serving',
    '          stringData:',
    `            api-key: "${value}"`,
    '          EOF',
    '',
  ].join('\n');

/** A Makefile recipe that creates a Secret from the literal of its api-key, after the lines given. */
const makefile = (before: string[], literal: string) =>
  ['secret:', ...before.map((l) => `\t${l}`), `\tkubectl create secret generic gateway-keys -n serving --from-literal=api-key="${literal}"`, ''].join('\n');

describe('plaintext-secret: values a pipeline fills, which the repository never holds', () => {
  test("a GitHub Actions expression (`${{ secrets.API_KEY }}`) is the runner's to fill from the repository's encrypted secrets: no finding", async () => {
    expect(await found({ '.github/workflows/deploy.yml': workflow('${{ secrets.API_KEY }}') })).toEqual([]);
  });

  test("a Makefile's `$$VAR` is the shell's $VAR (make turns $$ into $): set from a command the recipe runs, no value is written", async () => {
    expect(await found({ Makefile: makefile(["API_KEY=$$(grep -E '^API_KEY=' .env | cut -d= -f2-) && \\"], '$$API_KEY') })).toEqual([]);
  });

  test('near misses: the value written in the workflow step or in the recipe is plain text: a warning', async () => {
    expect(await found({ '.github/workflows/deploy.yml': workflow('k3y-9f2a7c41d0b8e6') })).toEqual([
      ['warning', 'Secret/serving/gateway-keys', expect.stringMatching(/^holds credentials in api-key in plain text/)],
    ]);
    expect(await found({ Makefile: makefile([], 'k3y-9f2a7c41d0b8e6') })).toEqual([
      ['warning', 'Secret/serving/gateway-keys', expect.stringMatching(/^holds credentials in api-key in plain text .*Makefile creates it/)],
    ]);
  });
});
