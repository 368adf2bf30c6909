import { Loose, mapping, mappings } from '../manifests/access';
import { buildCommandLine, containerPieces } from './command-line';
import type { ContainerLine } from './container-line';
import { isModelService, modelServiceLines } from './model-service-lines';
import { knownBaseConfigs } from './model-service-base';
import { containersOf, podSpecOf } from './pods';
import { podTemplatesOf, templateContainers } from './pod-templates';
import { Problem } from './rule';
import { VllmArgs } from './vllm-args';
import { meantVllmLine } from './whole-command-word';
import { knownFiles, readsTreeFiles } from './mounted-files';
import { perRun } from '../private/run-memo';

export type { ContainerLine } from './container-line';

/** Lines by manifest: two rules read every workload's lines, and a check never changes a manifest. */
const linesOf = new WeakMap<Loose, readonly ContainerLine[]>();

/**
 * The command line of each (non-init) container of a workload's pod, as the kubelet and a shell build it; of each pod
 * template of a kind that runs several (a LeaderWorkerSet's leader and workers).
 */
export function workloadVllmLines(m: Loose): readonly ContainerLine[] {
  // a line read from a ConfigMap's script holds for this run's tree only: kept for this run, not for the manifest
  // a ModelService's line merges its base ConfigMap, which is this run's tree's too
  const scripted = (lines: readonly ContainerLine[]) => isModelService(m) || lines.some((l) => readsTreeFiles(l.container));
  const known = linesOf.get(m);
  if (known && !scripted(known)) return known;
  const lines = perRun('workload-lines', [m, knownFiles(), knownBaseConfigs()], () => buildLines(m));
  if (!scripted(lines)) linesOf.set(m, lines);
  return lines;
}

function buildLines(m: Loose): readonly ContainerLine[] {
  // a ModelService's decode and prefill containers, merged into its base config's Deployments where the tree holds them
  if (isModelService(m)) return modelServiceLines(m);
  const own = containersOf(m).map((c) => ({ ...c, where: `container '${c.name}'` }));
  return [...own, ...templateContainers(m)]
    .filter((c) => !c.init)
    .map(({ name, where, container }) => {
      const pieces = containerPieces(container, where);
      const written = buildCommandLine(pieces);
      // a program word holding a whole vLLM command line fails to exec (argument-not-split); the vLLM rules read it
      // as its author meant it, and say so
      const meant = meantVllmLine(pieces, written);
      const line = meant ?? written;
      const said = meant ? `${where} (its "${written.words[0].word}" read as the command line it was meant to be)` : where;
      return { name, where: said, container, line, env: pieces.env, args: VllmArgs.of(line.words) };
    });
}

/**
 * A judgement of vLLM's arguments over each container of a workload's pod that visibly starts vLLM's server, each
 * problem naming its container.
 */
export function invokedVllmProblems(m: Loose, judge: (args: VllmArgs) => Problem[]): Problem[] {
  return workloadVllmLines(m)
    .filter((c) => c.args.invoked)
    .flatMap((c) => judge(c.args).map((p) => ({ ...p, message: `${c.where}: ${p.message}` })));
}

/**
 * The pod spec of a workload that holds a container: the workload's own pod, or one of its several pod templates;
 * `initContainers` counts the specs' init containers too (a download step beside the server).
 */
export function podSpecHolding(m: Loose, container: Loose, initContainers = false): Loose | undefined {
  const listed = (spec: Loose) => [...mappings(spec.containers), ...(initContainers ? mappings(spec.initContainers) : [])];
  const holds = (spec: Loose | undefined) => spec !== undefined && listed(spec).includes(container);
  const own = podSpecOf(m);
  if (holds(own)) return own;
  return podTemplatesOf(m)
    .map(({ template }) => mapping(template.spec))
    .find(holds);
}
