import { mapping, stringMap, strings } from '../../manifests/access';
import { SYNC_OPTIONS_ANNOTATION } from '../../k8s/keys';
import { deliverersOf } from './application';
import type { GraphObject } from '../graph-object';
import type { ObjectGraph } from '../graph';

/** Argo CD's sync option that applies without validation (gitops-engine pkg/sync/common/types.go SyncOptionsDisableValidation). */
const NO_VALIDATION = 'Validate=false';

/**
 * Whether Argo CD applies the object without validation, so that the server drops unknown fields instead of refusing
 * them: the resource's own sync-options annotation (gitops-engine pkg/sync/sync_context.go: validate is off when
 * HasAnnotationOption finds Validate=false), or the sync options of every Application that delivers it (argo-cd
 * controller/sync.go: WithManifestValidation(!syncOp.SyncOptions.HasOption(SyncOptionsDisableValidation))).
 */
export function validationOff(o: GraphObject, graph: ObjectGraph): boolean {
  const annotation = stringMap(mapping(o.manifest.metadata).annotations)[SYNC_OPTIONS_ANNOTATION] ?? '';
  if (annotation.split(',').some((x) => x.trim() === NO_VALIDATION)) return true;
  const apps = deliverersOf(o, graph);
  return apps.length > 0 && apps.every((app) => strings(mapping(mapping(app.manifest.spec).syncPolicy).syncOptions).includes(NO_VALIDATION));
}
