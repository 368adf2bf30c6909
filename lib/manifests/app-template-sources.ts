import * as fs from 'fs';
import { mapping, text } from './access';
import { RepositoryObject, repositoryObjects } from './repository-objects';

/** A Flux source object found outside the input: its manifest and the file that holds it, named as the checked folder is. */
export interface SourceElsewhere {
  readonly manifest: Record<string, unknown>;
  readonly file: string;
}

/** Looks a Flux source up by kind, name and namespace where the input lacks it. */
export type SourceLookup = (kind: string, name: string, ns: string | undefined) => SourceElsewhere | undefined;

/** A source in the namespace asked for, else one whose namespace the repository leaves to the build that includes it (a kustomize component, a folder built with a targetNamespace). */
function placedFor(found: readonly RepositoryObject[], ns: string | undefined): RepositoryObject[] {
  const exact = found.filter((o) => ns === undefined || o.namespace === ns);
  return exact.length ? exact : found.filter((o) => o.namespace === undefined);
}

/** The tag or semver range a source object pins (OCIRepository spec.ref), or its URL for a HelmRepository: what tells two candidates apart. */
const pinOf = (o: RepositoryObject) =>
  `${text(mapping(mapping(o.manifest.spec).ref).tag) ?? text(mapping(mapping(o.manifest.spec).ref).semver) ?? ''} ${text(mapping(o.manifest.spec).url) ?? ''}`;

/**
 * The Flux sources (OCIRepository, HelmRepository) the git work trees of the checked folders define outside them
 * (repositoryObjects: a shared components folder a kustomization includes, the flux/ folder of the repository): a
 * HelmRelease's chartRef or sourceRef that the input lacks names one of them. Read once, and only when asked; a name
 * that several sources of different pins answer is no answer.
 */
export function repositorySourceLookup(folders: readonly string[]): SourceLookup {
  let objects: RepositoryObject[] | undefined;
  const all = () =>
    (objects ??= folders
      .filter((f) => fs.statSync(f, { throwIfNoEntry: false })?.isDirectory())
      .flatMap((f) => repositoryObjects(f))
      .filter((o) => String(o.manifest.apiVersion ?? '').startsWith('source.toolkit.fluxcd.io/')));
  return (kind, name, ns) => {
    const found = placedFor(
      all().filter((o) => o.kind === kind && o.name === name),
      ns,
    );
    if (!found.length || new Set(found.map(pinOf)).size > 1) return undefined;
    return { manifest: found[0].manifest, file: found[0].file };
  };
}
