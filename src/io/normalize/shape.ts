import type { FieldError } from '../../engine/index.js';

/** Reads untyped JSON-like data into typed values, collecting field errors instead of throwing. */
export class ShapeReader {
  readonly errors: FieldError[] = [];

  private fail(path: string, expected: string, value: unknown): undefined {
    this.errors.push({
      field: path,
      message: `Invalid value: ${describe(value)}: must be ${expected}`,
    });
    return undefined;
  }

  /** An object, or undefined when absent (null counts as absent). */
  record(value: unknown, path: string): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    return this.fail(path, 'an object', value);
  }

  /** An array, or undefined when absent. */
  array(value: unknown, path: string): unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value;
    return this.fail(path, 'a list', value);
  }

  /** A string, or undefined when absent. */
  string(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    return this.fail(path, 'a string', value);
  }

  /** An integer, or undefined when absent. */
  integer(value: unknown, path: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    return this.fail(path, 'an integer', value);
  }

  /** An integer or a string (Kubernetes IntOrString), or undefined when absent. */
  intOrString(value: unknown, path: string): number | string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) {
      return value;
    }
    return this.fail(path, 'an integer or a string', value);
  }

  /** A boolean, false when absent. */
  boolean(value: unknown, path: string): boolean {
    if (value === undefined || value === null) return false;
    if (typeof value === 'boolean') return value;
    this.fail(path, 'true or false', value);
    return false;
  }

  /** A map of strings to strings, such as labels; {} when absent. */
  stringMap(value: unknown, path: string): Record<string, string> {
    const record = this.record(value, path);
    const result: Record<string, string> = {};
    for (const [key, entry] of Object.entries(record ?? {})) {
      // The entry's path is spelled out only for an error: labels are read by the ten thousand.
      const text = typeof entry === 'string' ? entry : this.string(entry, `${path}.${key}`);
      if (text !== undefined) result[key] = text;
    }
    return result;
  }

  /** A list of strings; [] when absent. */
  stringList(value: unknown, path: string): string[] {
    const result: string[] = [];
    (this.array(value, path) ?? []).forEach((entry, i) => {
      const text = typeof entry === 'string' ? entry : this.string(entry, `${path}[${i}]`);
      if (text !== undefined) result.push(text);
    });
    return result;
  }
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
