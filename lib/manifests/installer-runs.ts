import { logicalLines, TreeScript } from './script-text';
import { terraformFiles } from './terraform-files';

/** A well-known installer script of another project: the chart release it installs, as its own text says. */
interface KnownInstaller {
  /** The installer as a message names it. */
  readonly name: string;
  /** A command line that runs it (its path, whatever folder the project was cloned to). */
  readonly runs: RegExp;
  /** A word the line or its file must also hold: the project the path belongs to. */
  readonly project: RegExp;
  readonly chart: string;
  readonly release: string;
  readonly namespace: string;
  readonly source: string;
}

/**
 * Installers whose effect is a Helm release of a chart the check names the Services of (lib/catalog/chart-services.ts).
 * KubeRay's install/prometheus/install.sh runs `helm --namespace prometheus-system install prometheus
 * prometheus-community/kube-prometheus-stack` with its overrides.yaml, which sets no fullnameOverride or nameOverride.
 */
export const KNOWN_INSTALLERS: readonly KnownInstaller[] = [
  {
    name: "KubeRay's install/prometheus/install.sh",
    runs: /(^|[\s/"'=;&|(])install\/prometheus\/install\.sh\b/,
    project: /kuberay/i,
    chart: 'kube-prometheus-stack',
    release: 'prometheus',
    namespace: 'prometheus-system',
    source: 'ray-project/kuberay install/prometheus/install.sh and overrides.yaml',
  },
];

/** One run of a known installer by a script, Makefile or Terraform configuration (a local-exec command) of the tree. */
export interface InstallerRun {
  readonly file: string;
  readonly line: number;
  readonly installer: string;
  readonly chart: string;
  readonly release: string;
  readonly namespace: string;
}

/** The lines of the folder's scripts and Terraform files that run a known installer, whose own commands the reader does not follow. */
export function installerRuns(folder: string, scripts: readonly TreeScript[]): InstallerRun[] {
  return [...scripts, ...terraformFiles(folder)].flatMap((t) =>
    logicalLines(t.text).flatMap(({ line, text }) => {
      if (/^\s*(#|\/\/)/.test(text)) return [];
      return KNOWN_INSTALLERS.filter((k) => k.runs.test(text) && (k.project.test(text) || k.project.test(t.text))).map((k) => ({
        file: t.script,
        line,
        installer: k.name,
        chart: k.chart,
        release: k.release,
        namespace: k.namespace,
      }));
    }),
  );
}
