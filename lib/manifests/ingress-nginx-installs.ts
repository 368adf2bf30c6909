import { TreeScript } from './script-text';
import { invocationOf, printsText, scriptCommandsOf } from './script-commands';
import { terraformHelmReleases } from './terraform-installs';

/** An install of the ingress-nginx controller the tree runs: what installs it, at which release, with which strict setting. */
export interface IngressNginxInstall {
  readonly file: string;
  readonly line: number;
  /** The command or resource, for messages. */
  readonly how: string;
  /** The controller release (`1.12.0`) of a release manifest URL; undefined where it follows a branch or a chart. */
  readonly controller?: string;
  /** The chart version (`4.12.0`) of a helm install; undefined where none is pinned. */
  readonly chart?: string;
  /** Installed without a version (no chart version, a manifest of the main branch): the newest release at install time. */
  readonly unpinned: boolean;
  /** The value the install gives the controller's strict-validate-path-type, where it sets it. */
  readonly strict?: string;
}

/** The controller ConfigMap key (kubernetes/ingress-nginx docs user-guide/nginx-configuration/configmap.md). */
export const STRICT_PATH_KEY = 'strict-validate-path-type';

/** A chart word of ingress-nginx's chart: `ingress-nginx/ingress-nginx`, an OCI or repo-qualified name ending so. */
const CHART = /(^|\/)ingress-nginx$/;

/** A release manifest of the controller: kubernetes/ingress-nginx deploy/static/provider/<provider>/deploy.yaml at a tag or a branch. */
const MANIFEST_URL = /kubernetes\/ingress-nginx\/(?:raw\/|blob\/)?([^/\s]+)\/deploy\/static\/provider\//;

/** The scripts' `kubectl|oc apply -f <release manifest URL>` commands (a tag controller-vX.Y.Z pins the release). */
function manifestInstalls(scripts: readonly TreeScript[]): IngressNginxInstall[] {
  return scripts.flatMap((t) =>
    scriptCommandsOf(t).flatMap(({ line, text, tokens }): IngressNginxInstall[] => {
      if (printsText(tokens)) return [];
      const { program } = invocationOf(tokens);
      if (program !== 'kubectl' && program !== 'oc') return [];
      const ref = tokens.map((w) => MANIFEST_URL.exec(w)?.[1]).find((r) => r !== undefined);
      if (ref === undefined) return [];
      const tag = /^controller-v(\d+\.\d+\.\d+)$/.exec(ref)?.[1];
      return [{ file: t.script, line, how: text.trim(), ...(tag ? { controller: tag } : {}), unpinned: ref === 'main' || ref === 'master' }];
    }),
  );
}

/** The Terraform helm_release resources of ingress-nginx's chart: its version, and the strict setting its `set` blocks give. */
function terraformInstalls(root: string): IngressNginxInstall[] {
  return terraformHelmReleases(root)
    .filter((r) => CHART.test(r.chart))
    .map((r) => {
      const strict = r.sets.find((s) => s.name.replace(/\\/g, '') === `controller.config.${STRICT_PATH_KEY}`)?.value;
      return {
        file: r.file,
        line: r.line,
        how: `resource "helm_release" of chart ${r.chart}${r.version ? ` version ${r.version}` : ' without a version: the newest release'}`,
        ...(r.version ? { chart: r.version } : {}),
        unpinned: !r.version,
        ...(strict !== undefined ? { strict } : {}),
      };
    });
}

/** The ingress-nginx installs of a checked folder: its Terraform helm_release resources and its scripts' release manifest applies. */
export function ingressNginxInstalls(root: string, scripts: readonly TreeScript[]): IngressNginxInstall[] {
  return [...terraformInstalls(root), ...manifestInstalls(scripts)];
}

/** Whether a helm chart word is ingress-nginx's. */
export function isIngressNginxChart(word: string): boolean {
  return CHART.test(word);
}
