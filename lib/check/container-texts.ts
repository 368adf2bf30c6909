import { Loose, mappings, strings, text } from '../manifests/access';

/** A text a container hands its program: a literal env value (with the variable's name), or a command or args word (with the word before it). */
export interface ContainerText {
  /** Where it is written, for messages: `<at> env NAME` or `<at> command`. */
  readonly where: string;
  readonly value: string;
  /** The env variable it is the value of. */
  readonly env?: string;
  /** The command or args word before it (a flag it is given to). */
  readonly previous?: string;
}

/** The literal env values and the command and args words of a container, each placed under `at` (default: the container's name). */
export function containerTexts(container: Loose, at = `container '${text(container.name) ?? 'unnamed'}'`): ContainerText[] {
  const words = [...strings(container.command), ...strings(container.args)];
  return [
    ...mappings(container.env).flatMap((e) =>
      typeof e.value === 'string' ? [{ where: `${at} env ${String(e.name)}`, value: e.value, env: String(e.name) }] : [],
    ),
    ...words.map((value, i) => ({ where: `${at} command`, value, ...(i > 0 ? { previous: words[i - 1] } : {}) })),
  ];
}
