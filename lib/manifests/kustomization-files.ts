import type * as fs from 'fs';
import { isMapping, Loose } from './access';
import { asKustomizationFields } from './kustomization';
import { ReadProblems } from './read-problems';
import { parseFirstDocument } from './yaml-documents';

/** How a kustomization file is read: stat and load report what they cannot read; `root` is the folder given as input. */
export interface KustomizationReading {
  readonly root: string | undefined;
  stat(p: string): fs.Stats | undefined;
  load(file: string, st: fs.Stats): string | undefined;
}

/**
 * A kustomization file parsed, or undefined with the problem reported as kustomize refuses it: not YAML, empty, no
 * mapping, or setting nothing but apiVersion and kind (`walked`: met walking a folder, neither given nor listed).
 */
export function parseKustomization(file: string, walked: boolean, reading: KustomizationReading, problems: ReadProblems): Loose | undefined {
  const st = reading.stat(file);
  if (!st) return undefined;
  const source = reading.load(file, st);
  if (source === undefined) return undefined;
  const parsed = parseFirstDocument(source);
  if ('error' in parsed) {
    problems.refused(file, `is not valid YAML: ${parsed.error}`);
    return undefined;
  }
  if (parsed.value === null || parsed.value === undefined) {
    problems.empty(file, 'is empty: kustomize refuses it ("kustomization.yaml is empty")', walked, reading.root);
    return undefined;
  }
  if (!isMapping(parsed.value)) {
    problems.refused(file, 'is not a kustomization (a YAML mapping)');
    return undefined;
  }
  const k = asKustomizationFields(parsed.value);
  // kusttarget.go Load: a kustomization equal to the empty one once apiVersion and kind are set is refused
  if (Object.entries(k).every(([key, v]) => key === 'apiVersion' || key === 'kind' || v === null)) {
    problems.empty(file, 'is empty (it sets nothing but apiVersion and kind): kustomize refuses it ("kustomization.yaml is empty")', walked, reading.root);
    return undefined;
  }
  return k;
}
