/** How serious a finding is: an error loses information, a warning may mislead, info is a note. */
export type Severity = 'error' | 'warning' | 'info';

/** Where an input object came from: a file (or "-" for stdin, or a cluster) and a 1-based document. */
export interface SourceLocation {
  readonly file: string;
  readonly document?: number;
  /**
   * 1-based line of the file where the document's content starts, or where the field a
   * finding names is written (then with its column).
   */
  readonly line?: number;
  /** 1-based column of the field a finding names, on `line`. */
  readonly column?: number;
  /** 1-based index inside a List document. */
  readonly item?: number;
}

/** Something the user should know about their input or cluster, with where it applies. */
export interface Finding {
  readonly severity: Severity;
  /** A stable identifier such as "invalid-object" or "unknown-kind". */
  readonly code: string;
  readonly message: string;
  /** The object concerned, as "Kind namespace/name". */
  readonly object?: string;
  readonly location?: SourceLocation;
}
