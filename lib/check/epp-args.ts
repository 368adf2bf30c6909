import { eppFlagKind, eppImageRelease, ImageRelease } from '../catalog/epp-releases';
import { GoFlag, goFlags, lastGoFlag } from '../private/go-flags';
import { Loose, mapping, mappings, strings, text } from '../manifests/access';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { pickerWorkloads, PICKER_IMAGE, poolFlag } from './endpoint-pickers';
import { containersOf, SERVICE_BACKEND_KINDS } from './pods';

/**
 * The endpoint picker (EPP) containers of a tree and the flags their command lines give: a container of a picker image
 * in any workload, and the containers of an LLMInferenceService's (or preset's) spec.router.scheduler.template, which
 * KServe runs as the scheduler.
 */

/** One flag as written (the Go flag reader's: lib/private/go-flags.ts). */
export type EppFlag = GoFlag;

/** A picker container of the tree. */
export interface EppContainer {
  readonly owner: GraphObject;
  /** Where it sits, for messages: `container epp`, `spec.router.scheduler.template container main`. */
  readonly where: string;
  readonly container: Loose;
  readonly flags: readonly EppFlag[];
  /** The release its image runs, where the image names one. */
  readonly image?: ImageRelease;
  /** The namespace its pod runs in (the owner's), undefined where the tree leaves it to the apply. */
  readonly namespace?: string;
}

/**
 * The flags of a command line, in order: `--name value`, `-name=value`, a boolean alone (a flag whose every release
 * declares it a boolean). A flag no release declares takes the next word as its value when that word is no flag. `--`
 * ends the flags.
 */
export function eppFlags(words: readonly string[]): EppFlag[] {
  return goFlags(words, { kind: eppFlagKind });
}

/** The words a picker's command line holds: args, after the command's binary (a shell's script is not read). */
function commandWords(c: Loose): string[] | undefined {
  const command = strings(c.command);
  if (command.length && /(^|\/)(ba|z|da)?sh$/.test(command[0])) return undefined;
  return [...command.slice(1), ...strings(c.args)];
}

/**
 * Whether a container is a picker: of a picker image, or of an image the tree leaves to a variable (`${EPP_IMAGE}`)
 * whose arguments name a pool, which only a picker's do.
 */
function isPicker(c: Loose): boolean {
  const image = text(c.image) ?? '';
  if (PICKER_IMAGE.test(image)) return true;
  return /\$\{?\w|\{\{/.test(image) && poolFlag([...strings(c.command), ...strings(c.args)]) !== undefined;
}

/** The workloads with a picker container: those of a picker image, and those whose image is a variable. */
function pickerOwners(graph: ObjectGraph): GraphObject[] {
  const known = new Set(pickerWorkloads(graph));
  const placeholders = SERVICE_BACKEND_KINDS.flatMap((k) => graph.ofKind(k)).filter(
    (w) => !known.has(w) && containersOf(w.manifest).some((c) => !c.init && isPicker(c.container)),
  );
  return [...known, ...placeholders];
}

function workloadContainers(graph: ObjectGraph, w: GraphObject): EppContainer[] {
  return containersOf(w.manifest)
    .filter((c) => !c.init && isPicker(c.container))
    .flatMap((c) => {
      const words = commandWords(c.container);
      if (!words) return [];
      const image = eppImageRelease(text(c.container.image) ?? '');
      return [{ owner: w, where: `container ${c.name}`, container: c.container, flags: eppFlags(words), image, namespace: graph.namespaceOf(w.manifest) }];
    });
}

/** The scheduler containers an LLMInferenceService or its preset writes (KServe fills the image where none is given). */
function schedulerContainers(graph: ObjectGraph, o: GraphObject): EppContainer[] {
  const template = mapping(mapping(mapping(mapping(o.manifest.spec).router).scheduler).template);
  return mappings(template.containers).flatMap((c) => {
    const words = commandWords(c);
    if (!words?.length) return [];
    const name = text(c.name) ?? '<unnamed>';
    const image = text(c.image);
    return [
      {
        owner: o,
        where: `spec.router.scheduler.template container ${name}`,
        container: c,
        flags: eppFlags(words),
        image: image ? eppImageRelease(image) : undefined,
        namespace: graph.namespaceOf(o.manifest),
      },
    ];
  });
}

/** The picker containers of the tree. */
export function eppContainers(graph: ObjectGraph): EppContainer[] {
  return graph.once('epp-args:containers', () => [
    ...pickerOwners(graph).flatMap((w) => workloadContainers(graph, w)),
    ...['LLMInferenceService', 'LLMInferenceServiceConfig'].flatMap((k) => graph.ofKind(k)).flatMap((o) => schedulerContainers(graph, o)),
  ]);
}

/** The value of the last of the flags given under any of the names (Go's flag package keeps the last). */
export function flagValue(flags: readonly EppFlag[], ...names: string[]): EppFlag | undefined {
  return lastGoFlag(flags, ...names);
}

/** Whether a value is left to something the tree does not show: a shell or envsubst variable, a Go template, $(VAR). */
export function unresolved(value: string | undefined): boolean {
  return value === undefined || /\$\{|\$\(|\{\{|^\$\w/.test(value);
}
