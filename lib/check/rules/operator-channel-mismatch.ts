import { groupVersionOf } from '../../k8s/api-version';
import { mapping, text } from '../../manifests/access';
import { rhoaiChannelLine } from '../../platform/operator-channels';
import { GraphObject, locationOf, unitOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { sharedDestination } from './cluster-object-conflict';

/**
 * API versions only OpenShift AI 3.x serves: DataScienceCluster and DSCInitialization v2 came with 3.0
 * (opendatahub-operator v3.0.0 docs/api-overview.md lists v1 and v2; 2.x releases list v1 only), and HardwareProfile
 * infrastructure.opendatahub.io/v1 too (v3.0.0 config/crd/bases: v1 storage, v1alpha1 served).
 */
const ONLY_3X: readonly { kind: string; group: string; version: string }[] = [
  { kind: 'DataScienceCluster', group: 'datasciencecluster.opendatahub.io', version: 'v2' },
  { kind: 'DSCInitialization', group: 'dscinitialization.opendatahub.io', version: 'v2' },
  { kind: 'HardwareProfile', group: 'infrastructure.opendatahub.io', version: 'v1' },
];

function only3x(o: GraphObject): boolean {
  const { group, version } = groupVersionOf(o.manifest.apiVersion);
  return ONLY_3X.some((a) => a.kind === o.manifest.kind && a.group === group && a.version === version);
}

/**
 * Whether two objects certainly reach one cluster together: one kustomize build, one loose file (or one stream given
 * without files), or one Argo CD destination; other roots and files may be alternatives.
 */
function together(graph: ObjectGraph, a: GraphObject, b: GraphObject): boolean {
  if (unitOf(a) === unitOf(b) && (unitOf(a) !== '' || a.file === b.file)) return true;
  return sharedDestination(graph, a, b) !== undefined;
}

export const operatorChannelMismatch: Rule = {
  id: 'operator-channel-mismatch',
  title: 'the OpenShift AI operator Subscription follows a 2.x channel while the same build applies APIs only OpenShift AI 3.x serves',
  severity: 'error',
  appliesTo: ['Subscription'],
  premise:
    'a Subscription to rhods-operator (catalog redhat-operators or unnamed) whose spec.channel, as built (after kustomize patches), installs the 2.x line (stable and fast, which stayed on 2.x; stable-2.<minor>, eus-2.<minor>, stable-2.x, fast-2.x, eus-2.x), and, in the same kustomize build, the same loose file or the same Argo CD destination, a DataScienceCluster or DSCInitialization v2 or a HardwareProfile infrastructure.opendatahub.io/v1, which only 3.x serves; the reverse (a 3.x channel with DataScienceCluster v1) is not judged, since 3.x still serves v1',
  example: 'Subscription `rhods-operator` with `value: stable` beside DataScienceCluster `datasciencecluster.opendatahub.io/v2`',
  fix: 'subscribe to the 3.x line (stable-3.x, fast-3.x or a release channel such as stable-3.4), or write the OpenShift AI objects for 2.x',
  source:
    'redhat-cop/gitops-catalog openshift-ai/operator/overlays (3.x is published in stable-3.x, fast-3.x and stable-3.<minor>; stable and fast carry 2.x up to 2.25); opendatahub-io/opendatahub-operator docs/api-overview.md (v2 of datasciencecluster and dscinitialization, infrastructure v1, from v3.0.0); Kubernetes API server (a kind in a version no installed CRD serves: "no matches for kind")',
  check(o, { graph }) {
    const m = o.manifest;
    if (!(text(m.apiVersion) ?? '').startsWith('operators.coreos.com/')) return [];
    const spec = mapping(m.spec);
    const channel = text(spec.channel);
    const source = text(spec.source);
    if (text(spec.name) !== 'rhods-operator' || !channel || (source !== undefined && source !== 'redhat-operators')) return [];
    const line = rhoaiChannelLine(channel);
    if (line?.major !== 2) return [];
    const newer = graph.objects.filter((x) => only3x(x) && together(graph, o, x));
    if (!newer.length) return [];
    return [mismatch(graph, channel, line.floating, newer)];
  },
};

function mismatch(graph: ObjectGraph, channel: string, floating: boolean, newer: readonly GraphObject[]): Problem {
  const [first] = newer;
  const where = locationOf(first) ? ` (${locationOf(first)})` : '';
  const more = newer.length > 1 ? ` and ${newer.length - 1} more object(s) of 3.x APIs` : '';
  const why = floating ? ' (stable and fast stayed on the 2.x line; 3.x is published in stable-3.x, fast-3.x and the 3.x release channels)' : '';
  const { version } = groupVersionOf(first.manifest.apiVersion);
  return {
    message:
      `spec.channel '${channel}' installs OpenShift AI 2.x${why}, but ${graph.id(first)}${where}, applied with it, is ${text(first.manifest.apiVersion)}${more}, ` +
      `which only OpenShift AI 3.x serves: the operator this channel installs has no such API, so applying it fails (no matches for kind "${text(first.manifest.kind)}" in version "${version}") ` +
      `and the platform is never configured; subscribe to stable-3.x (or a 3.x release channel such as stable-3.4), or write the objects for 2.x`,
  };
}
