import { mapping, stringMap } from '../manifests/access';
import type { ObjectGraph } from './graph';
import type { GraphObject } from './graph-object';
import type { PodSecurityLevel } from './pod-security-standards';

/**
 * The Pod Security admission labels of a Namespace (k8s.io/pod-security-admission api/constants.go: the mode labels
 * `pod-security.kubernetes.io/<mode>` and `<mode>-version`), as the tree writes them.
 */

const PREFIX = 'pod-security.kubernetes.io/';
const LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];
/**
 * OpenShift's label syncer (openshift/cluster-policy-controller pkg/psalabelsyncer): with this label `true` it
 * overwrites the PSA labels with the level of the SCCs the namespace's accounts may use, whoever wrote them; otherwise
 * it leaves a label another field manager (kubectl, Argo CD) owns.
 */
export const OPENSHIFT_LABEL_SYNC = 'security.openshift.io/scc.podSecurityLabelSync';

/** One mode's policy: its level and the minor its version label names (undefined for `latest` or no version label). */
export interface ModePolicy {
  readonly level: PodSecurityLevel;
  readonly minor?: number;
  /** As admission prints it: `restricted:latest`, `baseline:v1.29`. */
  readonly shown: string;
  /** The labels as written, for messages. */
  readonly labels: string;
}

/** A valid version label: `latest` or `v1.N` (api/helpers.go ParseVersion). */
const VERSION = /^v1\.(0|[1-9][0-9]*)$/;

/** A mode's policy from the labels; undefined when the level label is absent or not a level (admission would not read it so). */
export function modePolicy(labels: Readonly<Record<string, string>>, mode: 'enforce' | 'warn' | 'audit'): ModePolicy | undefined {
  const level = labels[`${PREFIX}${mode}`] as PodSecurityLevel | undefined;
  if (!level || !LEVELS.includes(level)) return undefined;
  const version = labels[`${PREFIX}${mode}-version`];
  if (version !== undefined && version !== 'latest' && !VERSION.test(version)) return undefined;
  const minor = version && version !== 'latest' ? Number(VERSION.exec(version)![1]) : undefined;
  const shownVersion = version && version !== 'latest' ? version : 'latest';
  const labelText = [`${PREFIX}${mode}: ${level}`, ...(version !== undefined ? [`${PREFIX}${mode}-version: ${version}`] : [])].join(', ');
  return { level, ...(minor !== undefined ? { minor } : {}), shown: `${level}:${shownVersion}`, labels: labelText };
}

/** The Namespace object of the tree named so, and its labels; undefined when the tree does not hold it. */
export function treeNamespace(graph: ObjectGraph, ns: string): { readonly o: GraphObject; readonly labels: Record<string, string> } | undefined {
  const o = graph.find('Namespace', ns);
  return o ? { o, labels: stringMap(mapping(o.manifest.metadata).labels) } : undefined;
}
