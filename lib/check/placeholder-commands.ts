import { Loose, mapping, mappings, stringMap, strings, text } from '../manifests/access';
import { PLACEHOLDER_WORD } from '../manifests/placeholder-word';
import { podSpecOf } from './pods';
import { podTemplatesOf } from './pod-templates';
import { ANGLE_PLACEHOLDER } from './template-syntax';

/**
 * Hand-filled placeholders beyond whole values: a `<NAME>` or a placeholder word inside a URI of a container's command
 * line (`aws s3 cp s3://<my-bucket>/adapter.json …`, shell scripts included), and a required node label value left as
 * a slot (`topology.kubernetes.io/zone In [ZONE]`, `<zone>`). Said by unrendered-placeholder.
 */

/** A URI of a command line holding a `<NAME>` or a placeholder word before its path ends: the placeholder in group 1. */
const URI_PLACEHOLDER = new RegExp(`[a-z][a-z0-9+.-]*://[^\\s'"]*?(${ANGLE_PLACEHOLDER.source}|${PLACEHOLDER_WORD.source})`, 'g');

/** A script line that prints or comments rather than runs (`echo "open https://<host>/"`, `# see https://<docs>`). */
const PROSE_LINE = /^\s*(?:#|echo\b|printf\b|cat\s*<<|log\b|info\b)/;

/** A placeholder of a command line: where, the token, and whether an init container runs it (before the pod starts). */
export interface CommandPlaceholder {
  readonly where: string;
  readonly token: string;
  readonly init: boolean;
}

/** The placeholders of the URIs in the command lines of containers, each once per container. */
export function commandUriPlaceholders(containers: readonly { where: string; container: Loose; init: boolean }[]): CommandPlaceholder[] {
  return containers.flatMap(({ where, container, init }) => {
    const lines = [...strings(container.command), ...strings(container.args)].flatMap((w) => w.split('\n')).filter((l) => !PROSE_LINE.test(l));
    // a URI holds `://`: the pattern, tried at each letter of a long script, is run only on the lines that hold one
    const tokens = new Set(lines.flatMap((l) => (l.includes('://') ? [...l.matchAll(URI_PLACEHOLDER)].map((m) => m[1]) : [])));
    return [...tokens].map((token) => ({ where: `${where} command line`, token, init }));
  });
}

/**
 * Whether a required node label value is a slot a reader fills: a `<NAME>`, a placeholder word, or the label's own
 * name in capitals (`ZONE` for topology.kubernetes.io/zone, `INSTANCE_TYPE` for node.kubernetes.io/instance-type,
 * `ACCELERATOR` for cloud.google.com/gke-accelerator): real values of those labels are lower case (zones, instance
 * types, accelerator names), so a value that only repeats the key in capitals names no node.
 */
function slotValue(key: string, value: string): boolean {
  const v = value.trim();
  if (ANGLE_PLACEHOLDER.test(v) && v.startsWith('<') && v.endsWith('>')) return true;
  if (PLACEHOLDER_WORD.exec(v)?.[0] === v) return true;
  if (!/^[A-Z][A-Z0-9_-]{2,}$/.test(v)) return false;
  const name = (key.split('/').pop() ?? key).toLowerCase();
  const slot = v.toLowerCase().replace(/_/g, '-');
  return slot.length >= 3 && (name === slot || name.endsWith(`-${slot}`));
}

/** A required node label value left as a slot: where, and the value. */
export interface NodeLabelPlaceholder {
  readonly where: string;
  readonly token: string;
  /** A term of required node affinity beside others without a slot: it matches no node, the pod still schedules through them. */
  readonly alternative?: boolean;
}

/** The slots of one pod spec's nodeSelector and required node affinity. */
function podSlots(pod: Loose, at: string): NodeLabelPlaceholder[] {
  const selector = Object.entries(stringMap(pod.nodeSelector))
    .filter(([k, v]) => slotValue(k, v))
    .map(([k, v]) => ({ where: `${at}nodeSelector.${k}`, token: v }));
  const required = mapping(mapping(mapping(pod.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution);
  const terms = mappings(required.nodeSelectorTerms).map((t, i) =>
    mappings(t.matchExpressions).flatMap((e, j) => {
      const key = text(e.key) ?? '';
      const values = strings(e.values);
      return e.operator === 'In' && values.length && values.every((v) => slotValue(key, v))
        ? [
            {
              where: `${at}affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}].matchExpressions[${j}] (${key})`,
              token: values[0],
            },
          ]
        : [];
    }),
  );
  // terms are ORed: a slot in each leaves the pod no node; in some only, those terms match none and the others decide
  const every = terms.length > 0 && terms.every((t) => t.length);
  return [...selector, ...terms.flat().map((t) => (every ? t : { ...t, alternative: true }))];
}

/** The required node label slots of an object's pods: its pod spec's, each pod template's of a multi-pod kind. */
export function nodeLabelPlaceholders(m: Loose): NodeLabelPlaceholder[] {
  const pod = podSpecOf(m);
  return [...(pod ? podSlots(pod, '') : []), ...podTemplatesOf(m).flatMap((t) => podSlots(mapping(t.template.spec), `${t.path}.spec.`))];
}
