import { Loose, mapping, mappings, text } from '../manifests/access';
import { containersOf, podSpecOf } from './pods';
import { ARGO_RUN_TIME_VARIABLE } from './argo-workflow-pods';
import { holdsRendererSyntax } from './template-syntax';
import { perRun } from '../private/run-memo';

/** A Secret or ConfigMap a pod reads by name, and the keys it reads there. */
export interface PodObjectReference {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
  readonly via: 'env' | 'envFrom' | 'volume';
  /** Where the pod names it: `container 'c' env NAME` or `volume 'v' items`. */
  readonly where: string;
  /** The environment variable an `env` reference sets. */
  readonly envName?: unknown;
  /** The keys read: the env reference's key, or the volume's items (none: every key); undefined where none is written. */
  readonly keys: readonly (string | undefined)[];
}

const ENV_REFS = [
  ['secretKeyRef', 'Secret'],
  ['configMapKeyRef', 'ConfigMap'],
] as const;
const ENV_FROM_REFS = [
  ['secretRef', 'Secret'],
  ['configMapRef', 'ConfigMap'],
] as const;
const VOLUME_REFS = [
  ['secret', 'secretName', 'Secret'],
  ['configMap', 'name', 'ConfigMap'],
] as const;

/** Kinds whose pod KServe assembles from a runtime and its own injected containers: which volumes get mounted is not written in the object alone. */
const ASSEMBLED_PODS = new Set(['InferenceService', 'LLMInferenceService', 'ServingRuntime', 'ClusterServingRuntime']);

/**
 * Whether the kubelet sets the volume up: only where a container, init or ephemeral, mounts it or maps it as a device;
 * a volume no container uses is skipped and its source never read (kubernetes pkg/kubelet/volumemanager/populator
 * desired_state_of_world_populator.go processPodVolumes, "Skipping unused volume"). A pod KServe assembles counts
 * every volume as used.
 */
export function volumeUsed(m: Loose, volume: Loose): boolean {
  if (ASSEMBLED_PODS.has(String(m.kind))) return true;
  const pod = mapping(podSpecOf(m));
  const containers = [...mappings(pod.initContainers), ...mappings(pod.containers), ...mappings(pod.ephemeralContainers)];
  return containers.some((c) => [...mappings(c.volumeMounts), ...mappings(c.volumeDevices)].some((u) => u.name === volume.name));
}

/**
 * The Secrets and ConfigMaps a pod-bearing object reads by name where the reference is not optional (the kubelet
 * fails the pod without them); volumes no container uses are left out, as the kubelet skips them.
 */
export function podReferences(m: Loose): readonly PodObjectReference[] {
  // once per run and object, read-only: a dozen rules ask of every pod-bearing object
  return perRun('pod-references', [m], () =>
    // a name an Argo workflow gives at run time (a parameter with no value written in the tree) is not known here
    writtenReferences(m)
      .filter((r) => !ARGO_RUN_TIME_VARIABLE.test(r.name))
      .flatMap(named),
  );
}

/**
 * A reference as the rules read it: none where its name holds a renderer's syntax (`${SECRET_NAME}`), which names
 * what only the rendering decides (unrendered-placeholder judges the template itself); a key holding such syntax is
 * not known (undefined).
 */
function named(r: PodObjectReference): PodObjectReference[] {
  if (holdsRendererSyntax(r.name)) return [];
  return r.keys.some((k) => k !== undefined && holdsRendererSyntax(k))
    ? [{ ...r, keys: r.keys.map((k) => (k !== undefined && holdsRendererSyntax(k) ? undefined : k)) }]
    : [r];
}

/** Where a pod's reference names an object or a key with a renderer's syntax: the field, and the text written there. */
export interface TemplatedReference {
  readonly where: string;
  readonly value: string;
  /** For a key: the Secret or ConfigMap it is read from (a key the tree's Secret makes is a real name, not a placeholder). */
  readonly keyOf?: { readonly kind: string; readonly name: string };
}

/**
 * The names and keys of the Secrets and ConfigMaps a pod reads (as podReferences and projectedReferences find them,
 * optional ones too) that hold a renderer's syntax, which the rules looking the object up leave to unrendered-placeholder.
 */
export function templatedReferences(m: Loose): TemplatedReference[] {
  return [...writtenReferences(m, true), ...writtenProjections(m)].flatMap((r) => {
    const at = r.where.replace(/ items$/, '');
    const name = holdsRendererSyntax(r.name) ? [{ where: `${at} ${r.kind} name`, value: r.name }] : [];
    const keys = r.keys
      .filter((k): k is string => k !== undefined && holdsRendererSyntax(k))
      .map((k) => ({ where: `${at} ${r.kind} key`, value: k, keyOf: { kind: r.kind, name: r.name } }));
    return [...name, ...keys];
  });
}

/** The references a pod's spec writes (optional ones too, when `optionalToo`: what they name is still read when it exists). */
function writtenReferences(m: Loose, optionalToo = false): PodObjectReference[] {
  const out: PodObjectReference[] = [];
  const judged = (r: Loose) => text(r.name) !== undefined && (optionalToo || r.optional !== true);
  for (const { name: container, container: c } of containersOf(m)) {
    for (const e of mappings(c.env)) {
      for (const [field, kind] of ENV_REFS) {
        const r = mapping(mapping(e.valueFrom)[field]);
        if (judged(r))
          out.push({ kind, name: r.name as string, via: 'env', where: `container '${container}' env ${String(e.name)}`, envName: e.name, keys: [text(r.key)] });
      }
    }
    for (const e of mappings(c.envFrom)) {
      for (const [field, kind] of ENV_FROM_REFS) {
        const r = mapping(e[field]);
        if (judged(r)) out.push({ kind, name: r.name as string, via: 'envFrom', where: `container '${container}' envFrom`, keys: [] });
      }
    }
  }
  for (const v of mappings(podSpecOf(m)?.volumes).filter((v) => volumeUsed(m, v))) {
    for (const [field, nameField, kind] of VOLUME_REFS) {
      const s = mapping(v[field]);
      if (text(s[nameField]) && (optionalToo || s.optional !== true))
        out.push({
          kind,
          name: s[nameField] as string,
          via: 'volume',
          where: `volume '${String(v.name)}' items`,
          keys: mappings(s.items).map((i) => text(i.key)),
        });
    }
  }
  return out;
}

/**
 * The Secrets and ConfigMaps a pod reads through projected volumes (spec.volumes[].projected.sources[]) where the
 * source is not optional and some container uses the volume: the kubelet fails the volume set-up without them, as
 * for a configMap or secret volume.
 */
export function projectedReferences(m: Loose): PodObjectReference[] {
  return writtenProjections(m)
    .filter((r) => !ARGO_RUN_TIME_VARIABLE.test(r.name))
    .flatMap(named);
}

function writtenProjections(m: Loose): PodObjectReference[] {
  const out: PodObjectReference[] = [];
  for (const v of mappings(podSpecOf(m)?.volumes).filter((v) => volumeUsed(m, v))) {
    for (const source of mappings(mapping(v.projected).sources)) {
      for (const [field, , kind] of VOLUME_REFS) {
        const s = mapping(source[field]);
        if (text(s.name) && s.optional !== true)
          out.push({
            kind,
            name: s.name as string,
            via: 'volume',
            where: `volume '${String(v.name)}' projected ${field}`,
            keys: mappings(s.items).map((i) => text(i.key)),
          });
      }
    }
  }
  return out;
}
