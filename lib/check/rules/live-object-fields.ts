import { isMapping, mapping, mappings, text } from '../../manifests/access';
import { ObjectGraph } from '../graph';
import { ANY_KIND, Problem, Rule } from '../rule';
import { holdsTemplate } from '../template-syntax';

/** The uids the tree's own objects carry (exported together with their dependents). */
function treeUids(graph: ObjectGraph): Set<string> {
  return graph.once('live-object-fields:uids', () => new Set(graph.objects.map((o) => text(mapping(o.manifest.metadata).uid)).filter((u): u is string => !!u)));
}

/** A value with something in it: a generated CRD's `status: {acceptedNames: {kind: ''}, conditions: []}` has nothing. */
function filled(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(filled);
  if (isMapping(v)) return Object.values(v).some(filled);
  return v !== undefined && v !== null && v !== '';
}

/** Fields the API server sets that are harmless in a manifest (ignored or overwritten on create): the ones written. */
function harmlessFields(manifest: Record<string, unknown>): string[] {
  const meta = mapping(manifest.metadata);
  return [
    ...(['uid', 'creationTimestamp', 'managedFields', 'generation'] as const).filter((k) => filled(meta[k])).map((k) => `metadata.${k}`),
    ...(filled(manifest.status) ? ['status'] : []),
  ];
}

const FIX =
  'strip the fields the API server sets (metadata.uid, resourceVersion, creationTimestamp, managedFields, ownerReferences of a live owner, status), e.g. with `kubectl neat`';

export const liveObjectFields: Rule = {
  id: 'live-object-fields',
  title: 'an object exported from a live cluster: an ownerReference to a uid that does not exist here, or a resourceVersion the create refuses',
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    'an object of the tree carries fields the API server sets on a live object: an error for metadata.ownerReferences[].uid naming no object of the tree (on a cluster where no owner has that uid the garbage collector deletes the object) ' +
    'and for metadata.resourceVersion (a create with one is refused); metadata.uid, creationTimestamp, managedFields, generation or a non-empty status are ignored or overwritten: info. ' +
    'An owner uid that an object of the tree carries is not judged (the objects were exported together; the owner is re-created with another uid, which the other findings tell)',
  example: 'a MaaSModelRef with `ownerReferences` of `uid: ee5bba6d-0a7f-4855-8ece-68f0e346b88d` and `resourceVersion: "48211"`',
  fix: FIX,
  source:
    'kubernetes pkg/controller/garbagecollector/garbagecollector.go (attemptToDeleteItem: an owner reference whose uid matches no live object is dangling; an object whose owners are all dangling is deleted); ' +
    'kubernetes staging/src/k8s.io/apiserver/pkg/storage/errors.go ErrResourceVersionSetOnCreate, returned by the etcd3 store\'s Create: "resourceVersion should not be set on objects to be created"; ' +
    'apiserver pkg/registry/rest/create.go (FillObjectMetaSystemFields sets uid and creationTimestamp on create)',
  check(o, ctx) {
    const meta = mapping(o.manifest.metadata);
    const uids = treeUids(ctx.graph);
    const dangling = mappings(meta.ownerReferences).filter((r) => text(r.uid) && !uids.has(text(r.uid)!));
    const written = text(meta.resourceVersion) ?? (typeof meta.resourceVersion === 'number' ? String(meta.resourceVersion) : undefined);
    // a ${RV} or {{ }} another tool fills in is judged once rendered
    const version = written && !holdsTemplate(written) ? written : undefined;
    const errors = [
      ...dangling.map(
        (r) =>
          `metadata.ownerReferences names ${text(r.kind) ?? 'an owner'} ${text(r.name) ?? ''} by uid ${text(r.uid)}, which no object of the tree carries: a uid is given by the cluster that created the owner, so on any other cluster (a fresh install, a re-created owner) no object has it and the garbage collector deletes this one right after it is created; remove the ownerReferences (the controller that owns it sets its own)`,
      ),
      ...(version
        ? [
            `metadata.resourceVersion '${version}' is set: the API server refuses to create an object with one ("resourceVersion should not be set on objects to be created"), and an update with a stale one conflicts; remove it`,
          ]
        : []),
    ];
    const harmless = harmlessFields(o.manifest);
    if (errors.length) return [{ message: `${errors.join('; ')}; the object looks exported from a live cluster: ${FIX}` } satisfies Problem];
    if (!harmless.length) return [];
    return [
      {
        severity: 'info',
        message: `${harmless.join(', ')} ${harmless.length > 1 ? 'are' : 'is'} set by the API server, which ignores or overwrites ${harmless.length > 1 ? 'them' : 'it'} on create: harmless, but the object looks exported from a live cluster; ${FIX}`,
      },
    ];
  },
};
