import { Loose, mapping, mappings, text } from '../manifests/access';
import { containersOf } from './pods';
import { componentContainers, templateContainers } from './pod-templates';

/** The containers whose own words make their command line, each with where it is written. */
export function containersWithLines(m: Loose): { where: string; container: Loose }[] {
  if (m.kind === 'InferenceService') {
    // the service's own containers, not the runtime's command merged in: the runtime is judged on its own
    const predictor = mapping(mapping(m.spec).predictor);
    const model = mapping(predictor.model);
    return [
      ...(Object.keys(model).length ? [{ where: 'spec.predictor.model', container: model }] : []),
      ...mappings(predictor.containers).map((c) => ({ where: `container '${text(c.name) ?? '<unnamed>'}'`, container: c })),
      // the transformer's and explainer's containers run as KServe writes them, each in a pod of its own
      ...componentContainers(m).map(({ where, container }) => ({ where, container })),
    ];
  }
  // KServe's LLMInferenceService config runs a container without a command through `eval "vllm serve … $@"`: split again
  const own = containersOf(m).filter(({ container }) => m.kind !== 'LLMInferenceService' || container.command !== undefined);
  return [
    ...own.map(({ name, container, init }) => ({ where: `${init ? 'init container' : 'container'} '${name}'`, container })),
    ...templateContainers(m).map(({ where, container }) => ({ where, container })),
  ];
}
