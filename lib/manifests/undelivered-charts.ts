import * as fs from 'fs';
import * as path from 'path';
import { isMapping, mappings, text } from './access';
import { ChartRequest, DEFAULT_CHART_REQUEST } from './chart-values';
import { yamlLib } from './yaml-documents';

/** A render of a chart that no delivery of the input names: its findings are warnings, the phrase saying how it was rendered. */
export interface UndeliveredRender {
  readonly chart: string;
  readonly delivery: string;
  readonly request: ChartRequest;
  /** How the chart was rendered, for the findings it caps at warnings ("rendered with …"). */
  readonly capped: string;
  /** How the chart was rendered, in the note that it was not ("checked as … renders it"). */
  readonly who: string;
}

/** The phrase of a render with the chart's default values alone, as `check <chart folder>` words it. */
export const DEFAULT_VALUES_RENDER = "rendered with the chart's default values";

/** chart-testing's values files (ct lint-and-install: `ci/*-values.yaml` of the chart, each one install). */
const CI_VALUES = /^.+-values\.ya?ml$/;

/** The chart folders a chart's `file://` dependencies name (helm dependency build copies them into its charts/). */
export function localDependencies(chart: string): string[] {
  let meta: unknown;
  try {
    meta = yamlLib().parse(fs.readFileSync(path.join(chart, 'Chart.yaml'), 'utf8'));
  } catch {
    return [];
  }
  if (!isMapping(meta)) return [];
  return mappings(meta.dependencies)
    .map((d) => text(d.repository) ?? '')
    .filter((r) => r.startsWith('file://'))
    .map((r) => path.resolve(chart, r.slice('file://'.length)));
}

/** Whether a chart folder renders as part of another chart of the input: below its charts/ folder, or a `file://` dependency of it. */
export function isPartOfChart(folder: string, charts: readonly string[]): boolean {
  const own = path.resolve(folder);
  return charts.some((c) => {
    if (path.resolve(c) === own) return false;
    const rel = path.relative(c, folder).split(path.sep);
    return (rel.length > 1 && rel[0] === 'charts') || localDependencies(c).includes(own);
  });
}

/** The chart-testing values files of a chart (`ci/*-values.yaml`), by name relative to the chart. */
function ciValuesFiles(chart: string): string[] {
  const dir = path.join(chart, 'ci');
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => CI_VALUES.test(f) && fs.statSync(path.join(dir, f)).isFile())
    .sort()
    .map((f) => `ci/${f}`);
}

/**
 * The renders of the input's charts that no delivery of the input renders (`delivered`) and that render as no other
 * chart's part: each with its default values, as `helm template <chart>` does, and with each of its chart-testing
 * values files (`ci/*-values.yaml`, what the chart's own CI installs). No delivery is known, so what they render is
 * judged at warning level at most.
 */
export function undeliveredRenders(charts: readonly string[], delivered: ReadonlySet<string>): UndeliveredRender[] {
  const done = new Set([...delivered].map((c) => path.resolve(c)));
  return charts
    .filter((c) => !done.has(path.resolve(c)) && !isPartOfChart(c, charts))
    .flatMap((chart) => [
      { chart, delivery: `check/${chart}`, request: DEFAULT_CHART_REQUEST, capped: DEFAULT_VALUES_RENDER, who: 'checked as `helm template` renders it' },
      ...ciValuesFiles(chart).map((f) => ({
        chart,
        delivery: `check/${chart} -f ${f}`,
        request: { ...DEFAULT_CHART_REQUEST, values: [{ yaml: fs.readFileSync(path.join(chart, f), 'utf8'), name: f }] },
        capped: `rendered with its chart-testing values ${f}`,
        who: `checked as \`helm template -f ${f}\` renders it`,
      })),
    ]);
}
