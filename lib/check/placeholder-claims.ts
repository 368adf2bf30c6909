import * as path from 'path';
import { mapping, text } from '../manifests/access';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { writtenClaims } from './pod-claims';
import { componentPods, templatePods } from './pod-templates';
import { Problem } from './rule';
import { PLACEHOLDER_WORDS } from './template-syntax';
import { judgedNamespace } from './tree-namespaces';

/** The words of a lower-case claim name a sample writes for its reader to replace (`your-model-pvc`, `replace-me`, `pvc-placeholder`). */
const CLAIM_PLACEHOLDER_WORDS: ReadonlySet<string> = new Set(PLACEHOLDER_WORDS.filter((w) => w !== 'change' && w !== 'tbd' && w !== 'redacted'));

/** The placeholder word of a claim name, or undefined. */
function claimPlaceholderWord(name: string): string | undefined {
  return name
    .toLowerCase()
    .split(/[-_.]/)
    .find((w) => CLAIM_PLACEHOLDER_WORDS.has(w));
}

/**
 * Claims an object's pods mount (a persistentVolumeClaim volume, an InferenceService's pvc://<claim>/… storageUri, which
 * KServe mounts in the predictor pod) whose name is a reader's fill-in, which the tree does not make: the pod waits for
 * a claim of that literal name. Not said where pod-reference-not-found looks the claim up (a namespace the tree
 * creates, or a folder that makes other claims beside the object): it says so there, as an error.
 */
export function placeholderClaimProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  if (judgedNamespace(graph, o)) return [];
  const ns = graph.namespaceOf(o.manifest);
  const own = text(mapping(o.manifest.metadata).namespace);
  const beside = graph
    .ofKind('PersistentVolumeClaim')
    .some((c) => o.file && c.file && path.dirname(c.file) === path.dirname(o.file) && text(mapping(c.manifest.metadata).namespace) === own);
  if (beside) return [];
  const pods = [{ manifest: o.manifest, prefix: '' }, ...templatePods(o.manifest), ...componentPods(o.manifest)];
  return pods.flatMap(({ manifest, prefix }) =>
    writtenClaims(manifest)
      .filter((c) => claimPlaceholderWord(c.name) !== undefined && !graph.find('PersistentVolumeClaim', c.name, ns))
      .filter((c) => !graph.scriptCreating('PersistentVolumeClaim', c.name, ns))
      .map((c) => ({
        severity: 'warning' as const,
        message:
          `${prefix}${c.field} names PersistentVolumeClaim '${c.name}'${c.field.endsWith('claimName') ? '' : ' (KServe mounts the claim of a pvc:// URI in the predictor pod)'}, ` +
          `a placeholder ('${claimPlaceholderWord(c.name)}') that nothing in the tree makes: applied as it is, the pod waits for a claim of that literal name and stays Pending (persistentvolumeclaim "${c.name}" not found); ` +
          'name the claim that holds the model, or add it to the tree',
      })),
  );
}
