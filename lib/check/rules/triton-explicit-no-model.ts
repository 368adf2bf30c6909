import { Loose, mapping, strings, text } from '../../manifests/access';
import { containersOf } from '../pods';
import { Problem, Rule } from '../rule';

/** The kinds whose containers KServe runs for a single-model InferenceService. */
const KINDS = ['ServingRuntime', 'ClusterServingRuntime', 'InferenceService'];

/** The words of a container's command line, `--flag=value` split into flag and value. */
function words(container: Loose): string[] {
  return [...strings(container.command), ...strings(container.args)]
    .flatMap((w) => w.split(/\s+/))
    .flatMap((w) => (/^--[\w-]+=/.test(w) ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w]));
}

/** Whether the container runs Triton: tritonserver is its program (command or first argument), or its image is Triton's. */
function runsTriton(container: Loose, line: readonly string[]): boolean {
  return line.some((w) => /(^|\/)tritonserver$/.test(w)) || /tritonserver/.test(text(container.image) ?? '');
}

/** The value a flag is given (`--flag value` or `--flag=value`), the last one where it is given several times. */
function flagValue(line: readonly string[], flag: string): string | undefined {
  let value: string | undefined;
  line.forEach((w, i) => {
    if (w === flag) value = line[i + 1];
  });
  return value;
}

/**
 * The containers of the object that run Triton in explicit model control with no model loaded at start: with
 * `--model-control-mode=explicit` Triton loads at start-up only the models `--load-model` names, and then only what a
 * client asks of its repository API (model_management.md, "Model Control Mode EXPLICIT").
 */
function explicitWithoutModels(m: Loose): string[] {
  return containersOf(m)
    .filter(({ init }) => !init)
    .filter(({ container }) => {
      const line = words(container);
      return runsTriton(container, line) && flagValue(line, '--model-control-mode') === 'explicit' && !line.includes('--load-model');
    })
    .map(({ name }) => name);
}

export const tritonExplicitNoModel: Rule = {
  id: 'triton-explicit-no-model',
  title: 'a KServe Triton runtime starts in explicit model control without --load-model: it serves no model',
  severity: 'error',
  appliesTo: KINDS,
  premise:
    'Triton Inference Server started with --model-control-mode=explicit loads at start-up only the models --load-model names (--load-model=* all of them), and afterwards only those a client loads through its model repository API; ' +
    'KServe runs a single-model ServingRuntime (not multiModel: ModelMesh loads models through that API) or an InferenceService container and never calls that API, so a tritonserver container (its command or first argument, or a Triton image) in explicit mode without any --load-model serves no model: every inference request is answered that the model is not found or not ready. ' +
    'Not judged: a multi-model ServingRuntime (ModelMesh), the other model control modes (none, the default, and poll load the repository at start)',
  example: '`--model-control-mode=explicit` in the args of a ServingRuntime running `tritonserver`, with no --load-model',
  fix: 'drop --model-control-mode=explicit (the default, none, loads every model of the repository), or add --load-model=<model name> (or --load-model=*)',
  source:
    'triton-inference-server/server docs/user_guide/model_management.md (Model Control Mode EXPLICIT: at startup only the models given with --load-model are loaded); KServe runs a single-model runtime as it is and calls no repository API',
  check(o) {
    const m = o.manifest;
    if (m.kind !== 'InferenceService' && mapping(m.spec).multiModel === true) return [];
    return explicitWithoutModels(m).map((name): Problem => ({
      message:
        `container '${name}' runs tritonserver with --model-control-mode=explicit and no --load-model: Triton then loads no model at start-up, only those a client loads through its repository API, which KServe never calls, so the server answers every request that the model is not found: ` +
        `drop --model-control-mode=explicit, or add --load-model=<model name> (--load-model=* for all)`,
    }));
  },
};
