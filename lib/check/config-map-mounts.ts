import { Loose, mapping, mappings, text } from '../manifests/access';
import type { ObjectGraph } from './graph';
import type { GraphObject } from './graph-object';
import type { ContainerFiles, EnvFromValue, FileReader } from './mounted-files';
import { configMapVolumes, mountedAt, podFileReader } from './config-map-volumes';
import { MULTI_POD_KINDS, templatePods } from './pod-templates';
import { podSpecOf, WORKLOAD_KINDS } from './pods';

/** A container that sees a ConfigMap key as a file: where, and the program's image. */
export interface KeyMount {
  /** The object whose pods run the container (`Kind/namespace/name`). */
  readonly holder: string;
  /** That object. */
  readonly object: GraphObject;
  /** `container 'c'`, with the pod template's path where the object runs several. */
  readonly container: string;
  readonly image?: string;
  /** The file's path in the container. */
  readonly path: string;
}

/** The pod specs of an object, each with the words that place a container in it. */
function podsOf(m: Loose): { spec: Loose; where: string }[] {
  if (MULTI_POD_KINDS.includes(String(m.kind))) return templatePods(m).map((p) => ({ spec: mapping(p.manifest.spec), where: p.prefix.replace(/\.$/, '') }));
  if (m.kind === 'ServingRuntime' || m.kind === 'ClusterServingRuntime') return [{ spec: mapping(m.spec), where: '' }];
  const spec = WORKLOAD_KINDS.includes(String(m.kind)) ? podSpecOf(m) : undefined;
  return spec ? [{ spec, where: '' }] : [];
}

/** Every mount of a ConfigMap key by a container of the object: the ConfigMap's name, its key, and where it shows. */
function objectMounts(o: GraphObject, id: string): { name: string; key: (key: string) => KeyMount[] }[] {
  return podsOf(o.manifest).flatMap(({ spec, where }) => {
    const containers = [...mappings(spec.initContainers), ...mappings(spec.containers)];
    return configMapVolumes(spec).map((v) => ({
      name: v.name,
      key: (key: string): KeyMount[] => {
        const file = v.pathOf(key);
        if (file === undefined) return [];
        return containers.flatMap((c) =>
          mappings(c.volumeMounts)
            .filter((mount) => mount.name === v.volume)
            .flatMap((mount): KeyMount[] => {
              const path = mountedAt(mount, file);
              const container = `${where ? `${where} ` : ''}container '${text(c.name) ?? '<unnamed>'}'`;
              return path ? [{ holder: id, object: o, container, image: text(c.image), path }] : [];
            }),
        );
      },
    }));
  });
}

/**
 * The containers of the tree that mount a key of a ConfigMap as a file (a configMap volume or a projected source
 * showing the key, by its items or whole, mounted whole or by a subPath naming the key's file), in the ConfigMap's
 * namespace.
 */
export function keyMounts(graph: ObjectGraph, configMap: GraphObject, key: string): KeyMount[] {
  const index = graph.once('config-map-mounts', () => {
    const byName = new Map<string, { ns: string | undefined; key: (key: string) => KeyMount[] }[]>();
    for (const o of graph.objects) {
      const ns = graph.namespaceOf(o.manifest);
      for (const m of objectMounts(o, graph.id(o))) byName.set(m.name, [...(byName.get(m.name) ?? []), { ns, key: m.key }]);
    }
    return byName;
  });
  const name = text(mapping(configMap.manifest.metadata).name);
  const ns = graph.namespaceOf(configMap.manifest);
  return (index.get(name ?? '') ?? []).filter((m) => m.ns === undefined || ns === undefined || m.ns === ns).flatMap((m) => m.key(key));
}

/**
 * The ConfigMaps of that name a script of the tree makes `--from-file` from files the tree holds (`kubectl create
 * configmap app-code --from-file=app.py=./app.py` in its README), with those files' texts as their data: the files a
 * pod mounting one sees are known as well as a ConfigMap manifest's.
 */
function scriptMadeConfigMaps(graph: ObjectGraph, name: string, ns: string | undefined): Loose[] {
  return graph.scriptCreated
    .filter((c) => c.kind === 'ConfigMap' && c.name === name && c.data && (c.namespace === undefined || ns === undefined || c.namespace === ns))
    .map((c) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: c.data }));
}

/**
 * The readers of the files the tree's ConfigMaps show its containers (every pod spec of its workloads, KServe serving
 * objects and kinds of several pods), built once per check run; undefined for a container that mounts none.
 */
export function containerFiles(graph: ObjectGraph): ContainerFiles {
  const index = graph.once('container-files', () => {
    const readers = new Map<Loose, FileReader>();
    const envFrom = new Map<Loose, EnvFromValue[]>();
    const open = new Set<Loose>();
    for (const o of graph.objects) {
      const ns = graph.namespaceOf(o.manifest);
      const configMaps = (name: string) => {
        const inTree = graph.findAll('ConfigMap', name, ns).map((cm) => cm.manifest);
        return inTree.length ? inTree : scriptMadeConfigMaps(graph, name, ns);
      };
      for (const { spec } of podsOf(o.manifest)) {
        for (const c of [...mappings(spec.initContainers), ...mappings(spec.containers)]) {
          const reader = podFileReader(spec, c, configMaps);
          if (reader) readers.set(c, reader);
          const values = envFromValues(c, configMaps);
          if (values) envFrom.set(c, values);
          if (envFromOpen(c, configMaps)) open.add(c);
        }
      }
    }
    return { readers, envFrom, open };
  });
  return Object.assign((container: Loose) => index.readers.get(container), {
    envFrom: (container: Loose) => index.envFrom.get(container),
    envFromOpen: (container: Loose) => index.open.has(container),
  });
}

/**
 * The variables a container's envFrom ConfigMaps give it, as the kubelet sets them (each key with the entry's prefix,
 * a later source over an earlier one: kubernetes pkg/kubelet/kubelet_pods.go makeEnvironmentVariables); undefined when
 * it names none the tree holds. A ConfigMap the tree declares several times (overlays, alternatives) is not read.
 */
/** Whether an envFrom source of a container is not one ConfigMap of the tree (a Secret's keys are not read here; a ConfigMap the tree lacks, or holds twice, may give any variable). */
function envFromOpen(container: Loose, configMaps: (name: string) => Loose[]): boolean {
  return mappings(container.envFrom).some((from) => {
    const name = text(mapping(from.configMapRef).name);
    return name === undefined || configMaps(name).length !== 1;
  });
}

function envFromValues(container: Loose, configMaps: (name: string) => Loose[]): EnvFromValue[] | undefined {
  const values = new Map<string, EnvFromValue>();
  for (const from of mappings(container.envFrom)) {
    const name = text(mapping(from.configMapRef).name);
    const found = name === undefined ? [] : configMaps(name);
    if (found.length !== 1) continue;
    const prefix = text(from.prefix) ?? '';
    for (const [key, value] of Object.entries(mapping(found[0].data)))
      if (typeof value === 'string') values.set(`${prefix}${key}`, { name: `${prefix}${key}`, value, from: `ConfigMap ${name} key ${key}` });
  }
  return values.size ? [...values.values()] : undefined;
}
