import { isMapping, Loose } from './access';

/** A kustomize field spec: the objects (by group, version, kind; empty matches any) and the slash path it reaches. */
export interface FieldSpec {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly path: string;
}

/** An object's group, version and kind, as kustomize splits apiVersion (resid.ParseGroupVersion). */
export function gvkOf(m: Loose): { group: string; version: string; kind: string } {
  const apiVersion = typeof m.apiVersion === 'string' ? m.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  return {
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
    kind: typeof m.kind === 'string' ? m.kind : '',
  };
}

/** kyaml's Gvk.IsSelected: each field the selector sets must be equal. */
export function gvkSelected(m: Loose, selector: { group?: string; version?: string; kind?: string }): boolean {
  const gvk = gvkOf(m);
  return (
    (!selector.group || gvk.group === selector.group) &&
    (!selector.version || gvk.version === selector.version) &&
    (!selector.kind || gvk.kind === selector.kind)
  );
}

/** A field spec's path in segments: split on '/', where '\/' is a slash inside a key (an annotation name). */
export function pathSegments(p: string): string[] {
  return p.split(/(?<!\\)\//).map((s) => s.replace(/\\\//g, '/'));
}

/** Where a value sits: its holder and key, so that a visitor can replace it. */
export interface Slot {
  readonly holder: Loose | unknown[];
  readonly key: string | number;
}

/**
 * Every value a field spec's path reaches in an object, as kustomize's fieldspec filter walks it
 * (api/filters/fieldspec/fieldspec.go): a list met on the way is walked element by element with the same path; a
 * missing field ends the walk there (nothing is created); a scalar in the middle of the path is passed over.
 */
export function slotsAt(node: unknown, segments: readonly string[]): Slot[] {
  if (Array.isArray(node)) return node.flatMap((x) => slotsAt(x, segments));
  if (!isMapping(node) || !segments.length) return [];
  // a `[]` suffix marks a list field (`containers[]`): the field is looked up without it (fieldspec.go isSequenceField)
  const [marked, ...rest] = segments;
  const head = marked.replace(/\[\]$/, '');
  if (!(head in node) || node[head] === null || node[head] === undefined) return [];
  if (!rest.length) return [{ holder: node, key: head }];
  return slotsAt(node[head], rest);
}

export function valueAt(s: Slot): unknown {
  return Array.isArray(s.holder) ? s.holder[s.key as number] : s.holder[s.key as string];
}

export function setAt(s: Slot, v: unknown): void {
  if (Array.isArray(s.holder)) s.holder[s.key as number] = v;
  else s.holder[s.key as string] = v;
}
