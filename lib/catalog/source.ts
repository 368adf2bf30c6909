/** Where a catalog figure comes from: the document (or dataset) and when it was read. */
export interface CatalogSource {
  /** The document, dataset or derivation the figure comes from. */
  readonly document: string;
  /** When it was read: `YYYY-MM-DD`, or `YYYY-MM` where only the month is known. */
  readonly read: string;
  /** Anything a reader needs to weigh the figure (how it was derived, what it assumes). */
  readonly note?: string;
}

/** The source of some fields of a catalog entry. */
export interface FieldSource extends CatalogSource {
  /** The fields of the entry this source gives. */
  readonly fields: readonly string[];
}
