/** What reading user input gives: the value, or why it cannot be read (never a thrown error). */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string };
