import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Finding } from '../engine/findings.js';
import type { SourcedObject } from './normalize.js';
import { yaml11BooleanFindings } from './yaml11.js';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Decoded documents of some manifest sources, and the problems met reading them. */
export interface ManifestRead {
  readonly objects: SourcedObject[];
  readonly findings: Finding[];
  /** Files read, in order. */
  readonly files: string[];
}

/** Parses a YAML (or JSON) stream; each malformed document becomes a finding, the rest are kept. */
export function parseManifestText(text: string, file: string): Omit<ManifestRead, 'files'> {
  const objects: SourcedObject[] = [];
  const findings: Finding[] = [];
  // With a line counter, error messages carry "at line L, column C".
  const lineCounter = new LineCounter();
  parseAllDocuments(text, { lineCounter }).forEach((document, i) => {
    const location = { file, document: i + 1 };
    if (!('errors' in document)) return;
    if (document.errors.length > 0) {
      const firstLine = document.errors[0]?.message.split('\n')[0]?.replace(/:$/, '');
      findings.push({
        severity: 'error',
        code: 'malformed-document',
        message: `malformed YAML: ${firstLine ?? 'parse error'}`,
        location,
      });
      return;
    }
    findings.push(...yaml11BooleanFindings(document, lineCounter, location));
    const object: unknown = document.toJS({ maxAliasCount: 1000 });
    if (object !== null && object !== undefined) objects.push({ object, location });
  });
  return { objects, findings };
}

async function listManifestFiles(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) files.push(...(await listManifestFiles(child)));
    else if (MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase())) files.push(child);
  }
  return files;
}

function errorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads manifests from files, directories (recursively: .yaml, .yml and .json) and "-" for
 * standard input. Unreadable paths and malformed documents become findings.
 */
export async function readManifests(
  paths: readonly string[],
  readStdin: () => Promise<string>,
): Promise<ManifestRead> {
  const result: ManifestRead = { objects: [], findings: [], files: [] };
  const unreadable = (file: string, error: unknown) =>
    result.findings.push({
      severity: 'error',
      code: 'unreadable',
      message: `cannot read: ${errorText(error)}`,
      location: { file },
    });
  const take = async (file: string, read: () => Promise<string>) => {
    try {
      const parsed = parseManifestText(await read(), file);
      result.objects.push(...parsed.objects);
      result.findings.push(...parsed.findings);
      result.files.push(file);
    } catch (error) {
      unreadable(file, error);
    }
  };
  for (const path of paths) {
    if (path === '-') {
      await take('-', readStdin);
      continue;
    }
    let files: string[];
    try {
      files = (await stat(path)).isDirectory() ? await listManifestFiles(path) : [path];
    } catch (error) {
      unreadable(path, error);
      continue;
    }
    if (files.length === 0) {
      result.findings.push({
        severity: 'warning',
        code: 'no-manifests',
        message: 'directory holds no .yaml, .yml or .json files',
        location: { file: path },
      });
    }
    for (const file of files) await take(file, () => readFile(file, 'utf8'));
  }
  return result;
}
