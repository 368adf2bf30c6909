import { cliInProcess, writeTree } from '../util';

/** A Secret manifest with one placeholder value, in a namespace or without one. */
const secret = (name: string, namespace?: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}type: Opaque\nstringData:\n  TOKEN: "CHANGE_ME"\n`;
const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apps\ndata:\n  A: "1"\n';

/** The script-secret-overwritten findings of a tree, as [severity, object, message]. */
async function found(files: Record<string, string>): Promise<[string, string, string][]> {
  const dir = writeTree('script-secret-overwritten-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
    .filter((f) => f.rule === 'script-secret-overwritten')
    .map((f) => [f.severity, f.object, f.message]);
}

const CREATE = 'kubectl create namespace apps\nkubectl -n apps create secret generic api-token --from-literal=TOKEN="$(openssl rand -hex 16)"\n';

describe('script-secret-overwritten: a Secret created imperatively, then applied again from a file', () => {
  test('a folder applied after the create command holds the Secret: an error naming both lines', async () => {
    const f = await found({ 'deploy.sh': `${CREATE}kubectl apply -f k8s/\n`, 'k8s/token.yaml': secret('api-token', 'apps'), 'k8s/settings.yaml': configMap });
    expect(f.map(([s, o]) => [s, o])).toEqual([['error', 'Secret/apps/api-token']]);
    expect(f[0][2]).toMatch(/deploy\.sh:2 creates Secret 'api-token' \(`kubectl -n apps create secret generic api-token .*`\), and line 3 then applies/);
    expect(f[0][2]).toContain("TOKEN: 'CHANGE_ME'");
  });

  test("the file's Secret without a namespace goes to the apply's -n; with neither, the context decides: a warning", async () => {
    expect((await found({ 'deploy.sh': `${CREATE}kubectl apply -n apps -f k8s/\n`, 'k8s/token.yaml': secret('api-token') })).map(([s]) => s)).toEqual([
      'error',
    ]);
    expect((await found({ 'deploy.sh': `${CREATE}kubectl apply -f k8s/\n`, 'k8s/token.yaml': secret('api-token') })).map(([s]) => s)).toEqual(['warning']);
  });

  test('near misses: another name, another namespace, files applied one by one that skip it, an apply before the create', async () => {
    expect(await found({ 'deploy.sh': `${CREATE}kubectl apply -f k8s/\n`, 'k8s/token.yaml': secret('api-token-example', 'apps') })).toEqual([]);
    expect(await found({ 'deploy.sh': `${CREATE}kubectl apply -f k8s/\n`, 'k8s/token.yaml': secret('api-token', 'staging') })).toEqual([]);
    expect(
      await found({
        'deploy.sh': `${CREATE}kubectl apply -f k8s/settings.yaml\n`,
        'k8s/token.yaml': secret('api-token', 'apps'),
        'k8s/settings.yaml': configMap,
      }),
    ).toEqual([]);
    expect(await found({ 'deploy.sh': `kubectl apply -f k8s/\n${CREATE}`, 'k8s/token.yaml': secret('api-token', 'apps') })).toEqual([]);
  });
});

describe('script-secret-overwritten: a README is a guide whose steps its reader runs, not a script', () => {
  const create = '```bash\nkubectl -n apps create secret generic api-token --from-literal=TOKEN="$(openssl rand -hex 16)"\n```\n';
  const apply = '```bash\nkubectl apply -f k8s/\n```\n';
  const files = (readme: string) => ({ 'README.md': readme, 'k8s/token.yaml': secret('api-token', 'apps'), 'k8s/settings.yaml': configMap });

  test('two steps run one after the other as written: a warning, since the reader may skip one', async () => {
    const f = await found(files(`# Setup\n\nMake a token:\n\n${create}\nDeploy:\n\n${apply}`));
    expect(f.map(([s, o]) => [s, o])).toEqual([['warning', 'Secret/apps/api-token']]);
    expect(f[0][2]).toMatch(
      /README\.md:6 creates Secret 'api-token' .* in namespace 'apps', for a reader who runs both steps as written: kubectl apply patches/,
    );
  });

  test('near misses: the prose offers the two as alternatives, after the create step or before the apply step', async () => {
    const orFile = `# Setup\n\n${create}\nOr apply [the token file](k8s/token.yaml) after replacing the placeholder.\n\n## Deploy\n\n${apply}`;
    expect(await found(files(orFile))).toEqual([]);
    const alternatively = `# Setup\n\n${create}\n## Deploy\n\nAlternatively, apply the whole folder once the token in it is filled in:\n\n${apply}`;
    expect(await found(files(alternatively))).toEqual([]);
    const listed = `# Setup\n\n${create}\n## Deploy\n\n1. (Alternative) everything at once:\n\n${apply}`;
    expect(await found(files(listed))).toEqual([]);
  });

  test('a script runs both whatever its comments say: still an error', async () => {
    const script = `${CREATE}# or apply k8s/token.yaml after replacing the placeholder\nkubectl apply -f k8s/\n`;
    expect((await found({ 'deploy.sh': script, 'k8s/token.yaml': secret('api-token', 'apps') })).map(([s]) => s)).toEqual(['error']);
  });
});
