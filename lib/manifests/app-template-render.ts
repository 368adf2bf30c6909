import { isMapping, Loose, mapping, text } from './access';
import { enabledItems, podContainers, printed, truthy, Unmodelled } from './app-template-containers';
import { podDefault, valuesOfMajor } from './app-template-defaults';
import { exposureObjects } from './app-template-exposure';
import { allLabels, AppTemplateMajor, controllerLabel, controllerName, fullname, NameContext, pvcName, selectorLabels } from './app-template-names';
import { evaluateTemplates } from './app-template-tpl';
import { primaryPort, ServiceItem, services } from './app-template-services';

export { Unmodelled } from './app-template-containers';

/** One release of the app-template chart: its name, namespace, merged values, and chart version. */
export interface AppTemplateRelease {
  readonly release: string;
  readonly namespace: string;
  readonly values: Loose;
  /** The chart's version when the release pins one (the helm.sh/chart label), else undefined. */
  readonly version?: string;
  readonly major: AppTemplateMajor;
}

/** The objects the port renders, or why it does not (a value or template it does not model). */
export type AppTemplateRender = { readonly objects: Loose[] } | { readonly unmodelled: string };

/**
 * Top-level values whose objects the port does not make and that other objects may name (ConfigMaps and Secrets by
 * identifier, raw resources, RBAC): a release that sets them stays a note, since a reference to what they make
 * would be judged missing on a guess. Ingresses, routes and ServiceMonitors are rendered (app-template-exposure.ts);
 * NetworkPolicies are left out (nothing the checks follow from a pod names them).
 */
const UNMODELLED_KEYS = ['configMaps', 'secrets', 'rawResources', 'rbac'];

/** Why the values are beyond the port, if they are: a section it does not render (templates: app-template-tpl.ts). */
function unmodelledValues(values: Loose, major: AppTemplateMajor): string | undefined {
  const set = UNMODELLED_KEYS.filter((k) => enabledItems(values[k]).length);
  if (set.length) return `its values set ${set.join(', ')}, whose objects this check does not model`;
  if (truthy(mapping(values.configMapsFromFolder).enabled)) return 'its values set configMapsFromFolder, whose objects this check does not model';
  if (major <= 3 && (truthy(mapping(values.serviceAccount).create) || truthy(mapping(values.serviceAccount).extraServiceAccounts)))
    return `its values create a ServiceAccount the ${major}.x way, which this check does not model`;
  return undefined;
}

/** lib/pod/_getOption.tpl: the controller's pod option over defaultPodOptions (a map merged when defaultPodOptionsStrategy is merge). */
function podOption(values: Loose, controller: Loose, option: string): unknown {
  const fromDefault = mapping(values.defaultPodOptions)[option];
  let value: unknown = typeof fromDefault === 'boolean' || truthy(fromDefault) ? fromDefault : undefined;
  const own = mapping(controller.pod)[option];
  if (typeof own === 'boolean') value = own;
  else if (isMapping(own)) value = text(values.defaultPodOptionsStrategy) === 'merge' ? { ...mapping(value), ...own } : own;
  else if (truthy(own)) value = own;
  return value;
}

/** The pod options lib/pod/_spec.tpl copies when set. */
const POD_OPTIONS = [
  'priorityClassName',
  'runtimeClassName',
  'schedulerName',
  'securityContext',
  'hostname',
  'dnsConfig',
  'hostAliases',
  'imagePullSecrets',
  'terminationGracePeriodSeconds',
  'restartPolicy',
  'nodeSelector',
  'affinity',
  'topologySpreadConstraints',
  'tolerations',
];

/**
 * lib/pod/fields/_serviceAccountName.tpl: 4.x the controller's serviceAccount (identifier or name), else the only
 * enabled one's identifier, else default; 5.x the only one's name (the default account's is the release's fullname;
 * taking the name where a written key differs keeps a missing-account verdict off a guess); 3.x the controller's
 * serviceAccount.name; 2.x serviceAccount.name, else default.
 */
function serviceAccountName(c: NameContext, controller: Loose): string | undefined {
  const accounts = enabledItems(c.values.serviceAccount);
  const own = mapping(controller.serviceAccount);
  if (c.major === 3) return text(own.name);
  if (c.major === 2) return text(mapping(c.values.serviceAccount).name) || 'default';
  if ('serviceAccount' in controller) {
    if (text(own.identifier)) {
      const i = accounts.findIndex(([id]) => id === own.identifier);
      if (i < 0)
        throw new Unmodelled(
          `controller ${String(controller.identifier)} names a ServiceAccount identifier the values do not enable, and the chart fails on it`,
        );
      return controllerName(c, accounts[i][0], accounts[i][1], accounts.length);
    }
    return text(own.name) ?? 'default';
  }
  // the template takes the only account's key here, as written in 4.x
  if (accounts.length !== 1) return 'default';
  return c.major === 5 ? controllerName(c, accounts[0][0], accounts[0][1], 1) : accounts[0][0];
}

/** lib/pod/_spec.tpl: the pod of a controller. */
function podSpec(c: NameContext, controller: Loose, list: readonly ServiceItem[]): Loose {
  const opt = (o: string, d?: unknown) => podOption(c.values, controller, o) ?? d;
  const spec: Loose = {
    enableServiceLinks: opt('enableServiceLinks', podDefault(c.major, 'enableServiceLinks')),
    automountServiceAccountToken: opt('automountServiceAccountToken', podDefault(c.major, 'automountServiceAccountToken')),
    hostIPC: opt('hostIPC', false),
    hostNetwork: opt('hostNetwork', false),
    hostPID: opt('hostPID', false),
    dnsPolicy: opt('dnsPolicy') ?? (opt('hostNetwork') === true ? 'ClusterFirstWithHostNet' : 'ClusterFirst'),
  };
  const account = serviceAccountName(c, controller);
  if (account) spec.serviceAccountName = account;
  for (const o of POD_OPTIONS) if (opt(o) !== undefined) spec[o] = opt(o);
  const ctx = { controller, persistence: c.values.persistence, primary: primaryPort(list, String(controller.identifier)), major: c.major };
  const init = podContainers(controller.initContainers, ctx, true);
  if (init.length) spec.initContainers = init;
  const containers = podContainers(controller.containers, ctx, false);
  if (containers.length) spec.containers = containers;
  const volumes = podVolumes(c, controller);
  if (volumes.length) spec.volumes = volumes;
  return spec;
}

/** lib/pod/fields/_volumes.tpl: which persistence items a controller's pod gets (global mounts, its advanced mounts, or no mounts said at all). */
function volumeItems(values: Loose, controller: string): [string, Loose][] {
  return enabledItems(values.persistence).filter(([, p]) => {
    const global = truthy(p.globalMounts);
    const advanced = truthy(p.advancedMounts);
    return global || (advanced && truthy(mapping(p.advancedMounts)[controller])) || (!global && !advanced);
  });
}

/** One persistence item as a pod volume (lib/pod/fields/_volumes.tpl, by type; the PVC name as render/_pvcs.tpl names it). */
function podVolume(c: NameContext, id: string, p: Loose, claims: readonly [string, Loose][]): Loose {
  const type = text(p.type) ?? 'persistentVolumeClaim';
  const byName = (kind: string) => {
    if (truthy(p.identifier) && !truthy(p.name)) throw new Unmodelled(`persistence.${id} names a ${kind} by identifier of the chart's own ${kind}s`);
    return p.name;
  };
  const withOpt = (base: Loose) => ({
    ...base,
    ...(truthy(p.defaultMode) ? { defaultMode: p.defaultMode } : {}),
    ...(truthy(p.items) ? { items: p.items } : {}),
  });
  switch (type) {
    case 'persistentVolumeClaim':
      return { name: id, persistentVolumeClaim: { claimName: truthy(p.existingClaim) ? p.existingClaim : pvcName(c, id, p, claims.length) } };
    case 'configMap':
      return { name: id, configMap: withOpt({ name: byName('configMap') }) };
    case 'secret':
      return { name: id, secret: withOpt({ secretName: byName('secret') }) };
    case 'emptyDir':
      return { name: id, emptyDir: { ...(truthy(p.medium) ? { medium: p.medium } : {}), ...(truthy(p.sizeLimit) ? { sizeLimit: p.sizeLimit } : {}) } };
    case 'hostPath':
      return { name: id, hostPath: { path: p.hostPath, ...(truthy(p.hostPathType) ? { type: p.hostPathType } : {}) } };
    case 'nfs':
      return { name: id, nfs: { server: p.server, path: p.path } };
    case 'custom':
      return { ...mapping(p.volumeSpec), name: id };
    default:
      throw new Unmodelled(`persistence.${id} has type ${type}, which the chart refuses ("Not a valid persistence.type")`);
  }
}

function podVolumes(c: NameContext, controller: Loose): Loose[] {
  const claims = pvcItems(c.values);
  return volumeItems(c.values, String(controller.identifier)).map(([id, p]) => podVolume(c, id, p, claims));
}

/** lib/pvc/_enabled_pvcs.tpl: the persistentVolumeClaim items without an existingClaim, which the chart creates. */
function pvcItems(values: Loose): [string, Loose][] {
  return enabledItems(values.persistence).filter(([, p]) => (text(p.type) ?? 'persistentVolumeClaim') === 'persistentVolumeClaim' && !truthy(p.existingClaim));
}

/** classes/_pvc.tpl: one claim the chart creates. */
function pvcObject(r: AppTemplateRelease, c: NameContext, id: string, p: Loose, count: number): Loose {
  const spec: Loose = { accessModes: [p.accessMode ?? 'ReadWriteOnce'], resources: { requests: { storage: String(p.size ?? '1Gi') } } };
  if (!truthy(p.accessMode) || !truthy(p.size)) throw new Unmodelled(`persistence.${id} lacks accessMode or size, and the chart fails on it`);
  if (truthy(p.storageClass)) spec.storageClassName = p.storageClass === '-' ? '' : p.storageClass;
  for (const k of ['volumeName', 'dataSource', 'dataSourceRef']) if (truthy(p[k])) spec[k] = p[k];
  const metadata = { name: pvcName(c, id, p, count), namespace: r.namespace, labels: { ...allLabels(c, r.version), ...mapping(p.labels) } };
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata, spec };
}

/** classes/_service.tpl: one Service, its ports as written (protocol HTTP/HTTPS become TCP), its selector the controller's pods. */
function serviceObject(r: AppTemplateRelease, c: NameContext, s: ServiceItem): Loose {
  const ports = enabledItems(s.values.ports).map(([name, p]) => ({
    port: printed(p.port),
    targetPort: printed(truthy(p.targetPort) ? p.targetPort : p.port),
    protocol: ['HTTP', 'HTTPS', 'TCP', undefined].includes(text(p.protocol)) ? 'TCP' : p.protocol,
    name,
    ...(truthy(p.nodePort) ? { nodePort: printed(p.nodePort) } : {}),
    ...(truthy(p.appProtocol) ? { appProtocol: p.appProtocol } : {}),
  }));
  const spec: Loose = { type: text(s.values.type) ?? 'ClusterIP', ports };
  for (const k of [
    'clusterIP',
    'externalName',
    'internalTrafficPolicy',
    'externalTrafficPolicy',
    'sessionAffinity',
    'publishNotReadyAddresses',
    'ipFamilyPolicy',
  ])
    if (truthy(s.values[k])) spec[k] = s.values[k];
  spec.selector = { ...selectorLabels(c), [controllerLabel(c.major)]: s.controller, ...mapping(s.values.extraSelectorLabels) };
  const labels = { ...allLabels(c, r.version), ...mapping(s.values.labels), 'app.kubernetes.io/service': s.name };
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: s.name, namespace: r.namespace, labels }, spec };
}

/** The kind and apiVersion of each controller type (render/_controllers.tpl); an unknown type renders nothing there. */
const CONTROLLER_KINDS: Readonly<Record<string, { kind: string; apiVersion: string }>> = {
  deployment: { kind: 'Deployment', apiVersion: 'apps/v1' },
  statefulset: { kind: 'StatefulSet', apiVersion: 'apps/v1' },
  daemonset: { kind: 'DaemonSet', apiVersion: 'apps/v1' },
  cronjob: { kind: 'CronJob', apiVersion: 'batch/v1' },
  job: { kind: 'Job', apiVersion: 'batch/v1' },
};

/** classes/_cronjob.tpl and _job.tpl: the Job settings (cronjob.* / job.*) with the chart's defaults around the pod template. */
function jobSpec(type: 'cronjob' | 'job', v: Loose, template: Loose): Loose {
  const s = mapping(v[type]);
  const keep = (x: unknown, d: unknown) => (x === undefined || x === null ? d : x);
  const optional = Object.fromEntries(
    ['activeDeadlineSeconds', 'ttlSecondsAfterFinished', 'parallelism', ...(type === 'job' ? ['completions', 'completionMode'] : [])].flatMap((k) =>
      truthy(s[k]) ? [[k, s[k]]] : [],
    ),
  );
  const job = { ...optional, backoffLimit: keep(s.backoffLimit, 6), template };
  if (type === 'job') return { suspend: truthy(s.suspend) ? s.suspend : false, ...job };
  return {
    suspend: truthy(s.suspend) ? s.suspend : false,
    concurrencyPolicy: text(s.concurrencyPolicy) ?? 'Forbid',
    startingDeadlineSeconds: keep(s.startingDeadlineSeconds, 30),
    ...(truthy(s.timeZone) ? { timeZone: s.timeZone } : {}),
    schedule: s.schedule,
    successfulJobsHistoryLimit: keep(s.successfulJobsHistory, 1),
    failedJobsHistoryLimit: keep(s.failedJobsHistory, 1),
    jobTemplate: { spec: job },
  };
}

/** classes/_statefulset.tpl: serviceName is statefulset.serviceName (a name, or a Service by identifier), else the fullname. */
function statefulSetService(c: NameContext, v: Loose, list: readonly ServiceItem[]): string {
  const named = mapping(v.statefulset).serviceName;
  if (isMapping(named)) {
    const found = list.find((s) => s.id === text(named.identifier));
    if (!found) throw new Unmodelled(`controllers.${String(v.identifier)}.statefulset.serviceName names a Service identifier the values do not enable`);
    return found.name;
  }
  return text(named) || fullname(c);
}

/** The workload spec around the pod template, by type (classes/_deployment.tpl, _statefulset.tpl, _daemonset.tpl, _cronjob.tpl, _job.tpl). */
function workloadSpec(c: NameContext, type: string, v: Loose, selector: Loose, template: Loose, list: readonly ServiceItem[]): Loose {
  if (type === 'cronjob' || type === 'job') return jobSpec(type, v, template);
  const replicas = 'replicas' in v ? (v.replicas === null ? {} : { replicas: v.replicas }) : { replicas: 1 };
  if (type === 'daemonset') return { revisionHistoryLimit: v.revisionHistoryLimit ?? 3, selector: { matchLabels: selector }, template };
  if (type === 'statefulset') {
    if (truthy(mapping(v.statefulset).volumeClaimTemplates)) throw new Unmodelled('a statefulset sets volumeClaimTemplates, which this check does not model');
    const policy = mapping(v.statefulset).podManagementPolicy;
    const strategy = { updateStrategy: { type: text(v.strategy) ?? 'RollingUpdate' } };
    return {
      revisionHistoryLimit: v.revisionHistoryLimit ?? 3,
      ...replicas,
      ...(policy ? { podManagementPolicy: policy } : {}),
      ...strategy,
      selector: { matchLabels: selector },
      serviceName: statefulSetService(c, v, list),
      template,
    };
  }
  const rolling = mapping(v.rollingUpdate);
  const strategy: Loose = { type: text(v.strategy) ?? 'Recreate' };
  if (strategy.type === 'RollingUpdate' && (truthy(rolling.surge) || truthy(rolling.unavailable)))
    strategy.rollingUpdate = {
      ...(truthy(rolling.unavailable) ? { maxUnavailable: rolling.unavailable } : {}),
      ...(truthy(rolling.surge) ? { maxSurge: rolling.surge } : {}),
    };
  return { revisionHistoryLimit: v.revisionHistoryLimit ?? 3, ...replicas, strategy, selector: { matchLabels: selector }, template };
}

/** One controller as its workload object (lib/controller/_getByIdentifier.tpl: type deployment by default). */
function controllerObject(r: AppTemplateRelease, c: NameContext, id: string, raw: Loose, count: number, list: readonly ServiceItem[]): Loose {
  const type = text(raw.type) ?? 'deployment';
  const made = CONTROLLER_KINDS[type];
  if (!made) throw new Unmodelled(`controllers.${id} has type ${type}, which the chart does not render`);
  // lib/cronjob/_valuesToObject.tpl and lib/job/_valuesToObject.tpl: the pod's restartPolicy is Never unless set
  const jobPod = type === 'cronjob' || type === 'job' ? { pod: { ...mapping(raw.pod), restartPolicy: text(mapping(raw.pod).restartPolicy) || 'Never' } } : {};
  const v: Loose = { ...raw, ...jobPod, identifier: id };
  const name = controllerName(c, id, raw, count);
  const selector = { [controllerLabel(c.major)]: id, ...selectorLabels(c) };
  const pod = mapping(raw.pod);
  // lib/pod/metadata/_labels.tpl: the pod's own labels over defaultPodOptions.labels over the selector labels (sprig merge keeps the first map's keys)
  const podLabels = { ...selector, ...mapping(mapping(c.values.defaultPodOptions).labels), ...mapping(pod.labels) };
  const annotations = { ...mapping(mapping(c.values.defaultPodOptions).annotations), ...mapping(pod.annotations) };
  const template = { metadata: { labels: podLabels, ...(Object.keys(annotations).length ? { annotations } : {}) }, spec: podSpec(c, v, list) };
  const labels = { ...allLabels(c, r.version), ...mapping(raw.labels), [controllerLabel(c.major)]: id };
  return {
    apiVersion: made.apiVersion,
    kind: made.kind,
    metadata: { name, namespace: r.namespace, labels, ...(isMapping(raw.annotations) ? { annotations: raw.annotations } : {}) },
    spec: workloadSpec(c, type, v, selector, template, list),
  };
}

/** 4.x and 5.x classes/_serviceAccount.tpl: the enabled ServiceAccounts (2.x and 3.x creation is refused above). */
function serviceAccounts(r: AppTemplateRelease, c: NameContext): Loose[] {
  if (r.major <= 3) return [];
  const accounts = enabledItems(c.values.serviceAccount);
  return accounts.map(([id, v]) => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: controllerName(c, id, v, accounts.length), namespace: r.namespace, labels: allLabels(c, r.version) },
  }));
}

/**
 * The objects app-template renders for a release (loader/_generate.tpl order: PVCs, ServiceAccounts, controllers,
 * Services, then Ingresses, routes and ServiceMonitors), or why the port does not model them. The values are the
 * release's with what its major's library adds under them (valuesOfMajor).
 */
export function renderAppTemplate(release: AppTemplateRelease): AppTemplateRender {
  const why = unmodelledValues(release.values, release.major);
  if (why) return { unmodelled: why };
  const merged = valuesOfMajor(release.values, release.major, release.release);
  const root = { release: release.release, namespace: release.namespace, version: release.version };
  const evaluated = evaluateTemplates(merged, release.major, {
    ...root,
    fullname: fullname({ release: release.release, values: merged, major: release.major }),
  });
  if ('why' in evaluated) return { unmodelled: evaluated.why };
  const r = { ...release, values: evaluated.values };
  const c: NameContext = { release: r.release, values: r.values, major: r.major };
  try {
    const controllers = enabledItems(r.values.controllers);
    const list = services(
      c,
      controllers.map(([id]) => id),
    );
    const claims = pvcItems(r.values);
    return {
      objects: [
        ...claims.map(([id, p]) => pvcObject(r, c, id, p, claims.length)),
        ...serviceAccounts(r, c),
        ...controllers.map(([id, v]) => controllerObject(r, c, id, v, controllers.length, list)),
        ...list.map((s) => serviceObject(r, c, s)),
        ...exposureObjects({ namespace: r.namespace, version: r.version }, c, list, fullname(c)),
      ],
    };
  } catch (e) {
    if (e instanceof Unmodelled) return { unmodelled: e.message };
    throw e;
  }
}
