import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { renderChart } from '../../lib/helm/chart-render';
import { userValues, ValuesSource } from '../../lib/helm/user-values';

/** One differential case: a fixture chart and helm template's flags (-f files relative to the chart's folder, --set, --set-string). */
export interface HelmCase {
  /** A folder of test/helm/charts, or an absolute path (a chart the test made). */
  readonly chart: string;
  readonly args?: readonly string[];
  readonly release?: string;
  readonly namespace?: string;
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
}

export const CHARTS = process.env.HELM_CHARTS ?? path.join(__dirname, 'charts');

/** The documents of helm template's output, by `# Source:` (comments-only documents left out). */
export function helmDocs(stdout: string): { source: string; manifest: unknown }[] {
  return stdout
    .split(/^---\n/m)
    .map((doc) => ({ source: /^# Source: (.*)$/m.exec(doc)?.[1] ?? '', doc }))
    .flatMap(({ source, doc }) => YAML.parseAllDocuments(doc, { version: '1.1' }).map((d) => ({ source, manifest: d.toJS() as unknown })))
    .filter((d) => d.manifest !== null && d.manifest !== undefined);
}

/** A list of documents as one comparable, order-free text. */
export function canonical(docs: readonly { source: string; manifest: unknown }[]): string[] {
  const norm = (v: unknown): unknown =>
    typeof v === 'bigint'
      ? Number(v)
      : Array.isArray(v)
        ? v.map(norm)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, norm((v as Record<string, unknown>)[k])]),
            )
          : v;
  return docs.map((d) => `${d.source}\n${JSON.stringify(norm(d.manifest), null, 1)}`).sort();
}

const chartDir = (c: HelmCase) => (path.isAbsolute(c.chart) ? c.chart : path.join(CHARTS, c.chart));

function sources(c: HelmCase): ValuesSource[] {
  const args = c.args ?? [];
  const out: ValuesSource[] = [];
  for (let i = 0; i < args.length; i += 2) {
    if (args[i] === '-f') out.push({ yaml: fs.readFileSync(path.join(chartDir(c), args[i + 1]), 'utf8'), name: args[i + 1] });
    else if (args[i] === '--set' || args[i] === '--set-string') out.push({ set: args[i + 1], asString: args[i] === '--set-string' });
  }
  return out;
}

/** What helm template and the project render for a case: both documents lists, or each one's failure. */
export function renderBoth(c: HelmCase, helm: string): { helm: string[] | string; ours: string[] | string } {
  const dir = chartDir(c);
  const flags = (c.args ?? []).map((a, i, all) => (all[i - 1] === '-f' ? path.join(dir, a) : a));
  const extra = [...(c.kubeVersion ? ['--kube-version', c.kubeVersion] : []), ...(c.apiVersions ?? []).flatMap((a) => ['--api-versions', a])];
  const run = spawnSync(helm, ['template', c.release ?? 'rel', dir, '--namespace', c.namespace ?? 'ns', '--include-crds', ...flags, ...extra], {
    encoding: 'utf8',
  });
  const helmOut = run.status === 0 ? canonical(helmDocs(run.stdout)) : `fails: ${run.stderr.trim()}`;
  const r = renderChart({
    chartDir: dir,
    releaseName: c.release ?? 'rel',
    namespace: c.namespace ?? 'ns',
    values: userValues(sources(c)),
    capabilities: { clusterUnknown: false, kubeVersion: c.kubeVersion, apiVersions: c.apiVersions },
    includeCrds: true,
  });
  const ours = r.ok ? canonical(r.objects.map((o) => ({ source: o.source, manifest: o.manifest }))) : `fails: ${r.reason}`;
  return { helm: helmOut, ours };
}
