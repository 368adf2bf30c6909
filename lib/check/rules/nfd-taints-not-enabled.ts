import { mapping, mappings, text } from '../../manifests/access';
import { repositoryObjectsOf } from '../found-elsewhere';
import { ObjectGraph } from '../graph';
import { Rule } from '../rule';

/**
 * What turns NFD's node tainting on: nfd-master's -enable-taints flag, its config file's enableTaints, the Helm chart's
 * enableTaints value, (kubernetes-sigs/node-feature-discovery
 * v0.19.0 cmd/nfd-master/main.go "enable-taints" default false, pkg/nfd-master/nfd-master.go: taints of NodeFeatureRules
 * applied only `if m.config.EnableTaints`; deployment/helm/node-feature-discovery/values.yaml enableTaints: false).
 */
const ENABLED = /-enable-taints(?:=true)?(?![=\w-])|enableTaints["']?\s*[:=]\s*["']?true/i;

/** Whether anything the tree, its scripts' manifests, its Helm commands or its repository holds turns NFD's tainting on. */
function taintsEnabled(graph: ObjectGraph): boolean {
  const manifests = [
    ...graph.objects.map((o) => o.manifest),
    ...graph.scriptCreated.flatMap((c) => (c.manifest ? [c.manifest] : [])),
    ...repositoryObjectsOf(graph).map((o) => o.manifest),
  ];
  if (manifests.some((m) => m.kind !== 'NodeFeatureRule' && ENABLED.test(JSON.stringify(m).replace(/\\n/g, '\n')))) return true;
  return graph.helmCommands.some((h) => h.sets.some((s) => /enableTaints$/i.test(s.key) && s.value === 'true') || /enable-?taints/i.test(h.text));
}

export const nfdTaintsNotEnabled: Rule = {
  id: 'nfd-taints-not-enabled',
  title: "a NodeFeatureRule sets taints but nothing in the tree turns NFD's node tainting on: nfd-master ignores them and the nodes stay untainted",
  severity: 'warning',
  appliesTo: ['NodeFeatureRule'],
  premise:
    "a NodeFeatureRule has rules with taints, and neither the tree, the manifests its scripts write, its helm commands nor the manifests of its git repository enable tainting (nfd-master -enable-taints, enableTaints: true in its config, the Helm chart's values or any other NFD configuration); a warning, since NFD may be deployed elsewhere with tainting on",
  example: 'NodeFeatureRule `gpu-taint` with taints `nvidia.com/gpu` and no enableTaints anywhere',
  fix: 'turn tainting on where NFD is deployed (nfd-master -enable-taints, enableTaints: true in the Helm values or nfd-master.conf), or taint the nodes another way (MachineSet, node pool)',
  source:
    'kubernetes-sigs/node-feature-discovery v0.19.0 cmd/nfd-master/main.go (flag enable-taints, default false), pkg/nfd-master/nfd-master.go (NodeFeatureRule taints applied only when config.EnableTaints), deployment/helm/node-feature-discovery/values.yaml (enableTaints: false); NFD docs "Customization guide: Node tainting"',
  check(o, { graph }) {
    const tainting = mappings(mapping(o.manifest.spec).rules).filter((r) => mappings(r.taints).length);
    if (!tainting.length || taintsEnabled(graph)) return [];
    const taints = tainting.flatMap((r) =>
      mappings(r.taints).map((t) => `${text(t.key)}${t.value !== undefined ? `=${text(t.value)}` : ''}:${text(t.effect)}`),
    );
    return [
      {
        message:
          `rule(s) ${tainting.map((r) => `'${text(r.name)}'`).join(', ')} set taints (${taints.join(', ')}), but nothing in the tree turns NFD's node tainting on: ` +
          `nfd-master applies NodeFeatureRule taints only with -enable-taints (enableTaints: true in its config or Helm values), off by default, ` +
          `so the nodes stay untainted and pods without the toleration land on them; enable tainting where NFD is deployed`,
      },
    ];
  },
};
