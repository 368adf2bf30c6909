import { mapping, text } from '../../manifests/access';
import { foundElsewhere, REPOSITORY_PREMISE, unlessRepositoryMakes } from '../found-elsewhere';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { namesNearest, nearName } from '../reference-targets';
import { holdsTemplate } from '../template-syntax';
import { unseenDeliveries } from '../tree-namespaces';

/** Kubeflow Trainer v2's API group (kubeflow/trainer pkg/apis/trainer/v1alpha1 groupversion_info.go). */
const TRAINER_GROUP = 'trainer.kubeflow.org';
/** RuntimeRef.Kind's default (kubeflow/trainer trainjob_types.go: +kubebuilder:default="ClusterTrainingRuntime"). */
const DEFAULT_RUNTIME_KIND = 'ClusterTrainingRuntime';
const RUNTIME_KINDS = ['TrainingRuntime', 'ClusterTrainingRuntime'];

const groupOf = (o: GraphObject) => String(o.manifest.apiVersion ?? '').split('/')[0];

/** The runtimes of a kind the TrainJob may name: a TrainingRuntime of its namespace, or any ClusterTrainingRuntime. */
function runtimesOf(graph: ObjectGraph, kind: string, ns: string): GraphObject[] {
  return graph.ofKind(kind).filter((r) => groupOf(r) === TRAINER_GROUP && (kind === DEFAULT_RUNTIME_KIND || graph.namespaceOf(r.manifest) === ns));
}

function runtimeProblem(o: GraphObject, graph: ObjectGraph): Problem[] {
  if (groupOf(o) !== TRAINER_GROUP) return [];
  const ref = mapping(mapping(o.manifest.spec).runtimeRef);
  const name = text(ref.name);
  const kind = text(ref.kind) ?? DEFAULT_RUNTIME_KIND;
  const ns = graph.namespaceOf(o.manifest);
  if (!name || (text(ref.apiGroup) ?? TRAINER_GROUP) !== TRAINER_GROUP || !RUNTIME_KINDS.includes(kind) || ns === undefined) return [];
  const known = runtimesOf(graph, kind, ns);
  // no controller makes runtimes (unlike a Service named after its custom resource): only a template or a delivery
  // the input does not show may hold it
  if (known.some((r) => text(mapping(r.manifest.metadata).name) === name) || holdsTemplate(name) || unseenDeliveries(graph, ns).length) return [];
  const field = `spec.runtimeRef names ${kind} '${name}'${text(ref.kind) ? '' : ' (kind left out: ClusterTrainingRuntime)'}`;
  const said = kind === DEFAULT_RUNTIME_KIND ? 'clusterTrainingRuntime' : 'trainingRuntime';
  const effect = `Kubeflow Trainer's webhook refuses the TrainJob ("specified ${said} must be created before the TrainJob is created") and no JobSet runs it`;
  const other = RUNTIME_KINDS.filter((k) => k !== kind).flatMap((k) =>
    runtimesOf(graph, k, ns).filter((r) => text(mapping(r.manifest.metadata).name) === name),
  );
  if (other.length)
    return [
      {
        message: `${field}, but the tree defines '${name}' as a ${String(other[0].manifest.kind)}: ${effect}; set runtimeRef.kind: ${String(other[0].manifest.kind)}`,
      },
    ];
  if (!known.length) return [];
  const where = kind === DEFAULT_RUNTIME_KIND ? 'the tree defines' : `the tree defines in namespace '${ns}'`;
  const listed = known.map((r) => graph.id(r)).join(', ');
  const closest = namesNearest(name, known)[0];
  const elsewhere = kind === DEFAULT_RUNTIME_KIND ? '' : foundElsewhere(graph, kind, name, ns, 'a TrainJob names a TrainingRuntime of its own namespace only');
  // a ClusterTrainingRuntime may come with Kubeflow Trainer's install (its default runtimes), outside the tree
  const certain = kind !== DEFAULT_RUNTIME_KIND;
  const problem: Problem =
    closest && nearName(name, closest)
      ? {
          ...(certain ? {} : { severity: 'warning' as const }),
          message: `${field}, which is not one ${where}${elsewhere} (did you mean '${closest}'? ${listed})${certain ? '' : ", unless Kubeflow Trainer's install or another delivery makes it"}: ${effect}; name the runtime meant`,
        }
      : {
          severity: 'warning',
          message: `${field}, which is not one ${where}${elsewhere}, though it defines ${listed}: unless something outside the tree makes it, ${effect}; name one of those runtimes, or add the one it should run`,
        };
  return [unlessRepositoryMakes(graph, problem, kind, name, certain ? ns : undefined)];
}

export const trainingRuntimeNotFound: Rule = {
  id: 'training-runtime-not-found',
  title:
    'a Kubeflow Trainer TrainJob names a TrainingRuntime or ClusterTrainingRuntime the tree does not define beside the runtimes it does: the TrainJob is refused',
  severity: 'error',
  appliesTo: ['TrainJob'],
  premise:
    "a trainer.kubeflow.org TrainJob's spec.runtimeRef (kind defaults to ClusterTrainingRuntime, apiGroup to trainer.kubeflow.org) names a runtime the tree does not define, while it defines others of that kind (a TrainingRuntime in the TrainJob's namespace, any ClusterTrainingRuntime): " +
    "an error when the tree defines the name as the other kind, or when a TrainingRuntime's name is a few characters from one of the namespace's (did you mean); else a warning (it may come from elsewhere), and always a warning for a ClusterTrainingRuntime, which Kubeflow Trainer's install ships too (torch-distributed…); not judged: another apiGroup, an object whose namespace the tree does not give, a name holding a template, a namespace an Argo CD Application syncs from a source the input does not show" +
    REPOSITORY_PREMISE,
  example: '`runtimeRef: {kind: TrainingRuntime, name: torch-runtme}` in a TrainJob whose namespace holds TrainingRuntime `name: torch-runtime`',
  fix: 'name the runtime the TrainJob should run (runtimeRef.name and kind as the tree defines it), or add that runtime',
  source:
    'kubeflow/trainer pkg/runtime/core/trainingruntime.go ValidateObjects ("specified trainingRuntime must be created before the TrainJob is created", the webhook refuses the TrainJob) and clustertrainingruntime.go (the same for a ClusterTrainingRuntime); pkg/apis/trainer/v1alpha1 trainjob_types.go RuntimeRef defaults',
  check(o, { graph }) {
    return runtimeProblem(o, graph);
  },
};
