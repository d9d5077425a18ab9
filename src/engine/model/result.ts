/**
 * What the engine returns for user input: the value, or a typed reason there is none.
 * A user's mistake is data for the edge to word, never an exception to be sorted by class name.
 */
export type Result<T, E> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

/** A result holding its value. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** A result holding the reason there is no value. */
export function fail<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

/** What reading user input gives: the value, or the message saying why it cannot be read. */
export type Parsed<T> = Result<T, string>;
