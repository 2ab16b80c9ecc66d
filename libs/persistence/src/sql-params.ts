/**
 * The positional parameters of one statement being built from fragments: each fragment adds its
 * values and splices the placeholders it gets back, so no one counts offsets by hand.
 */
export class SqlParams {
  readonly values: unknown[];

  /** `values`, if given, are the parameters already placed ($1 … $n), e.g. those of a write this statement extends. */
  constructor(values: readonly unknown[] = []) {
    this.values = [...values];
  }

  /** Adds a value and returns its placeholder (`$n`, or `$n::type` when the context gives PostgreSQL no type). */
  add(value: unknown, type?: string): string {
    this.values.push(value);
    return type ? `$${this.values.length}::${type}` : `$${this.values.length}`;
  }

  /** `column = $n` for each column, in order: the SET list of an UPDATE. Column names are the caller's, never input. */
  assignments(columns: Record<string, unknown>): string[] {
    return Object.entries(columns).map(([column, value]) => `${column} = ${this.add(value)}`);
  }
}
