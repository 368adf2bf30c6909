import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cachedChart, cachedCharts, helmRepositoryCache } from '../../lib/manifests/chart-cache';
import { cliInProcess, tempDir, writeTree } from '../util';

// A chart of our own, packaged as `helm pull` writes it (<name>-<version>.tgz holding the folder <name>/), and checked
// through a release whose chart is remote: the cache folder stands in for the registry.

const CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: notes-api\nversion: VERSION\n',
  'values.yaml': 'image: {repository: registry.example.org/notes-api, tag: 2.0.0}\nclaim: notes-data\n',
  'templates/deployment.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: {{ .Release.Name }}, namespace: {{ .Release.Namespace }}}\nspec:\n  selector: {matchLabels: {app: notes}}\n  template:\n' +
    '    metadata: {labels: {app: notes}}\n    spec:\n      containers:\n        - name: api\n          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n' +
    '          volumeMounts: [{name: data, mountPath: /data}]\n      volumes:\n        - name: data\n          persistentVolumeClaim: {claimName: {{ .Values.claim }}}\n',
};

/** A cache folder holding the chart packaged at each version, and one unpacked copy when asked. */
function cacheWith(versions: readonly string[], unpacked?: string): string {
  const cache = tempDir('chart-cache-');
  for (const v of [...versions, ...(unpacked ? [unpacked] : [])]) {
    const src = tempDir('chart-src-');
    for (const [f, text] of Object.entries(CHART)) {
      fs.mkdirSync(path.dirname(path.join(src, 'notes-api', f)), { recursive: true });
      fs.writeFileSync(path.join(src, 'notes-api', f), text.replace('VERSION', v));
    }
    if (v === unpacked) fs.cpSync(path.join(src, 'notes-api'), path.join(cache, 'notes-api'), { recursive: true });
    else execFileSync('tar', ['czf', path.join(cache, `notes-api-${v}.tgz`), '-C', src, 'notes-api']);
  }
  return cache;
}

const release = (version: string) =>
  'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: notes, namespace: tools}\nspec:\n  interval: 1h\n  chart:\n    spec:\n' +
  `      chart: notes-api\n      version: "${version}"\n      sourceRef: {kind: HelmRepository, name: charts}\n  values:\n    claim: notes-cache\n`;
const claim =
  'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: notes-data, namespace: tools}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n';

async function check(files: Record<string, string>, args: string[]): Promise<{ rule: string; object: string; message: string }[]> {
  const r = await cliInProcess(['check', writeTree('chart-cache-tree-', files), '--platform', 'kserve', '--json', ...args]);
  return JSON.parse(r.out).findings;
}

describe('the chart cache', () => {
  test("Helm's repository cache: HELM_REPOSITORY_CACHE, else HELM_CACHE_HOME/repository, else XDG_CACHE_HOME/helm/repository, else the platform's cache home", () => {
    expect(helmRepositoryCache({ HELM_REPOSITORY_CACHE: '/c/repo', XDG_CACHE_HOME: '/x' }, 'linux')).toBe('/c/repo');
    expect(helmRepositoryCache({ HELM_CACHE_HOME: '/h' }, 'linux')).toBe('/h/repository');
    expect(helmRepositoryCache({ XDG_CACHE_HOME: '/x' }, 'linux')).toBe('/x/helm/repository');
    expect(helmRepositoryCache({ HOME: '/home/ana' }, 'linux')).toBe('/home/ana/.cache/helm/repository');
    expect(helmRepositoryCache({ HOME: '/Users/ana' }, 'darwin')).toBe('/Users/ana/Library/Caches/helm/repository');
  });

  test('archives by their file name, unpacked charts by their Chart.yaml; a version or the newest a range allows', () => {
    const charts = cachedCharts([cacheWith(['1.2.0', '1.4.1', '2.0.0'], '1.3.0')]);
    expect(charts.map((c) => `${c.name}@${c.version}`).sort()).toEqual(['notes-api@1.2.0', 'notes-api@1.3.0', 'notes-api@1.4.1', 'notes-api@2.0.0']);
    expect(cachedChart(charts, 'notes-api', '1.2.0')?.version).toBe('1.2.0');
    expect(cachedChart(charts, 'notes-api', '^1.0.0')?.version).toBe('1.4.1');
    expect(cachedChart(charts, 'notes-api', '~1.3.0')?.version).toBe('1.3.0');
    expect(cachedChart(charts, 'notes-api', undefined)?.version).toBe('2.0.0');
    expect(cachedChart(charts, 'notes-api', '3.0.0')).toBeUndefined();
    expect(cachedChart(charts, 'other', '1.2.0')).toBeUndefined();
  });

  test("a HelmRelease's remote chart in --charts is rendered with its values: the Deployment's missing claim is found", async () => {
    const found = await check({ 'release.yaml': release('^1.0.0'), 'claim.yaml': claim }, ['--charts', cacheWith(['1.2.0', '1.4.1'])]);
    expect(found.filter((f) => f.rule === 'pod-reference-not-found').map((f) => f.object)).toEqual(['Deployment/tools/notes']);
    expect(found.filter((f) => f.rule === 'input-not-followed')).toEqual([]);
  });

  test("an unpacked chart; the project file's charts folder; Helm's repository cache", async () => {
    const unpacked = cacheWith([], '1.2.0');
    expect(
      (await check({ 'release.yaml': release('1.2.0'), 'claim.yaml': claim }, ['--charts', unpacked])).filter((f) => f.rule === 'pod-reference-not-found'),
    ).toHaveLength(1);
    const project = {
      'release.yaml': release('1.2.0'),
      'claim.yaml': claim,
      '.cdk8s-vllm.json': JSON.stringify({ charts: unpacked }),
    };
    expect((await check(project, [])).filter((f) => f.rule === 'pod-reference-not-found')).toHaveLength(1);
    const before = process.env.HELM_REPOSITORY_CACHE;
    process.env.HELM_REPOSITORY_CACHE = cacheWith(['1.2.0']);
    try {
      expect((await check({ 'release.yaml': release('1.2.0'), 'claim.yaml': claim }, [])).filter((f) => f.rule === 'pod-reference-not-found')).toHaveLength(1);
    } finally {
      process.env.HELM_REPOSITORY_CACHE = before;
    }
  });

  test('near misses: a version the cache does not hold stays the note on a chart not in the input; --charts naming no folder is a usage error', async () => {
    const found = await check({ 'release.yaml': release('3.0.0'), 'claim.yaml': claim }, ['--charts', cacheWith(['1.2.0'])]);
    expect(found.filter((f) => f.rule === 'pod-reference-not-found')).toEqual([]);
    expect(found.filter((f) => f.rule === 'input-not-followed').map((f) => f.message.slice(0, 60))).toEqual([
      'HelmRelease/tools/notes installs chart notes-api 3.0.0 from ',
    ]);
    const r = await cliInProcess(['check', writeTree('chart-cache-tree-', { 'claim.yaml': claim }), '--charts', '/nonexistent/charts']);
    expect([r.code, r.err]).toEqual([2, expect.stringContaining('--charts names no folder: /nonexistent/charts')]);
  });
});
