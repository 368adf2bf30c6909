import { mapping, stringMap, strings } from '../../manifests/access';
import { SYNC_OPTIONS_ANNOTATION } from '../../k8s/keys';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { deliverersOf } from './application';

/** Argo CD's sync options that decide how it applies an object (gitops-engine pkg/sync/common/types.go). */
const NO_VALIDATION = 'Validate=false';
const SERVER_SIDE = 'ServerSideApply=true';
const NOT_SERVER_SIDE = 'ServerSideApply=false';
const REPLACE = 'Replace=true';

/**
 * What Argo CD's apply does with fields the object's schema lacks: `refused` where it validates (kubectl's strict
 * validation); `dropped` where every apply turns validation off (Validate=false: gitops-engine
 * pkg/utils/kube/resource_ops.go newApplyOptionsCommon gives kubectl the Ignore validator, and the API server drops what
 * it prunes); `server-side` where validation is off but an apply is server-side, which refuses them whatever the
 * validation. `by` names where ServerSideApply=true is set, for messages.
 */
export type UnknownFieldsApply = { readonly apply: 'refused' | 'dropped' } | { readonly apply: 'server-side'; readonly by: string };

interface Mode {
  readonly validationOff: boolean;
  readonly serverSide: boolean;
}

/**
 * How one sync applies the object, from its own sync-options annotation and the delivering Application's syncOptions:
 * validate unless either sets Validate=false (gitops-engine pkg/sync/sync_context.go: sc.validate && !HasAnnotationOption
 * Validate=false; argo-cd controller/sync.go WithManifestValidation); server-side where either sets ServerSideApply=true
 * and the annotation does not say ServerSideApply=false (shouldUseServerSideApply), unless Replace=true takes the
 * replace or create path instead (applyObject).
 */
function modeOf(own: readonly string[], app: readonly string[]): Mode {
  const has = (option: string) => own.includes(option) || app.includes(option);
  return { validationOff: has(NO_VALIDATION), serverSide: !has(REPLACE) && !own.includes(NOT_SERVER_SIDE) && has(SERVER_SIDE) };
}

export function unknownFieldsApply(o: GraphObject, graph: ObjectGraph): UnknownFieldsApply {
  const annotation = stringMap(mapping(o.manifest.metadata).annotations)[SYNC_OPTIONS_ANNOTATION] ?? '';
  const own = annotation.split(',').map((x) => x.trim());
  const apps = deliverersOf(o, graph).map((app) => ({ app, options: strings(mapping(mapping(app.manifest.spec).syncPolicy).syncOptions) }));
  // an object no Application of the input delivers: its annotation alone tells how an Application applies it
  const syncs = apps.length ? apps.map(({ app, options }) => ({ app, mode: modeOf(own, options) })) : [{ app: undefined, mode: modeOf(own, []) }];
  if (!syncs.every((s) => s.mode.validationOff)) return { apply: 'refused' };
  const serverSide = syncs.find((s) => s.mode.serverSide);
  if (!serverSide) return { apply: 'dropped' };
  const by = own.includes(SERVER_SIDE)
    ? `its ${SYNC_OPTIONS_ANNOTATION} annotation`
    : `the syncOptions of ${serverSide.app ? graph.id(serverSide.app) : 'its Application'}`;
  return { apply: 'server-side', by };
}
