import { mapping, text } from '../../manifests/access';
import { deliverersOf } from '../argocd/application';
import { GraphObject } from '../graph-object';
import { podClaims } from '../pod-claims';
import { podReferences } from '../pod-references';
import { WORKLOAD_KINDS } from '../pods';
import { Rule } from '../rule';
import { appliesObject } from '../script-delivery';

/** What the object's pods need from their namespace: the claims they mount and the ConfigMaps and Secrets they read. */
function needed(m: GraphObject['manifest']): { kind: string; name: string; field: string }[] {
  return [
    ...podClaims(m).map((c) => ({ kind: 'PersistentVolumeClaim', name: c.name, field: c.field })),
    ...podReferences(m).map((r) => ({ kind: r.kind, name: r.name, field: r.where })),
  ];
}

export const referenceInOtherNamespace: Rule = {
  id: 'reference-in-other-namespace',
  title:
    'a workload without a namespace, applied by a script without -n, mounts or reads a claim, ConfigMap or Secret that its own file puts in a namespace: it lands elsewhere and never finds it',
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    'a workload without metadata.namespace that a script or README of the tree applies with `kubectl|oc apply|create -f` and no `-n` (and no Argo CD Application syncs) goes to the namespace of the kubeconfig context; ' +
    'it mounts a PersistentVolumeClaim or reads a ConfigMap or Secret (without optional: true) that the same file defines only with an explicit metadata.namespace, and no object of that name is in the tree without one: ' +
    'the file puts the two apart, since a pod finds claims, ConfigMaps and Secrets of its own namespace only; ' +
    'a warning where the command follows a `cd` check cannot follow and the file is taken for the one file of the tree of that name',
  example: 'a Job without a namespace mounting claim `model-cache`, defined in the same file in namespace `diffusion`, applied by `kubectl apply -f job.yaml`',
  fix: 'give the workload the namespace of what it uses (metadata.namespace), or apply the file with -n <namespace> after removing the other namespace',
  source:
    'kubectl apply: an object without metadata.namespace goes to -n, else to the kubeconfig context namespace (k8s.io/cli-runtime resource.Builder DefaultNamespace); kube-scheduler VolumeBinding: persistentvolumeclaim "…" not found (Pending); kubelet: CreateContainerConfigError for a missing ConfigMap or Secret',
  check(o, { graph }) {
    if (text(mapping(o.manifest.metadata).namespace) || !o.file || deliverersOf(o, graph).length) return [];
    const by = graph.scriptApplied.find((a) => appliesObject(a, o));
    if (!by || by.namespace) return [];
    return needed(o.manifest).flatMap(({ kind, name, field }) => {
      const all = graph.ofKind(kind).filter((x) => text(mapping(x.manifest.metadata).name) === name);
      const placed = all.filter((x) => x.file === o.file && text(mapping(x.manifest.metadata).namespace));
      if (!placed.length || all.some((x) => !text(mapping(x.manifest.metadata).namespace))) return [];
      const elsewhere = [...new Set(placed.map((x) => text(mapping(x.manifest.metadata).namespace)))].map((n) => `'${n}'`).join(', ');
      // past a cd the reader cannot follow, the file is assumed to be the one file of the tree of that name
      const assumed = by.afterCd ? ` (after \`${by.afterCd}\`, which check cannot follow, taken for the one file of the tree of that name)` : '';
      return [
        {
          ...(assumed ? { severity: 'warning' as const } : {}),
          message:
            `${field} '${name}': the object has no namespace and ${by.script} (line ${by.line}) applies it with \`${by.command}\`${assumed}, without -n, so it goes to the kubeconfig context's namespace (default unless the context sets another), ` +
            `while its own file defines ${kind} '${name}' only in namespace ${elsewhere}: a pod finds it in its own namespace only, so the pods stay Pending or fail to start (${kind.toLowerCase()} "${name}" not found); ` +
            `set metadata.namespace: ${elsewhere.split(', ')[0].replace(/'/g, '')} on the ${String(o.manifest.kind)}`,
        },
      ];
    });
  },
};
