import { IConstruct } from 'constructs';
/** A rendered manifest: the file it is written to and the object. */
export interface RenderedObject {
  /** Path of the file, relative to the output folder. */
  readonly file: string;
  /** The manifest as it is written. */
  readonly manifest: Record<string, unknown>;
}

/**
 * Checks rendered objects before anything is written; returns error messages (an empty list passes). `app` is the
 * construct tree they were rendered from (a KustomizeTree passes its App), for what it chose (its platform).
 */
export type TreeVerifier = (objects: readonly RenderedObject[], app?: IConstruct) => string[];
