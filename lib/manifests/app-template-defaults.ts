import { isMapping, Loose, mapping, text } from './access';
import type { AppTemplateMajor } from './app-template-names';

/**
 * The common library's own values that app-template merges under a release's values before rendering. Only 2.x ships
 * defaults that make objects (bjw-s-labs/helm-charts charts/library/common/values.yaml at common-2.6.0, merged by
 * templates/values/_init.tpl with mustMergeOverwrite): a `main` controller with a `main` container whose three probes
 * are on, and a primary `main` Service bound to it; its ingress, route and ServiceMonitor `main` are off. From 3.x the
 * library's values make nothing by themselves.
 */
const PROBE = (period: number, failures: number) => ({
  enabled: true,
  custom: false,
  type: 'TCP',
  spec: { initialDelaySeconds: 0, periodSeconds: period, timeoutSeconds: 1, failureThreshold: failures },
});

const DEFAULTS_2: Loose = {
  defaultPodOptions: { automountServiceAccountToken: true, enableServiceLinks: true, hostIPC: false, hostNetwork: false, hostPID: false },
  controllers: {
    main: {
      enabled: true,
      type: 'deployment',
      replicas: 1,
      revisionHistoryLimit: 3,
      containers: { main: { probes: { liveness: PROBE(10, 3), readiness: PROBE(10, 3), startup: PROBE(5, 30) } } },
    },
  },
  service: {
    main: { enabled: true, controller: 'main', primary: true, type: 'ClusterIP', ports: { http: { enabled: true, primary: true, protocol: 'HTTP' } } },
  },
  ingress: { main: { enabled: false } },
  route: { main: { enabled: false, kind: 'HTTPRoute', rules: [{ backendRefs: [], matches: [{ path: { type: 'PathPrefix', value: '/' } }] }] } },
  serviceMonitor: { main: { enabled: false } },
  persistence: { config: { enabled: false } },
  secrets: { secret: { enabled: false } },
  configMaps: { config: { enabled: false } },
  networkpolicies: { main: { enabled: false } },
};

/**
 * sprig mustMergeOverwrite as 2.x's values/_init.tpl applies it: the release's values over the defaults, maps merged
 * key by key; a null value of the release keeps the default (mergo skips a nil source).
 */
export function mergeOverDefaults(defaults: Loose, values: Loose): Loose {
  const out: Loose = { ...defaults };
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined) continue;
    out[k] = isMapping(v) && isMapping(out[k]) ? mergeOverDefaults(out[k], v) : v;
  }
  return out;
}

/**
 * The values a major renders from: 2.x's with the library's defaults under them; 5.x's with the unprivileged
 * ServiceAccount the library makes when the values configure none (common 5.0.0 values.yaml
 * global.createDefaultServiceAccount, true by default: a ServiceAccount whose identifier is the release's name).
 */
export function valuesOfMajor(values: Loose, major: AppTemplateMajor, release: string): Loose {
  if (major === 2) return mergeOverDefaults(DEFAULTS_2, values);
  if (major !== 5) return values;
  const creates = mapping(values.global).createDefaultServiceAccount !== false;
  if (!creates || Object.keys(mapping(values.serviceAccount)).length) return values;
  return { ...values, serviceAccount: { [release]: { enabled: true } } };
}

/** The pod options whose default differs by major: 5.x mounts no ServiceAccount token by default; 2.x keeps service links on (common values.yaml defaultPodOptions). */
export function podDefault(major: AppTemplateMajor, option: string): unknown {
  if (option === 'automountServiceAccountToken') return major !== 5;
  if (option === 'enableServiceLinks') return major === 2;
  return undefined;
}

/** 2.x container/_validate.tpl: a container with no image repository or tag fails the chart. */
export function imageMissing(container: Loose): string | undefined {
  const image = mapping(container.image);
  if (!text(image.repository)) return 'no image repository';
  return image.tag === undefined || image.tag === null || image.tag === '' ? 'no image tag' : undefined;
}
