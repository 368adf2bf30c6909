import * as fs from 'fs';
import * as path from 'path';
import { mapping, text } from '../../manifests/access';
import { ObjectGraph } from '../graph';
import { unlessRepositoryMakes, REPOSITORY_PREMISE } from '../found-elsewhere';
import { Problem, Rule } from '../rule';
import { leftOutByTerraform, terraformLeftOutProblem } from '../terraform-applied';

/**
 * The NodeClass kinds of Karpenter's cloud providers, by API group: AWS (karpenter-provider-aws pkg/apis/v1
 * EC2NodeClass), Azure (karpenter-provider-azure pkg/apis/v1beta1 AKSNodeClass), GCP (karpenter-provider-gcp
 * GCENodeClass). EKS Auto Mode's eks.amazonaws.com NodeClass is not judged: EKS makes the `default` one itself.
 */
const NODE_CLASS_GROUPS: Readonly<Record<string, string>> = {
  'karpenter.k8s.aws': 'EC2NodeClass',
  'karpenter.azure.com': 'AKSNodeClass',
  'karpenter.k8s.gcp': 'GCENodeClass',
};

/**
 * The kind and name a NodePool's spec.template.spec.nodeClassRef names: karpenter.sh/v1 gives group, kind and name;
 * v1beta1 may give only the name (its webhook defaults the AWS EC2NodeClass) or an apiVersion.
 */
function nodeClassRef(pool: Record<string, unknown>): { kind: string; name: string } | undefined {
  const ref = mapping(mapping(mapping(mapping(pool.spec).template).spec).nodeClassRef);
  const name = text(ref.name);
  if (!name || /\$|\{\{/.test(name)) return undefined;
  const group = text(ref.group) ?? text(ref.apiVersion)?.split('/')[0];
  const kind = text(ref.kind) ?? (group ? NODE_CLASS_GROUPS[group] : 'EC2NodeClass');
  const known = Object.values(NODE_CLASS_GROUPS);
  return kind && known.includes(kind) && (!group || NODE_CLASS_GROUPS[group] === kind) ? { kind, name } : undefined;
}

/** A template file's name: rendered (envsubst, sed) before it is applied, so the reader does not take it for a manifest. */
const TEMPLATE_FILE = /\.(tpl|tmpl|template)$/i;

/**
 * A template file of the checked folders (`ec2nodeclass.yaml.tpl`) that writes an object of the kind and name: made
 * when a script renders and applies it, which the folder alone does not show.
 */
function templateMaking(graph: ObjectGraph, kind: string, name: string): string | undefined {
  const files = graph.once('node-class-not-found:templates', () =>
    (graph.folders ?? []).flatMap((dir) => {
      try {
        return fs
          .readdirSync(dir)
          .filter((f) => TEMPLATE_FILE.test(f))
          .map((f) => ({ file: path.join(dir, f), text: fs.readFileSync(path.join(dir, f), 'utf8') }));
      } catch {
        return [];
      }
    }),
  );
  const named = new RegExp(`^\\s*name:\\s*["']?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*$`, 'm');
  return files.find((f) => new RegExp(`^kind:\\s*${kind}\\s*$`, 'm').test(f.text) && named.test(f.text))?.file;
}

/** The NodePools of the tree naming the same missing NodeClass: said once, on the first. */
function samePools(graph: ObjectGraph, kind: string, name: string): string[] {
  return graph
    .ofKind('NodePool')
    .filter((p) => /^karpenter\.sh\//.test(text(p.manifest.apiVersion) ?? ''))
    .filter((p) => {
      const r = nodeClassRef(p.manifest);
      return r?.kind === kind && r.name === name;
    })
    .map((p) => graph.id(p));
}

export const nodeClassNotFound: Rule = {
  id: 'node-class-not-found',
  title: "a Karpenter NodePool's nodeClassRef names a NodeClass that does not exist: the pool is not ready and launches no node",
  severity: 'error',
  appliesTo: ['NodePool'],
  premise:
    'a Karpenter NodePool (karpenter.sh) names in spec.template.spec.nodeClassRef a NodeClass of a cloud provider (EC2NodeClass of karpenter.k8s.aws, the default where a v1beta1 reference gives only the name; AKSNodeClass of karpenter.azure.com; GCENodeClass of karpenter.k8s.gcp; EKS Auto Mode\'s built-in NodeClass is not judged) of a name no object of the tree has; an error where the tree holds NodeClasses of that kind (it makes them itself, just not this one), a warning where it holds none of that kind (it may be made outside the tree), a note where a template file of the checked folders (.tpl, .tmpl, .template) writes it (a script renders and applies it); said once per NodeClass, on the first NodePool naming it; a note where the NodePool\'s file lies in a folder (or a subfolder of one) whose Terraform configuration applies other manifest files of that folder by name (kubectl_manifest or kubernetes_manifest reading file("${path.module}/a.yaml") or templatefile()) and not this one, with no fileset(), kubectl_path_documents or computed file name: nothing applies it' +
    REPOSITORY_PREMISE,
  example: "a NodePool whose nodeClassRef says `kind: EC2NodeClass` and `name: accelerated` while the tree's only EC2NodeClass is `name: general`",
  fix: 'name an existing NodeClass in nodeClassRef, or add the NodeClass it names',
  source:
    "karpenter pkg/controllers/nodepool/readiness (the NodePool condition NodeClassReady is False while the NodeClass it references is not found) and pkg/controllers/provisioning (only ready NodePools launch nodes); karpenter.sh/v1 NodeClassReference {group, kind, name}; karpenter-provider-aws EC2NodeClass, karpenter-provider-azure AKSNodeClass; Terraform functions file and templatefile (a file read by its path, path.module the module's folder), gavinbunney/kubectl kubectl_manifest and hashicorp/kubernetes kubernetes_manifest (apply the manifest text given)",
  check(pool, { graph }) {
    // a NodePool of another group (HyperShift's hypershift.openshift.io) is no Karpenter pool
    if (!/^karpenter\.sh\//.test(text(pool.manifest.apiVersion) ?? '')) return [];
    const ref = nodeClassRef(pool.manifest);
    if (!ref || graph.find(ref.kind, ref.name)) return [];
    const pools = samePools(graph, ref.kind, ref.name);
    if (pools[0] !== graph.id(pool)) return [];
    const more = pools.length > 1 ? ` (as do ${pools.slice(1).join(', ')})` : '';
    const template = templateMaking(graph, ref.kind, ref.name);
    if (template)
      return [
        {
          severity: 'info',
          message: `spec.template.spec.nodeClassRef names ${ref.kind} '${ref.name}'${more}, which the tree writes only in the template ${template}: until a script renders and applies it, Karpenter keeps the NodePool not ready (NodeClassReady False) and launches no node; apply the rendered ${ref.kind} with the NodePools`,
        },
      ];
    const theirs = graph
      .ofKind(ref.kind)
      .map((c) => text(mapping(c.manifest.metadata).name))
      .filter((n): n is string => n !== undefined);
    const problem: Problem = theirs.length
      ? {
          message: `spec.template.spec.nodeClassRef names ${ref.kind} '${ref.name}'${more}, which the tree does not have (its ${ref.kind} objects: ${theirs.join(', ')}): Karpenter marks the NodePool not ready (NodeClassReady False, the NodeClass not found) and launches no node for its pods, which stay Pending; name one of those, or add ${ref.kind} '${ref.name}'`,
        }
      : {
          severity: 'warning',
          message: `spec.template.spec.nodeClassRef names ${ref.kind} '${ref.name}'${more}, and the tree holds no ${ref.kind}: unless the cluster has it (made outside the tree), Karpenter marks the NodePool not ready (NodeClassReady False) and launches no node for its pods; make sure ${ref.kind} '${ref.name}' exists, or add it to the tree`,
        };
    const judged = unlessRepositoryMakes(graph, problem, ref.kind, ref.name, undefined);
    // a file the Terraform configuration of its folder does not apply (it applies others by name) is delivered by nothing
    const left = judged.severity === 'info' ? undefined : leftOutByTerraform(graph, pool);
    return [left ? terraformLeftOutProblem(pool, left, judged) : judged];
  },
};
